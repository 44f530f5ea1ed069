# cdrflow image: the worker, the OCPI API, the intake and the CLI (one binary, subcommands),
# running the compiled code in dist/: no TypeScript compiler and no Temporal CLI inside.

# Build: all dependencies, compile to dist/ (JavaScript, .d.ts, the prebuilt workflow bundle).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build scripts/bundle-workflows.js ./scripts/
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN scripts/build

# Run: production dependencies and the compiled code only.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
ENTRYPOINT ["node", "bin/cdrflow.js"]
CMD ["--help"]
