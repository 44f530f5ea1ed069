/**
 * Against a Temporal server cdrflow did not set up: a plain `temporal server start-dev`
 * with no --search-attribute flag, as a CPO's own cluster starts out. A hand-in says what
 * is missing and how to add it; a server that refuses to add it (as Temporal Cloud does)
 * stops the worker at start with the commands; where it may, the worker adds what its
 * workflows need and a CDR goes end to end.
 */
import { Client, Connection } from '@temporalio/client';
import { iopConfig } from '../../../src/config/index';
import { startCdr } from '../../../src/client/start-cdr';
import { startMockIop, type MockIop } from '../../../src/dev/mock-iop';
import { startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { TemporalSetupError } from '../../../src/temporal/temporal-errors';
import { createCdrWorker } from '../../../src/worker/create-worker';
import { searchAttributeRegistrations } from '../../../workflows/search-attributes';
import { runCli } from '../../support/cli';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { startGrpcProxy, type GrpcProxy } from '../../support/grpc-proxy';
import { resultOf, simulatedSessions } from '../../support/sessions';
import { bundleWorkflows, randomParty } from '../../support/temporal';

let server: DevServer;
let db: TestDatabase;
let iop: MockIop;
let client: Client;

beforeAll(async () => {
  [server, db, iop] = await Promise.all([startDevServer({ searchAttributes: false }), createTestDatabase(), startMockIop()]);
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
}, 60_000);
afterAll(async () => {
  await client?.connection.close();
  await iop?.close();
  await db?.drop();
  await server?.stop();
});

const workerOptions = (address: string) => ({
  temporal: { address },
  namespace: 'default',
  taskQueue: 'plain-dev-server',
  pool: db.pool,
  iop: iopConfig({ IOP_CDRS_URL: iop.cdrsUrl, IOP_TOKEN: iop.token, IOP_RETRY_INITIAL_MS: '50', IOP_CHECK_SETTLE_MS: '300' }),
});

test('a hand-in names the missing search attribute and the command that adds it, not "Failed to signalWithStart"', async () => {
  const [input] = simulatedSessions(1, 'plain', randomParty());
  const error = await startCdr(client, input, { taskQueue: 'plain-dev-server' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TemporalSetupError);
  expect(error).toMatchObject({ code: 'TEMPORAL_SEARCH_ATTRIBUTE_MISSING' });
  // The server names one of the attributes the session workflow starts with (which one is its choice).
  const missing = /no search attribute (Cdr\w+) \(Keyword\)/.exec((error as Error).message)?.[1];
  expect(['CdrOperatorId', 'CdrSessionId', 'CdrId', 'CdrDeliveryStatus']).toContain(missing);
  expect((error as Error).message).toContain('npx cdrflow temporal-setup');
  expect((error as Error).message).toContain(
    `temporal operator search-attribute create --namespace default --name ${missing} --type Keyword`,
  );
  expect((error as Error).message).not.toMatch(/Failed to signalWithStart/);
});

test('the CLI says the same and exits non-zero', async () => {
  const [input] = simulatedSessions(1, 'plain-cli', randomParty());
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const file = `${mkdtempSync('/tmp/cdrflow-plain-')}/session.json`;
  writeFileSync(file, JSON.stringify(input));
  const result = await runCli(['session-ended', file], { TEMPORAL_ADDRESS: server.address });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/^cdrflow: Temporal at 127\.0\.0\.1:\d+: namespace default has no search attribute Cdr\w+ \(Keyword\)/);
  expect(result.stderr).not.toMatch(/Failed to signalWithStart/);
});

describe('where the server refuses to add search attributes', () => {
  let refusing: GrpcProxy;
  beforeAll(async () => {
    // Every operator call refused, as Temporal Cloud answers one made with an API key.
    refusing = await startGrpcProxy({ upstream: server.address, refuse: /^\/temporal\.api\.operatorservice\./ });
  });
  afterAll(() => refusing?.close());

  test('the worker stops at start naming each missing attribute, its type and the commands that create it', async () => {
    const error = await createCdrWorker({ ...workerOptions(refusing.address), workflowBundle: await bundleWorkflows() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TemporalSetupError);
    const message = (error as Error).message;
    for (const [name, type] of Object.entries(searchAttributeRegistrations)) {
      expect(message).toContain(
        `${name} (${type}): temporal operator search-attribute create --namespace default --name ${name} --type ${type}`,
      );
      expect(message).toContain(`tcld namespace search-attributes add --namespace default --search-attribute "${name}=${type}"`);
    }
  });
});

test('the worker adds the search attributes it needs, then a CDR goes end to end; temporal-setup finds them there', async () => {
  const worker = await createCdrWorker({ ...workerOptions(server.address), workflowBundle: await bundleWorkflows() });
  expect(worker.searchAttributes.added.sort()).toEqual(Object.keys(searchAttributeRegistrations).sort());
  const running = worker.run();
  try {
    const [input] = simulatedSessions(1, 'plain-e2e', randomParty());
    const started = await startCdr(client, input, { taskQueue: 'plain-dev-server' });
    expect((await resultOf(client, started.workflowId)).status).toBe('delivered');
    expect(iop.received.map((received) => received.id)).toContain(started.cdrId);
  } finally {
    await worker.shutdown();
    await running;
  }
  const setup = await runCli(['temporal-setup'], { TEMPORAL_ADDRESS: server.address });
  expect(setup.code).toBe(0);
  expect(setup.stdout).toContain('search attribute CdrOperatorId already on namespace default');
  expect(setup.stdout).not.toContain('added');
});
