# syntax=docker/dockerfile:1
# Batchgraph editor: the Vite build of editor/ served by unprivileged nginx, which also proxies
# /api to the API. Build from the repository root:
#   docker build -f deploy/docker/editor.Dockerfile -t batchgraph/editor:0.1.0 .

FROM node:20.20.2-bookworm-slim AS build
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
RUN npm ci --workspace @batchgraph/editor --workspace @batchgraph/engine --include-workspace-root \
    --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY engine/ engine/
COPY editor/ editor/
RUN npm run build --workspace @batchgraph/editor

FROM nginxinc/nginx-unprivileged:1.28.0-alpine AS runtime
COPY deploy/docker/editor.nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/editor/dist/ /usr/share/nginx/html/
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/healthz"]
# SIGQUIT is nginx's graceful shutdown (finish open requests); SIGTERM would drop them.
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
