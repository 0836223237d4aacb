# syntax=docker/dockerfile:1
# One image for every service: SERVICE_NAME picks which one runs (see docker-compose.yml).
#   docker build -t homeward:local .
#   docker run -e SERVICE_NAME=intake -e DATABASE_URL=… -e KAFKA_BROKERS=… homeward:local
# With arguments it runs them instead, for one-shot tasks:
#   docker run homeward:local node infra/topics.mjs
#   docker run -e SERVICE_NAME=intake -e DATABASE_URL=… -e DATABASE_MIGRATION_URL=… homeward:local node infra/migrate.mjs
# (the Kubernetes migration Job and init containers, infra/k8s). Checked against the code by
# test/deployment/image-and-compose.unit.spec.ts; no container engine has built it there.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NX_DAEMON=false \
    CI=true
# The whole tree, not just the manifests: npm ci links the workspaces (libs/*, services/*) and
# needs their folders. The cache mount keeps downloaded tarballs between builds instead.
COPY . .
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
# nx directly: it builds the libs (contracts from proto/ first) before the services that use them.
RUN npx nx run-many -t build --output-style=stream \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
# Built output, production dependencies (with the workspace links), proto/ for the gRPC loaders
# and infra/ for the one-shot tasks (databases, topics, dev keys, dev tokens).
COPY --from=build --chown=node:node /app /app
# .local/dev-keys exists and belongs to node so that a named volume mounted there inherits it.
RUN mkdir -p /app/.local/dev-keys /app/.local/logs && chown -R node:node /app/.local
COPY --chmod=755 <<'SCRIPT' /usr/local/bin/homeward-entrypoint
#!/bin/sh
# Without arguments: the service named by SERVICE_NAME. With arguments: run them.
set -e
if [ "$#" -gt 0 ]; then exec "$@"; fi
if [ -z "${SERVICE_NAME:-}" ]; then
  echo "SERVICE_NAME is not set (gateway, intake, identity-documents, legal, notifications, audit)" >&2
  exit 64
fi
main="services/${SERVICE_NAME}/dist/main.js"
if [ ! -f "$main" ]; then
  echo "no built service named ${SERVICE_NAME} (missing $main)" >&2
  exit 64
fi
exec node "$main"
SCRIPT
USER node
EXPOSE 3000 50051 50052 50053 50054 50055
ENTRYPOINT ["/usr/local/bin/homeward-entrypoint"]
