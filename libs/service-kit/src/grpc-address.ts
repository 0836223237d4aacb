/** Where a service's gRPC server listens: <SERVICE>_GRPC_BIND, else <SERVICE>_GRPC_URL, else its default port. */
export function grpcBindAddress(service: string, defaultPort: number, env = process.env): string {
  const prefix = service.toUpperCase().replaceAll('-', '_');
  return env[`${prefix}_GRPC_BIND`] ?? env[`${prefix}_GRPC_URL`] ?? `127.0.0.1:${defaultPort}`;
}
