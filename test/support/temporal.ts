/**
 * The real pipeline for integration tests: a client and a worker on the dev server that
 * global-setup started, the workflow code bundled once per test file, a mock IOP on
 * loopback. Each test uses its own CPO party so queue workflows never meet across tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { Party } from '../../src/ocpi/party';
import { iopConfig } from '../../src/config/index';
import { startMockIop, type MockControl, type MockIop } from '../../src/dev/mock-iop';
import type { DeliveryObserver } from '../../src/observability/delivery-observer';
import { createCdrWorker, type CdrWorker } from '../../src/worker/create-worker';
import { createTestDatabase, type TestDatabase } from './db';
import { setUp } from './stack';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Core's own retry warnings are expected in fault tests (the server is down on purpose).
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
}

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: jest globalSetup starts the dev server');
  return address;
}

export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: new DefaultLogger('WARN'),
  });
}

export async function connectClient(): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return new Client({ connection, namespace: 'default' });
}

/**
 * A CPO party no other test of this run uses, so queue workflows never meet across tests
 * (a queue left on another file's task queue would never answer). Numbered through a file
 * that global-setup creates, since each test file has its own module registry; the
 * country code is drawn once per run, so runs sharing a dev server do not meet either.
 */
export function randomParty(): Party {
  const counterFile = process.env.CDRFLOW_TEST_PARTY_COUNTER;
  const country = process.env.CDRFLOW_TEST_PARTY_COUNTRY;
  if (!counterFile || !country) throw new Error('CDRFLOW_TEST_PARTY_COUNTER is not set: jest globalSetup sets it');
  const next = existsSync(counterFile) ? Number(readFileSync(counterFile, 'utf8')) : 0;
  writeFileSync(counterFile, String(next + 1));
  return { country_code: country, party_id: next.toString(36).toUpperCase().padStart(3, '0') };
}

export interface TestPipeline {
  client: Client;
  worker: CdrWorker;
  iop: MockIop;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startTestPipeline(options: {
  pool: Pool;
  bundle: WorkflowBundleWithSourceMap;
  mockControl?: MockControl;
  env?: Record<string, string>;
  sendSignedData?: boolean;
  deliveryObserver?: DeliveryObserver;
  queueRepairEveryMs?: number;
}): Promise<TestPipeline> {
  quietRuntime();
  const iop = await startMockIop({ control: options.mockControl });
  const taskQueue = `cdrflow-test-${randomBytes(4).toString('hex')}`;
  const worker = await createCdrWorker({
    temporal: { address: temporalAddress() },
    namespace: 'default',
    taskQueue,
    pool: options.pool,
    iop: iopConfig({
      IOP_CDRS_URL: iop.cdrsUrl,
      IOP_TOKEN: iop.token,
      IOP_REQUEST_TIMEOUT_MS: '1000',
      IOP_RETRY_INITIAL_MS: '50',
      // Short like the other timings: an unknown outcome is re-sent after a clear "unknown CDR" this much later.
      IOP_CHECK_SETTLE_MS: '300',
      IOP_RETRY_MAX_MS: '400',
      ...options.env,
    }),
    cdr: { sendSignedData: options.sendSignedData ?? false },
    workflowBundle: options.bundle,
    deliveryObserver: options.deliveryObserver,
    queueRepairEveryMs: options.queueRepairEveryMs,
  });
  const running = worker.run();
  const client = await connectClient();
  return {
    client,
    worker,
    iop,
    taskQueue,
    async stop() {
      await worker.shutdown();
      await running;
      await client.connection.close();
      await iop.close();
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PipelineSuite {
  readonly db: TestDatabase;
  readonly pipeline: TestPipeline;
  readonly bundle: WorkflowBundleWithSourceMap;
}

/**
 * Gives the calling test file its own migrated database and a running pipeline (worker,
 * client, mock IOP), set up before its tests and torn down after them.
 */
export function usePipeline(
  options: { sendSignedData?: boolean; deliveryObserver?: DeliveryObserver; queueRepairEveryMs?: number } = {},
): PipelineSuite {
  const state: { db?: TestDatabase; pipeline?: TestPipeline; bundle?: WorkflowBundleWithSourceMap } = {};
  beforeAll(async () => {
    [state.db, state.bundle] = await Promise.all([createTestDatabase(), bundleWorkflows()]);
    state.pipeline = await startTestPipeline({ pool: state.db.pool, bundle: state.bundle, ...options });
  });
  afterAll(async () => {
    await state.pipeline?.stop();
    await state.db?.drop();
  });
  return {
    get db() {
      return setUp(state.db, 'db');
    },
    get pipeline() {
      return setUp(state.pipeline, 'pipeline');
    },
    get bundle() {
      return setUp(state.bundle, 'bundle');
    },
  };
}
