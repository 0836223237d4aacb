// A plain gRPC client of the intake service, from the same proto and loader options the gateway
// uses, with promises instead of observables: for tests that boot the service in-process.
import path from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot, type intake } from '@homeward/contracts';
import type { Observable } from 'rxjs';

type Promised<Service> = {
  [Method in keyof Service]: Service[Method] extends (request: infer Request, ...rest: never[]) => Observable<infer Response>
    ? (request: Request) => Promise<Response>
    : never;
};

export type IntakeTestClient = Promised<intake.IntakeServiceClient> & { close(): void };

type RawClient = Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: unknown) => void) => void>;

export function intakeClient(url: string): IntakeTestClient {
  const service = grpcServices.intake;
  const definition = loadSync(path.join(protoRoot, service.file), grpcLoaderOptions);
  const namespace = loadPackageDefinition(definition) as unknown as Record<string, Record<string, Record<string, Record<string, new (...args: unknown[]) => Client>>>>;
  const Constructor = namespace['homeward']!['intake']!['v1']![service.service]!;
  const client = new Constructor(url, credentials.createInsecure()) as RawClient;
  return new Proxy({} as IntakeTestClient, {
    get(_target, method: string) {
      if (method === 'close') return () => client.close();
      const rpc = method.charAt(0).toUpperCase() + method.slice(1);
      return (request: unknown) => new Promise((resolve, reject) => client[rpc]!(request, (error, response) => (error ? reject(error) : resolve(response))));
    },
  });
}
