/**
 * The API's metrics on a real database and real HTTP: served on their own port
 * (API_METRICS_PORT), never on the public OCPI one; Prometheus text, guarded by
 * METRICS_TOKEN, pull requests counted by route and status, and queue gauges per CPO read
 * from Postgres, at most once per cache window whatever the number of scrapes.
 */
import type { Pool } from 'pg';
import { CDRS_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { startApiServer, type StartedApiServer } from '../../../src/api/server';
import type { Party } from '../../../src/ocpi/party';
import { apiConfig } from '../../../src/config/index';
import { createApiMetrics } from '../../../src/observability/api-metrics';
import { startMetricsServer, type MetricsServer } from '../../../src/observability/metrics-server';
import { insertCdr, recordCheck } from '../../../src/store/cdr-repo';
import { recordHandIns } from '../../../src/store/queue-repo';
import { markRejected, markSent } from '../../support/deliveries';
import { createPool } from '../../../src/store/pool';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { parseExposition, valueOf, type Sample } from '../../support/prometheus-text';

const PULL_TOKEN = 'pull-token-for-metrics-3e1d';
const METRICS_TOKEN = 'metrics-token-9b27c0d4e5f6';

let db: TestDatabase;
let api: ApiWithMetrics;

/** The API as `cdrflow api` runs it: the OCPI server, and its metrics on a port of their own. */
interface ApiWithMetrics {
  ocpi: StartedApiServer;
  metrics: MetricsServer;
  close(): Promise<void>;
}

async function startApi(
  pool: Pool,
  env: Record<string, string> = {},
  options: { token?: string | null; storeReadMaxAgeMs?: number } = {},
): Promise<ApiWithMetrics> {
  const config = apiConfig({ API_PORT: '0', OCPI_TOKENS: PULL_TOKEN, ...env });
  // No cache unless a test asks: most tests change the store and scrape at once.
  const apiMetrics = createApiMetrics({
    pool,
    token: options.token === undefined ? METRICS_TOKEN : options.token,
    storeReadMaxAgeMs: options.storeReadMaxAgeMs ?? 0,
  });
  const ocpi = await startApiServer({ pool, config, metrics: apiMetrics });
  const metrics = await startMetricsServer({ host: '127.0.0.1', port: 0, endpoint: apiMetrics.endpoint });
  return {
    ocpi,
    metrics,
    async close() {
      await metrics.close();
      await ocpi.close();
    },
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi(db.pool);
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

async function scrape(server: ApiWithMetrics = api): Promise<Sample[]> {
  const response = await fetch(server.metrics.url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

let sequence = 0;
async function store(party: Party, status: 'queued' | 'invalid' = 'queued'): Promise<string> {
  const id = `MET-${++sequence}`;
  await insertCdr(db.pool, {
    ...party,
    id,
    session_id: `S-${id}`,
    cdr: { id },
    last_updated: new Date(),
    status,
    ...(status === 'invalid' ? { validation_errors: ['total_cost: must be >= 0'] } : {}),
  });
  return id;
}

describe('the endpoint', () => {
  test('answers Prometheus text, outside the OCPI envelope', async () => {
    const response = await fetch(api.metrics.url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toMatch(/^# HELP /m);
    expect(text).not.toContain('status_code');
  });

  test('with METRICS_TOKEN set, refuses a scrape without that bearer token, or with the OCPI token', async () => {
    for (const authorization of [undefined, `Bearer wrong-token-0000000000`, `Token ${PULL_TOKEN}`, `Bearer ${PULL_TOKEN}`]) {
      const response = await fetch(api.metrics.url, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  test('without METRICS_TOKEN, the loopback metrics port is open like the probes', async () => {
    const open = await startApi(db.pool, {}, { token: null });
    try {
      expect((await fetch(open.metrics.url)).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  test('is not rate-limited: Prometheus keeps scraping while anonymous callers are refused', async () => {
    const strict = await startApi(db.pool, { OCPI_RATE_LIMIT_PER_IP_PER_SECOND: '0.01', OCPI_RATE_LIMIT_PER_IP_BURST: '1' });
    try {
      expect((await fetch(`${strict.ocpi.url}/nothing-here`)).status).toBe(404);
      expect((await fetch(`${strict.ocpi.url}/nothing-here`)).status).toBe(429);
      for (let i = 0; i < 5; i++) await scrape(strict);
    } finally {
      await strict.close();
    }
  });

  test('the public OCPI port never serves /metrics: there it is an unknown route, token or not', async () => {
    const plain = await startApiServer({ pool: db.pool, config: apiConfig({ API_PORT: '0', OCPI_TOKENS: PULL_TOKEN }) });
    try {
      for (const server of [api.ocpi, plain]) {
        for (const headers of [{}, { authorization: `Bearer ${METRICS_TOKEN}` }] as Record<string, string>[]) {
          const response = await fetch(`${server.url}/metrics`, { headers });
          expect(response.status).toBe(404);
          expect(await response.json()).toMatchObject({ status_code: 2000 });
        }
      }
    } finally {
      await plain.close();
    }
  });
});

test('exposes every series the runbook alerts on, and the process metrics', async () => {
  await store({ country_code: 'FR', party_id: 'SER' });
  await fetch(`${api.ocpi.url}${VERSIONS_PATH}`, { headers: { authorization: `Token ${PULL_TOKEN}` } });
  const names = new Set((await scrape()).map((sample) => sample.name));
  for (const name of [
    'cdrflow_api_requests_total',
    'cdrflow_queue_depth',
    'cdrflow_queue_oldest_age_seconds',
    'cdrflow_stored_cdrs',
    'cdrflow_check_mismatches_last_day',
    'cdrflow_store_up',
    'process_cpu_seconds_total',
    'nodejs_eventloop_lag_seconds',
  ]) {
    expect(names).toContain(name);
  }
});

test('counts answered requests by route pattern and HTTP status, never by raw path', async () => {
  const before = await scrape();
  const count = (samples: Sample[], route: string, status: string) =>
    valueOf(samples, 'cdrflow_api_requests_total', { route, status }) ?? 0;
  const get = (path: string, token: string | null = PULL_TOKEN) =>
    fetch(`${api.ocpi.url}${path}`, { headers: token ? { authorization: `Token ${token}` } : {} });

  await get(VERSIONS_PATH);
  await get(VERSIONS_PATH);
  await get(VERSIONS_PATH, null);
  await get(`${CDRS_PATH}/NO-SUCH-CDR-1`);
  await get(`${CDRS_PATH}/NO-SUCH-CDR-2`);
  await get('/wp-admin/setup.php');
  await get(`${CDRS_PATH}?limit=abc`);

  const after = await scrape();
  const moved = (route: string, status: string) => count(after, route, status) - count(before, route, status);
  expect(moved(VERSIONS_PATH, '200')).toBe(2);
  expect(moved(VERSIONS_PATH, '401')).toBe(1);
  expect(moved(`${CDRS_PATH}/:cdr_id`, '404')).toBe(2);
  expect(moved('unknown', '404')).toBe(1);
  expect(moved(CDRS_PATH, '400')).toBe(1);
  expect(after.filter((sample) => JSON.stringify(sample.labels).includes('NO-SUCH-CDR'))).toEqual([]);
});

describe('queue gauges, read from Postgres', () => {
  test('queue depth and oldest undelivered age follow the queued CDRs of each CPO', async () => {
    const abc = { country_code: 'FR', party_id: 'QAB' };
    const def = { country_code: 'FR', party_id: 'QDE' };
    const [oldest] = [await store(abc), await store(abc), await store(abc), await store(def)];
    await db.pool.query(`UPDATE cdrs SET created_at = now() - interval '10 minutes' WHERE id = $1`, [oldest]);

    let samples = await scrape();
    expect(valueOf(samples, 'cdrflow_queue_depth', { cpo: 'FR*QAB' })).toBe(3);
    expect(valueOf(samples, 'cdrflow_queue_depth', { cpo: 'FR*QDE' })).toBe(1);
    expect(valueOf(samples, 'cdrflow_queue_oldest_age_seconds', { cpo: 'FR*QAB' })).toBeGreaterThanOrEqual(600);
    expect(valueOf(samples, 'cdrflow_queue_oldest_age_seconds', { cpo: 'FR*QDE' })).toBeLessThan(60);

    await markSent(db.pool, { ...abc, id: oldest! }, null);
    samples = await scrape();
    expect(valueOf(samples, 'cdrflow_queue_depth', { cpo: 'FR*QAB' })).toBe(2);
    expect(valueOf(samples, 'cdrflow_queue_oldest_age_seconds', { cpo: 'FR*QAB' })).toBeLessThan(60);
  });

  test('a CPO whose queue emptied keeps its series, at 0, so alerts resolve', async () => {
    const party = { country_code: 'FR', party_id: 'QEM' };
    const id = await store(party);
    await db.pool.query(`UPDATE cdrs SET created_at = now() - interval '2 hours' WHERE id = $1`, [id]);
    expect(valueOf(await scrape(), 'cdrflow_queue_oldest_age_seconds', { cpo: 'FR*QEM' })).toBeGreaterThanOrEqual(7200);
    await markSent(db.pool, { ...party, id }, null);
    const samples = await scrape();
    expect(valueOf(samples, 'cdrflow_queue_depth', { cpo: 'FR*QEM' })).toBe(0);
    expect(valueOf(samples, 'cdrflow_queue_oldest_age_seconds', { cpo: 'FR*QEM' })).toBe(0);
  });

  test('stored CDRs are counted by CPO and status, sent ones included', async () => {
    const party = { country_code: 'FR', party_id: 'STA' };
    const key = (id: string) => ({ ...party, id });
    const ids = [await store(party), await store(party), await store(party), await store(party), await store(party)];
    await store(party, 'invalid');
    await markSent(db.pool, key(ids[0]!), null);
    await markSent(db.pool, key(ids[1]!), 'https://iop.example/cdrs/x');
    await markRejected(db.pool, key(ids[2]!), 'HTTP 400, OCPI 2001');

    const samples = await scrape();
    const stored = (status: string) => valueOf(samples, 'cdrflow_stored_cdrs', { cpo: 'FR*STA', status });
    expect([stored('queued'), stored('sent'), stored('rejected'), stored('invalid')]).toEqual([2, 2, 1, 1]);
  });

  test('lane depth counts what waits for each receiver of a CPO; an idle connection reads 0', async () => {
    const party = { country_code: 'FR', party_id: 'LAN' };
    await db.pool.query(`INSERT INTO connections (country_code, party_id, name, ocpi_version, cdrs_url, token) VALUES
      ('FR', 'LAN', 'gireve', '2.1.1', 'https://gireve.example/cdrs', 't1'),
      ('FR', 'LAN', 'emsp', '2.2.1', 'https://emsp.example/cdrs', 't2')`);
    // Two CDRs: GIREVE took both, the eMSP neither yet.
    await recordHandIns(
      db.pool,
      party,
      [1, 2].map((n) => ({ cdrId: `LAN-${n}`, sessionId: `S-LAN-${n}`, at: Date.now() })),
    );
    for (const n of [1, 2]) {
      await insertCdr(db.pool, {
        ...party,
        id: `LAN-${n}`,
        session_id: `S-LAN-${n}`,
        cdr: { id: n },
        last_updated: new Date(),
        status: 'queued',
      });
      await markSent(db.pool, { ...party, id: `LAN-${n}` }, null, 'gireve');
    }
    const samples = await scrape();
    expect(valueOf(samples, 'cdrflow_lane_depth', { cpo: 'FR*LAN', connection: 'emsp' })).toBe(2);
    expect(valueOf(samples, 'cdrflow_lane_depth', { cpo: 'FR*LAN', connection: 'gireve' })).toBe(0);
    expect(valueOf(samples, 'cdrflow_queue_depth', { cpo: 'FR*LAN' })).toBe(2);
  });

  test('check mismatches are counted per CPO among the CDRs of the last day', async () => {
    const party = { country_code: 'FR', party_id: 'CHK' };
    const [recent, old, matching] = [await store(party), await store(party), await store(party)];
    for (const id of [recent!, old!, matching!]) await markSent(db.pool, { ...party, id }, null);
    await recordCheck(db.pool, { ...party, id: recent! }, 'mismatch', 'total_cost differs');
    await recordCheck(db.pool, { ...party, id: old! }, 'mismatch', 'total_cost differs');
    await recordCheck(db.pool, { ...party, id: matching! }, 'match', 'same CDR');
    await db.pool.query(`UPDATE cdrs SET last_updated = now() - interval '2 days' WHERE id = $1`, [old]);

    expect(valueOf(await scrape(), 'cdrflow_check_mismatches_last_day', { cpo: 'FR*CHK' })).toBe(1);
  });

  test('when the store does not answer, /metrics still answers, with store_up 0 and no stale queue series', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:5432/cdrflow_no_such_database');
    const down = await startApi(pool);
    try {
      const samples = await scrape(down);
      expect(valueOf(samples, 'cdrflow_store_up')).toBe(0);
      expect(samples.filter((sample) => sample.name === 'cdrflow_queue_depth')).toEqual([]);
    } finally {
      await down.close();
      await pool.end();
    }
    expect(valueOf(await scrape(), 'cdrflow_store_up')).toBe(1);
  });
});

describe('the store behind the queue gauges is read once per cache window, however often Prometheus scrapes', () => {
  test('two scrapes within the window read Postgres once; the next window reads it again', async () => {
    const pool = createPool(db.url, 2);
    const cached = await startApi(pool, {}, { storeReadMaxAgeMs: 2_000 });
    const reads = jest.spyOn(pool, 'connect');
    try {
      const party = { country_code: 'FR', party_id: 'CAC' };
      await store(party);
      expect(valueOf(await scrape(cached), 'cdrflow_queue_depth', { cpo: 'FR*CAC' })).toBe(1);
      await store(party);
      // Within the window: the gauges of the first read, and no new query.
      expect(valueOf(await scrape(cached), 'cdrflow_queue_depth', { cpo: 'FR*CAC' })).toBe(1);
      expect(reads).toHaveBeenCalledTimes(1);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(valueOf(await scrape(cached), 'cdrflow_queue_depth', { cpo: 'FR*CAC' })).toBe(2);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
      await cached.close();
      await pool.end();
    }
  });

  test('by default the window is a few seconds: a burst of scrapes reads Postgres once', async () => {
    const pool = createPool(db.url, 2);
    const apiMetrics = createApiMetrics({ pool, token: null });
    const metrics = await startMetricsServer({ host: '127.0.0.1', port: 0, endpoint: apiMetrics.endpoint });
    const reads = jest.spyOn(pool, 'connect');
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(metrics.url)).status).toBe(200);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
      await metrics.close();
      await pool.end();
    }
  });
});
