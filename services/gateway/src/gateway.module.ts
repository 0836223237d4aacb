import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { Logger } from '@homeward/observability';
import type { TokenVerifier } from '@homeward/security';
import { AccessLog } from './access/access-log.js';
import { accessAlertConfigFromEnv, AccessVolume, type AccessAlertConfig } from './access/access-volume.js';
import { ReadAnswerInterceptor } from './access/read-answer.interceptor.js';
import { AdminController } from './admin/admin.controller.js';
import { Reconciler, reconcileConfigFromEnv, type ReconcileConfig } from './admin/reconciliation/reconciler.js';
import { ReconciliationController } from './admin/reconciliation/reconciliation.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { TransparencyController } from './audit/transparency.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { DocumentsCommandsController } from './documents/documents-commands.controller.js';
import { PersonDocumentsController } from './documents/person-documents.controller.js';
import type {
  AdminClients,
  AuditClient,
  IdentityDocumentsClient,
  IntakeClient,
  LegalClient,
  NotificationsClient,
} from './grpc/grpc-clients.js';
import { HealthController } from './health/health.controller.js';
import { defaultRateLimit, RateLimiter, type RateLimitConfig } from './http/rate-limit.js';
import { validationPipe } from './http/validation.js';
import { LegalCaseCommandsController } from './legal/legal-case-commands.controller.js';
import { LegalCasesController } from './legal/legal-cases.controller.js';
import { LegalPatternsController } from './legal/patterns.controller.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { PeopleCommandsController } from './people/people-commands.controller.js';
import { PersonFileController } from './people/person-file.controller.js';
import { PeopleListController } from './people/people-list.controller.js';
import { ImportReleaseBatchController } from './release-batches/import-release-batch.controller.js';
import { ReleaseBatchesController } from './release-batches/release-batches.controller.js';
import { ProblemFilter } from './problems/problem.filter.js';
import {
  ACCESS_VOLUME,
  ADMIN_CLIENTS,
  AUDIT_CLIENT,
  IDENTITY_DOCUMENTS_CLIENT,
  INTAKE_CLIENT,
  LEGAL_CLIENT,
  LOGGER,
  NOTIFICATIONS_CLIENT,
  RATE_LIMITER,
  RECONCILER,
  TOKEN_VERIFIER,
} from './tokens.js';

/** What the gateway talks to; main.ts passes the real ones, tests pass fakes. */
export interface GatewayDependencies {
  intake: IntakeClient;
  legal: LegalClient;
  identityDocuments: IdentityDocumentsClient;
  notifications: NotificationsClient;
  audit: AuditClient;
  /** The admin surface of each service (absent: its admin routes answer 503). */
  admin?: AdminClients;
  verifier: TokenVerifier;
  logger: Logger;
  /** Requests per caller; absent: the defaults of rate-limit.ts. */
  rateLimit?: RateLimitConfig;
  /** When one actor reads too many people; absent: ACCESS_ALERT_PEOPLE_PER_HOUR, else 500. */
  accessAlert?: AccessAlertConfig;
  /** Reconciliation of each context's store with audit's copy; absent: AUDIT_RECONCILE_GRACE_SECONDS, AUDIT_RECONCILE_INTERVAL_SECONDS. */
  reconcile?: ReconcileConfig;
  /** Called once the HTTP server has closed, e.g. to close the gRPC channels. */
  onClose?: () => void;
  /** Serve the /docs page; absent: in development, or with GATEWAY_DOCS=1. */
  docs?: boolean;
}

@Module({})
export class GatewayModule {
  static register(dependencies: GatewayDependencies): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        HealthController,
        PeopleCommandsController,
        PersonFileController,
        PeopleListController,
        ReleaseBatchesController,
        ImportReleaseBatchController,
        LegalCasesController,
        LegalCaseCommandsController,
        LegalPatternsController,
        NotificationsController,
        DocumentsCommandsController,
        PersonDocumentsController,
        AuditController,
        TransparencyController,
        AdminController,
        ReconciliationController,
      ],
      providers: [
        { provide: INTAKE_CLIENT, useValue: dependencies.intake },
        { provide: LEGAL_CLIENT, useValue: dependencies.legal },
        { provide: IDENTITY_DOCUMENTS_CLIENT, useValue: dependencies.identityDocuments },
        { provide: NOTIFICATIONS_CLIENT, useValue: dependencies.notifications },
        { provide: AUDIT_CLIENT, useValue: dependencies.audit },
        { provide: ADMIN_CLIENTS, useValue: dependencies.admin ?? {} },
        { provide: TOKEN_VERIFIER, useValue: dependencies.verifier },
        { provide: RATE_LIMITER, useValue: new RateLimiter(dependencies.rateLimit ?? defaultRateLimit) },
        { provide: LOGGER, useValue: dependencies.logger },
        { provide: ACCESS_VOLUME, useValue: new AccessVolume(dependencies.accessAlert ?? accessAlertConfigFromEnv(), dependencies.logger) },
        {
          provide: RECONCILER,
          useValue: new Reconciler(
            { admin: dependencies.admin ?? {}, audit: dependencies.audit },
            dependencies.logger,
            dependencies.reconcile ?? reconcileConfigFromEnv(),
          ),
        },
        AccessLog,
        { provide: APP_INTERCEPTOR, useClass: ReadAnswerInterceptor },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useValue: validationPipe() },
      ],
    };
  }
}
