# The presence service as a container image (issue 12). Multi-stage: the build stage has the
# dev dependencies (esbuild, TypeScript) and builds the service bundle and the widget; the
# runtime stage has only production dependencies, the bundle and the widget, and runs as the
# unprivileged `node` user. Build: docker build -t jsm-chat-presence .
# (Not built on the machines this was written on: no container tools there. The same
# bundle, settings and drain run in `npm run cluster` and its tests.)

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npx tsx scripts/build.ts widget && npx tsx scripts/build.ts presence

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 DATA_DIR=/data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /src/package.json ./package.json
COPY --from=build --chown=root:root /src/dist/presence-service ./dist/presence-service
# The service serves the widget from ./static/widget/build (http/static.ts).
COPY --from=build --chown=root:root /src/static/widget/build ./static/widget/build
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8787
# SIGTERM drains (docs/deployment.md): give `docker stop -t` more than DRAIN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/presence-service/main.mjs"]
