// A plain gRPC client of the intake service, from the same proto and loader options the gateway
// uses, with promises instead of observables: for tests that boot the service in-process.
import type { intake } from '@homeward/contracts';
import { grpcTestClient } from '@homeward/testing';
import type { Observable } from 'rxjs';

type Promised<Service> = {
  [Method in keyof Service]: Service[Method] extends (request: infer Request, ...rest: never[]) => Observable<infer Response>
    ? (request: Request) => Promise<Response>
    : never;
};

export type IntakeTestClient = Promised<intake.IntakeServiceClient> & { close(): void };

export function intakeClient(url: string): IntakeTestClient {
  return grpcTestClient<IntakeTestClient>('intake', url);
}
