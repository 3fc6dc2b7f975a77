# claude2api on Node, for `docker run`, compose and Hugging Face Docker Spaces (README: "Docker").
#
# Stage 1 builds with every dependency (esbuild, TypeScript sources); stage 2 runs the
# self-contained bundle. The production dependencies (hono, zod, @hono/node-server, …) are
# bundled into dist/node.mjs and `npm run build:node` fails if the bundle would import
# anything at run time but a Node built-in, so the run stage needs no node_modules at all.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed to bundle (esbuild's binary comes as an
# optional dependency; the `node` and workerd packages are for the test suite only).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY scripts/build-node.mjs scripts/
COPY src src/
RUN npm run build:node

FROM node:24-slim
# UPSTREAM=auto: without ANTHROPIC_API_KEYS the gateway answers from the built-in simulator,
# as `npm start` does (and says so in the log); with keys, from the Anthropic API. Set
# UPSTREAM=anthropic to refuse instead. DATA_DIR: client keys and usage (client-keys.sqlite),
# on the volume declared below.
ENV NODE_ENV=production UPSTREAM=auto DATA_DIR=/data
# ADDRESS is deliberately not set here: unset, the server listens on 0.0.0.0:$PORT when a
# platform sets PORT (a Hugging Face Space: 7860), otherwise on 0.0.0.0:8080. An explicit
# ADDRESS (host:port) wins over PORT.
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/dist/node.mjs /app/dist/healthcheck.mjs dist/
USER node
VOLUME /data
EXPOSE 8080
# node:24-slim has no curl: a 1 KB bundle GETs /health on the address the server uses.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.mjs"]
CMD ["node", "dist/node.mjs"]
