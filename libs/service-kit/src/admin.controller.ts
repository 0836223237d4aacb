// The admin gRPC controller every service gets from startGrpcService: homeward.admin.v1.AdminService
// over the service's ServiceOperations. Answers carry names, counts, positions and ids, never data.
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { adminGrpcService, type admin } from '@homeward/contracts';
import type { JobInfo, ServiceOperations } from '@homeward/operations';

const service = adminGrpcService.service;

const job = (info: JobInfo): admin.Job => ({ ...info });

export function adminController(operations: ServiceOperations) {
  @Controller()
  class AdminController {
    @GrpcMethod(service, 'ListProjections')
    async listProjections(): Promise<admin.ListProjectionsResponse> {
      return { projections: await operations.listProjections() };
    }

    @GrpcMethod(service, 'RebuildProjection')
    async rebuildProjection(request: admin.RebuildProjectionRequest): Promise<admin.RebuildProjectionResponse> {
      return { job: job(await operations.rebuildProjection(request.name)) };
    }

    @GrpcMethod(service, 'GetJob')
    async getJob(request: admin.GetJobRequest): Promise<admin.GetJobResponse> {
      return { job: job(await operations.getJob(request.id)) };
    }

    @GrpcMethod(service, 'ListDeadLetters')
    async listDeadLetters(request: admin.ListDeadLettersRequest): Promise<admin.ListDeadLettersResponse> {
      return { deadLetters: await operations.listDeadLetters(request.limit || 100) };
    }

    @GrpcMethod(service, 'RetryDeadLetter')
    async retryDeadLetter(request: admin.RetryDeadLetterRequest): Promise<admin.RetryDeadLetterResponse> {
      return operations.retryDeadLetter(request.id);
    }

    @GrpcMethod(service, 'RepublishEvents')
    async republishEvents(request: admin.RepublishEventsRequest): Promise<admin.RepublishEventsResponse> {
      const { streamId, from, to } = request;
      return { job: job(await operations.republishEvents({ streamId, from, to })) };
    }

    @GrpcMethod(service, 'VerifyStream')
    async verifyStream(request: admin.VerifyStreamRequest): Promise<admin.VerifyStreamResponse> {
      return operations.verifyStream(request.streamId);
    }

    @GrpcMethod(service, 'StreamHeads')
    async streamHeads(request: admin.StreamHeadsRequest): Promise<admin.StreamHeadsResponse> {
      return operations.streamHeads(request.after, request.limit);
    }

    @GrpcMethod(service, 'StreamEvents')
    async streamEvents(request: admin.StreamEventsRequest): Promise<admin.StreamEventsResponse> {
      return operations.streamEvents(request.streamId, request.cursor, request.limit);
    }

    @GrpcMethod(service, 'Metrics')
    async metrics(): Promise<admin.MetricsResponse> {
      return { text: await operations.metrics() };
    }
  }
  return AdminController;
}
