# syntax=docker/dockerfile:1
# Switchboard production image on Node 24 LTS (docs/DEPLOYMENT.md).
#
#   docker build -t switchboard .
#   docker run -p 3000:3000 -v switchboard-data:/data switchboard        # embedded PGlite + local S3 in /data
#   docker compose up --build                                             # PostgreSQL, MinIO, 2 instances, proxy
#
# Three stages: deps (every npm package, dev ones included, for the build), build (`next build`
# with NEXT_OUTPUT=standalone: .next/standalone holds server.js and only the node_modules the
# server traces), runtime (server.js, its node_modules and .next, the static assets and the
# run-time data files; no sources, runs as an unprivileged user).
ARG NODE_VERSION=24.22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# patches/ before the install: its postinstall (patch-package) applies them (postgres.js fixes).
COPY patches ./patches
# npm install, not npm ci: see STACK-NOTES (platform packages missing from some registries).
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# The standalone server keeps next.config as built: HTTP_COMPRESSION=off (compose passes it; its
# Caddy compresses) builds a server that leaves compression to the proxy. Default on.
ARG HTTP_COMPRESSION=on
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone HTTP_COMPRESSION=${HTTP_COMPRESSION}
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build \
  && test -f .next/standalone/server.js

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ARG HTTP_COMPRESSION=on
# HOSTNAME: server.js binds to it (Docker sets it to the container id otherwise).
# DATA_DIR: PGlite files, the generated auth secret and the local S3 folder when DATABASE_URL /
# NEXTAUTH_SECRET / S3_ENDPOINT are unset (single-instance use; compose sets all three).
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 KEEP_ALIVE_TIMEOUT=65000 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/data HTTP_COMPRESSION=${HTTP_COMPRESSION}
RUN groupadd --system --gid 10001 app \
  && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
  && mkdir -p /data && chown app:app /data && chmod 0700 /data
# Only the server out of .next/standalone: some modules read files under process.cwd(), so the
# tracer copies the whole project there (sources, tests, docs); none of that is needed to run.
COPY --from=build --chown=app:app /app/.next/standalone/server.js /app/.next/standalone/package.json ./
COPY --from=build --chown=app:app /app/.next/standalone/node_modules ./node_modules
COPY --from=build --chown=app:app /app/.next/standalone/.next ./.next
COPY --from=build --chown=app:app /app/.next/static ./.next/static
COPY --from=build --chown=app:app /app/public ./public
# Read at run time from the working directory (next.config.ts outputFileTracingIncludes lists
# them too; copied explicitly so the image never depends on the tracer finding them).
COPY --from=build --chown=app:app /app/db/migrations ./db/migrations
COPY --from=build --chown=app:app /app/db/seed-data ./db/seed-data
COPY --from=build --chown=app:app /app/lib/triage/local/artifacts ./lib/triage/local/artifacts
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
# Readiness, not liveness: 503 until start-up (migrations, seed, model, workers) finished and
# while the database, storage or job queue is unreachable. start-period covers first migrations.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
