# syntax=docker/dockerfile:1
# Batchgraph worker: the interpreter workflow and every activity, polling the task queues named in
# BATCHGRAPH_WORKER_QUEUES. Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t batchgraph/worker:0.1.0 .

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
# in development; the Temporal core bridge ships its native binaries inside the package.
RUN npm ci --workspace @batchgraph/workflows --workspace @batchgraph/activities \
    --workspace @batchgraph/engine --include-workspace-root \
    --ignore-scripts --no-audit --no-fund

FROM node:20.20.2-bookworm-slim AS runtime
# dumb-init runs as PID 1: it forwards SIGTERM to Node, which then drains the worker.
RUN apt-get update \
    && apt-get install -y --no-install-recommends dumb-init=1.2.5-2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    BATCHGRAPH_METRICS_PORT=9464
COPY --from=deps /app/ ./
COPY tsconfig.json ./
COPY engine/ engine/
COPY activities/ activities/
COPY workflows/ workflows/
COPY deploy/docker/healthcheck.mjs deploy/docker/
USER 1000:1000
EXPOSE 9464
# Bundling the workflow code at start-up takes a while, hence the long start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "deploy/docker/healthcheck.mjs", "BATCHGRAPH_METRICS_PORT", "/metrics"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/dumb-init", "--"]
# `node --import tsx` is `npx tsx` without the npm and tsx wrapper processes, so the signal
# reaches the worker itself and its graceful shutdown runs.
CMD ["node", "--import", "tsx", "workflows/src/worker.ts"]
