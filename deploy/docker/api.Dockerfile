# syntax=docker/dockerfile:1
# Batchgraph API: Express + MongoDB + Temporal client, run from TypeScript sources with tsx.
# Build from the repository root:
#   docker build -f deploy/docker/api.Dockerfile -t batchgraph/api:0.1.0 .

FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
# Every workspace manifest is copied so that `npm ci` sees the lock file's full workspace set.
COPY package.json package-lock.json .npmrc ./
COPY engine/package.json engine/
COPY activities/package.json activities/
COPY workflows/package.json workflows/
COPY api/package.json api/
COPY editor/package.json editor/
COPY deploy/package.json deploy/
COPY examples/package.json examples/
# Dev dependencies stay: tsx (a root devDependency) runs the sources. Install scripts stay off, as
# in development, so the image runs the same dependency tree the tests ran.
RUN npm ci --workspace @batchgraph/api --workspace @batchgraph/engine --include-workspace-root \
    --ignore-scripts --no-audit --no-fund

FROM node:20.20.2-bookworm-slim AS runtime
# dumb-init runs as PID 1: it forwards SIGTERM to Node and reaps zombies.
RUN apt-get update \
    && apt-get install -y --no-install-recommends dumb-init=1.2.5-2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    BATCHGRAPH_API_HOST=0.0.0.0 \
    BATCHGRAPH_API_PORT=3000
COPY --from=deps /app/ ./
COPY tsconfig.json ./
COPY engine/ engine/
COPY api/ api/
COPY deploy/docker/healthcheck.mjs deploy/docker/
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "deploy/docker/healthcheck.mjs", "BATCHGRAPH_API_PORT", "/api/health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/dumb-init", "--"]
# `node --import tsx` is `npx tsx` without the npm and tsx wrapper processes, so the signal
# reaches the server itself.
CMD ["node", "--import", "tsx", "api/src/server.ts"]
