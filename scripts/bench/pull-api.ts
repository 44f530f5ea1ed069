/**
 * Pull API benchmark (issue 5): with 1,000,000 CDRs stored, requests per second and p50/p99
 * latency of GET /ocpi/cpo/2.1.1/cdrs for (a) the first page, (b) the page at offset 500,000
 * reached by offset, (c) the same page reached by following Link (keyset cursor); and, in
 * the same run, the rate of the bare SQL behind each page (the same store functions, via
 * pg), so the API/SQL ratio shows what the HTTP service itself costs.
 *
 *   npx tsx scripts/bench/pull-api.ts [--cdrs=1000000] [--limit=20] [--concurrency=8]
 *                                     [--requests=2000] [--seconds=8]
 *
 * It creates its own database on BENCH_ADMIN_DATABASE_URL (default: the local Postgres as
 * postgres), runs the real `cdrflow api` process on loopback, and drops the database at the
 * end, also on Ctrl-C. Each measurement stops at --requests or --seconds, whichever first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, type Pool } from 'pg';
import { Agent, request } from 'undici';
import { buildCdr } from '../../src/cdr/build/build-cdr';
import { parseSessionEnded } from '../../src/cdr/session/parse-session-ended';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { countPullableCdrs, findPullPage, type PagePosition } from '../../src/store/cdr-pull-query';
import { migrate } from '../../src/store/migrate';
import { createPool } from '../../src/store/pool';
import { decodeCursor } from '../../src/api/cdrs/pull-cursor';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `bench-${randomBytes(8).toString('hex')}`;
const LOAD_BATCH = 100_000;

const { values: args } = parseArgs({
  options: {
    cdrs: { type: 'string', default: '1000000' },
    limit: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    requests: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '8' },
  },
});
const CDRS = Number(args.cdrs);
const LIMIT = Number(args.limit);
const CONCURRENCY = Number(args.concurrency);
const MAX_REQUESTS = Number(args.requests);
const MAX_SECONDS = Number(args.seconds);
const DEEP_OFFSET = Math.floor(CDRS / 2);

const log = (line: string) => process.stdout.write(`${line}\n`);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

// ---------------------------------------------------------------------------- database

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One realistic CDR (the pipeline's own builder on a simulated session) as the row template. */
function templateCdr(): string {
  const input = simulatedSessionEnded({
    party: { country_code: 'FR', party_id: 'AB1' },
    sessionId: 'BENCH-TEMPLATE',
    start: new Date('2021-01-01T00:00:00Z'),
  });
  return JSON.stringify(buildCdr(parseSessionEnded(input), new Date('2021-01-01T01:31:00Z')));
}

/**
 * INSERT ... SELECT generate_series, in batches, with the migrations (and so the count
 * triggers) in place, as rows arrive in production. CDRs are 90 s apart (about 2.9 years
 * for 1M), 90% of party FR*AB1 and 10% of FR*DEF; one in a thousand failed validation.
 */
async function loadCdrs(pool: Pool): Promise<void> {
  const template = templateCdr();
  for (let first = 1; first <= CDRS; first += LOAD_BATCH) {
    const last = Math.min(CDRS, first + LOAD_BATCH - 1);
    await pool.query(
      `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status, attempts, sent_at)
       SELECT 'FR', party, id, 'S-' || id,
              $1::jsonb || jsonb_build_object(
                'id', id,
                'start_date_time', to_char((at - interval '91 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'stop_date_time', to_char((at - interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'last_updated', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
              at,
              CASE WHEN g % 1000 = 0 THEN 'invalid' ELSE 'sent' END, 1, at + interval '1 second'
       FROM generate_series($2::int, $3::int) AS g,
            LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 'DEF' ELSE 'AB1' END AS party,
                            'CDR-' || lpad(g::text, 9, '0') AS id,
                            timestamptz '2021-01-01T00:00:00Z' + g * interval '90 seconds' AS at) AS row_values`,
      [template, first, last],
    );
    if (last % 500_000 === 0 || last === CDRS) log(`  loaded ${thousands(last)} / ${thousands(CDRS)} CDRs`);
  }
}

// ---------------------------------------------------------------------------- API process

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The real `cdrflow api` in its own process, so load generator and service do not share an event loop. */
async function startApiProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(__dirname, '../../bin/cdrflow.js'), 'api'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      OCPI_TOKENS: TOKEN,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      OCPI_BASE_URL: url,
      OCPI_PULL_DEFAULT_LIMIT: String(LIMIT),
      OCPI_PULL_MAX_LIMIT: String(Math.max(LIMIT, 100)),
      // The benchmark measures the service, not its brakes.
      OCPI_RATE_LIMIT_PER_SECOND: '1000000',
      OCPI_RATE_LIMIT_BURST: '1000000',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`cdrflow api exited with ${code}: ${stderr}`)));
  });
  return { url, child };
}

// ---------------------------------------------------------------------------- measuring

interface Measurement {
  count: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const nearestRank = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/** Runs `once` from `clients` loops until MAX_REQUESTS are done or MAX_SECONDS have passed. */
async function measure(clients: number, once: () => Promise<void>): Promise<Measurement> {
  for (let i = 0; i < Math.min(20, MAX_REQUESTS); i++) await once(); // warm caches and connections
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + MAX_SECONDS * 1000;
  let started = 0;
  const loop = async () => {
    while (started < MAX_REQUESTS && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      await once();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    perSecond: latencies.length / seconds,
    p50Ms: nearestRank(latencies, 0.5),
    p99Ms: nearestRank(latencies, 0.99),
  };
}

interface Scenario {
  name: string;
  path: string;
  position: PagePosition;
}

function printTable(rows: { scenario: string; clients: number; api: Measurement; sql: Measurement }[]): void {
  const pad = (text: string, width: number) => text.padStart(width);
  const cells = (m: Measurement) =>
    `${pad(thousands(m.perSecond), 8)} ${pad(m.p50Ms.toFixed(2), 8)} ${pad(m.p99Ms.toFixed(2), 8)} ${pad(thousands(m.count), 6)}`;
  log('');
  log(`${'page'.padEnd(28)} ${pad('clients', 7)} | ${'API over HTTP'.padEnd(33)} | ${'bare SQL via pg'.padEnd(33)} | API/SQL`);
  log(
    `${''.padEnd(28)} ${pad('', 7)} | ${pad('req/s', 8)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('n', 6)} | ${pad('q/s', 8)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('n', 6)} | ${pad('rate', 7)}`,
  );
  log('-'.repeat(124));
  for (const row of rows) {
    log(
      `${row.scenario.padEnd(28)} ${pad(String(row.clients), 7)} | ${cells(row.api)} | ${cells(row.sql)} | ${pad((row.api.perSecond / row.sql.perSecond).toFixed(2), 7)}`,
    );
  }
}

// ---------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const dbName = `cdrflow_bench_pull_${randomBytes(4).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
  let pool: Pool | undefined;
  let api: { url: string; child: ChildProcess } | undefined;
  const cleanUp = async () => {
    api?.child.kill('SIGTERM');
    await pool?.end().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    await admin(`CREATE DATABASE ${dbName}`);
    pool = createPool(databaseUrl, CONCURRENCY + 2);
    await migrate(pool);
    const versions = await pool.query<{ server_version: string }>('SHOW server_version');
    log(
      `cdrflow pull API benchmark: ${thousands(CDRS)} CDRs, ${LIMIT} per page, ${os.cpus().length} CPUs, Node ${process.version}, PostgreSQL ${versions.rows[0]?.server_version}`,
    );

    let t0 = performance.now();
    await loadCdrs(pool);
    const loadSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    // What autovacuum does on a live database: index-only scans need the visibility map it
    // sets, and the pull counters (updated once per hour loaded) need their dead rows gone.
    await pool.query('VACUUM ANALYZE');
    const vacuumSeconds = (performance.now() - t0) / 1000;
    const size = await pool.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('cdrs')) AS size`);
    log(
      `load: ${loadSeconds.toFixed(1)} s (${thousands(CDRS / loadSeconds)} CDRs/s, count triggers on), VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s, cdrs ${size.rows[0]?.size}`,
    );

    api = await startApiProcess(databaseUrl);
    const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 60_000 });
    const get = async (url: string): Promise<{ link?: string; body: string }> => {
      const response = await request(url, { dispatcher: agent, headers: { authorization: `Token ${TOKEN}` } });
      const body = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${body.slice(0, 200)}`);
      const link = response.headers.link;
      return { link: typeof link === 'string' ? /<([^>]+)>/.exec(link)?.[1] : undefined, body };
    };

    // The Link that leads to the page at DEEP_OFFSET, as a client walking the pages gets it.
    const before = await get(`${api.url}/ocpi/cpo/2.1.1/cdrs?offset=${DEEP_OFFSET - LIMIT}&limit=${LIMIT}`);
    if (!before.link) throw new Error('no Link before the deep page');
    const linkUrl = new URL(before.link);
    const cursor = decodeCursor(linkUrl.searchParams.get('cursor') ?? '');
    if (!cursor) throw new Error('the Link carries no cursor');
    const byOffset = await get(`${api.url}/ocpi/cpo/2.1.1/cdrs?offset=${DEEP_OFFSET}&limit=${LIMIT}`);
    const byLink = await get(linkUrl.toString());
    if (byOffset.body.replace(/"timestamp":"[^"]+"/, '') !== byLink.body.replace(/"timestamp":"[^"]+"/, '')) {
      throw new Error('offset and Link answered different pages');
    }

    const scenarios: Scenario[] = [
      { name: '(a) first page', path: `?limit=${LIMIT}`, position: { offset: 0 } },
      { name: `(b) offset ${thousands(DEEP_OFFSET)}`, path: `?offset=${DEEP_OFFSET}&limit=${LIMIT}`, position: { offset: DEEP_OFFSET } },
      { name: `(c) same page by Link`, path: linkUrl.search, position: { after: cursor } },
    ];
    const rows: { scenario: string; clients: number; api: Measurement; sql: Measurement }[] = [];
    const loadAtStart = os.loadavg()[0] ?? 0;
    for (const scenario of scenarios) {
      for (const clients of [1, CONCURRENCY]) {
        const url = `${api.url}/ocpi/cpo/2.1.1/cdrs${scenario.path}`;
        const apiResult = await measure(clients, async () => void (await get(url)));
        // What the handler runs for one page: the count and the page (+1 row) in parallel.
        const sqlResult = await measure(clients, async () => {
          await Promise.all([countPullableCdrs(pool!, 'all', {}), findPullPage(pool!, 'all', {}, scenario.position, LIMIT + 1)]);
        });
        rows.push({ scenario: scenario.name, clients, api: apiResult, sql: sqlResult });
        log(`  measured ${scenario.name} with ${clients} client(s)`);
        if (scenario === scenarios[0]) {
          // What the pull barrier (no missed late commits) costs: the same SQL read without it.
          const unfenced = await measure(clients, async () => {
            await Promise.all([
              countPullableCdrs(pool!, 'all', {}),
              findPullPage(pool!, 'all', {}, scenario.position, LIMIT + 1, { behindBarrier: false }),
            ]);
          });
          rows.push({ scenario: `${scenario.name}, no barrier`, clients, api: apiResult, sql: unfenced });
        }
      }
    }
    printTable(rows);
    // Other work on the machine shows in the figures; say how busy it was.
    log(
      `\nload average (1 min) at start of measuring ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0]?.toFixed(2)}, on ${os.cpus().length} CPUs`,
    );
    await agent.close();
  } finally {
    await cleanUp();
    log(`\ndropped database ${dbName}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
