import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { identityDocuments } from '@homeward/contracts';
import { uuidv7 } from '@homeward/observability';
import { DocumentsCommands, requireApplicationId } from '../documents-commands.js';

@Controller()
export class ApplyForTravelDocumentController {
  constructor(@Inject(DocumentsCommands) private readonly commands: DocumentsCommands) {}

  /**
   * The application id is assigned here (the gateway sends ""), so a retry with the same
   * Idempotency-Key and body is recognised; its answer names the application first recorded.
   */
  @GrpcMethod('IdentityDocumentsService', 'ApplyForTravelDocument')
  async applyForTravelDocument(
    request: identityDocuments.ApplyForTravelDocumentRequest,
  ): Promise<identityDocuments.ApplyForTravelDocumentResponse> {
    const applicationId = request.applicationId ? requireApplicationId(request.applicationId) : uuidv7();
    const { personId, appliedAt, country, documentType } = request;
    const result = await this.commands.run(
      { type: 'ApplyForTravelDocument', data: { personId, applicationId, appliedAt, country, documentType } },
      request,
    );
    return {
      id: result.id,
      streamVersion: result.streamVersion,
      eventIds: result.eventIds,
      repeatedRequest: result.repeatedRequest,
      applicationId: result.repeatedRequest ? await this.firstApplicationId(result.streamId, result.eventIds) : applicationId,
    };
  }

  /** The idempotency record keeps the first answer's event ids; the event names the application. */
  private async firstApplicationId(streamId: string, eventIds: string[]): Promise<string> {
    const events = await this.commands.store.readStream(streamId);
    const applied = events.find((event) => event.type === 'TravelDocumentApplied' && eventIds.includes(event.eventId));
    if (!applied) throw new Error('the event of a repeated application is missing from its stream');
    return String(applied.data.applicationId);
  }
}
