/**
 * Temporal behind mTLS, as a CPO's secured cluster: a TLS-terminating proxy in front of
 * the dev server demands a client certificate from the test's CA. With the right
 * certificate (TEMPORAL_TLS_*), the worker and the client reach it and a CDR goes end to
 * end; without one, or with a stranger's, the error says what to check.
 */
import { readFileSync } from 'node:fs';
import { temporalConfig, iopConfig } from '../../../src/config/index';
import { startCdr } from '../../../src/client/start-cdr';
import { startMockIop, type MockIop } from '../../../src/dev/mock-iop';
import { connectTemporalClient, temporalConnectionOptions } from '../../../src/temporal/temporal-connection';
import { TemporalSetupError } from '../../../src/temporal/temporal-errors';
import { createCdrWorker } from '../../../src/worker/create-worker';
import { runCli } from '../../support/cli';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { startGrpcProxy, type GrpcProxy } from '../../support/grpc-proxy';
import { resultOf, simulatedSessions } from '../../support/sessions';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates';
import { bundleWorkflows, randomParty, temporalAddress } from '../../support/temporal';

const SERVER_NAME = 'temporal.cpo.internal';
let certs: TestCertificates;
let proxy: GrpcProxy;
let db: TestDatabase;
let iop: MockIop;

beforeAll(async () => {
  // The certificate names the cluster, not the loopback address: TEMPORAL_TLS_SERVER_NAME is needed.
  certs = makeTestCertificates({ dns: [SERVER_NAME] });
  [proxy, db, iop] = await Promise.all([
    startGrpcProxy({
      upstream: temporalAddress(),
      tls: { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert), ca: readFileSync(certs.caCert), requestCert: true },
    }),
    createTestDatabase(),
    startMockIop(),
  ]);
});
afterAll(async () => {
  await proxy?.close();
  await iop?.close();
  await db?.drop();
});

const tlsEnv = () => ({
  TEMPORAL_ADDRESS: proxy.address,
  TEMPORAL_TASK_QUEUE: 'tls-connection',
  TEMPORAL_TLS_CA: certs.caCert,
  TEMPORAL_TLS_CERT: certs.clientCert,
  TEMPORAL_TLS_KEY: certs.clientKey,
  TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
});

test('with the client certificate the cluster trusts, a CDR goes end to end over mTLS', async () => {
  const config = temporalConfig(tlsEnv());
  const worker = await createCdrWorker({
    temporal: temporalConnectionOptions(config),
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    pool: db.pool,
    iop: iopConfig({ IOP_CDRS_URL: iop.cdrsUrl, IOP_TOKEN: iop.token, IOP_RETRY_INITIAL_MS: '50' }),
    workflowBundle: await bundleWorkflows(),
  });
  const running = worker.run();
  const client = await connectTemporalClient(tlsEnv());
  try {
    const [input] = simulatedSessions(1, 'tls', randomParty());
    const started = await startCdr(client, input, { taskQueue: config.taskQueue });
    expect((await resultOf(client, started.workflowId)).status).toBe('delivered');
    expect(iop.received.map((received) => received.id)).toContain(started.cdrId);
  } finally {
    await client.connection.close();
    await worker.shutdown();
    await running;
  }
});

test('the CLI reaches the cluster with the same variables', async () => {
  const result = await runCli(['temporal-setup'], tlsEnv());
  expect(result.stderr).toBe('');
  expect(result.stdout).toContain('search attribute CdrOperatorId already on namespace default');
});

test.each([
  ['no client certificate', { TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' }],
  ['a certificate from another CA', { TEMPORAL_TLS_CERT: 'stranger', TEMPORAL_TLS_KEY: 'stranger' }],
])('with %s, connecting fails with an error that points at the TLS settings', async (_case, change) => {
  const env: Record<string, string> = { ...tlsEnv(), ...change };
  if (env.TEMPORAL_TLS_CERT === 'stranger')
    Object.assign(env, { TEMPORAL_TLS_CERT: certs.strangerCert, TEMPORAL_TLS_KEY: certs.strangerKey });
  const error = await connectTemporalClient(env)
    .then(async (client) => {
      // A TLS 1.3 server may refuse the certificate only at the first call.
      try {
        await client.workflowService.getSystemInfo({});
        return undefined;
      } finally {
        await client.connection.close();
      }
    })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TemporalSetupError);
  expect((error as Error).message).toMatch(new RegExp(`Temporal at ${proxy.address.replace(/\./g, '\\.')}`));
  expect((error as Error).message).toMatch(/TEMPORAL_TLS_/);
});

test('without TLS at all, the error asks whether the server expects it', async () => {
  const error = await connectTemporalClient({ TEMPORAL_ADDRESS: proxy.address }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TemporalSetupError);
  expect((error as Error).message).toMatch(/does it expect TLS \(TEMPORAL_TLS_\*, TEMPORAL_API_KEY\)/);
});
