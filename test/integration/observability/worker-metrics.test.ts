/**
 * The worker's metrics through the real pipeline: sessions handed in to a real worker on
 * the dev server, POSTs to a mock IOP that fails, rejects and refuses our token, and the
 * worker's /metrics scraped over HTTP.
 */
import { operatorId } from '../../../src/ocpi/party';
import { createDeliveryMetrics } from '../../../src/observability/delivery-metrics';
import { createMetricsEndpoint } from '../../../src/observability/metrics-endpoint';
import { createMetricsRegistry } from '../../../src/observability/metrics-registry';
import { startMetricsServer, type MetricsServer } from '../../../src/observability/metrics-server';
import { parseExposition, valueOf, type Sample } from '../../support/prometheus-text';
import { handIn, resultOf, simulatedSessions } from '../../support/sessions';
import { randomParty, usePipeline } from '../../support/temporal';

const METRICS_TOKEN = 'worker-metrics-token-51ae';

const registry = createMetricsRegistry();
const suite = usePipeline({ deliveryObserver: createDeliveryMetrics(registry) });
let metrics: MetricsServer;

beforeAll(async () => {
  metrics = await startMetricsServer({
    host: '127.0.0.1',
    port: 0,
    endpoint: createMetricsEndpoint({ registry, token: METRICS_TOKEN }),
  });
});
afterAll(async () => {
  await metrics?.close();
});

async function scrape(): Promise<Sample[]> {
  const response = await fetch(metrics.url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

/** Hands in one session of `party` and waits for its workflow's end. */
async function deliverOne(party: ReturnType<typeof randomParty>, name: string): Promise<string> {
  const { client, taskQueue } = suite.pipeline;
  const [started] = await handIn(client, taskQueue, simulatedSessions(1, name, party));
  return (await resultOf(client, started!.workflowId)).status;
}

test('counts deliveries by CPO and outcome, retries by cause, credentials alerts, and times each POST', async () => {
  const party = randomParty();
  const cpo = operatorId(party);

  suite.pipeline.iop.control({ failNext: 2, failNextBehaviour: 'http500' });
  expect(await deliverOne(party, 'metrics-outage')).toBe('delivered');
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: 'reject' });
  expect(await deliverOne(party, 'metrics-rejected')).toBe('rejected');
  suite.pipeline.iop.control({ failNext: 1, failNextBehaviour: 'unauthorized' });
  expect(await deliverOne(party, 'metrics-credentials')).toBe('delivered');

  const samples = await scrape();
  const deliveries = (outcome: string) => valueOf(samples, 'cdrflow_deliveries_total', { cpo, connection: 'default', outcome });
  expect([deliveries('delivered'), deliveries('rejected'), deliveries('retry')]).toEqual([2, 1, 3]);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo, cause: 'refused' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo, cause: 'credentials' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo, cause: 'unknown_outcome' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_iop_credentials_alerts_total', { cpo, connection: 'default' })).toBe(1);

  const posts = (outcome: string) => valueOf(samples, 'cdrflow_iop_post_duration_seconds_count', { outcome });
  expect([posts('delivered'), posts('rejected'), posts('retry')]).toEqual([2, 1, 3]);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_sum', { outcome: 'delivered' })).toBeGreaterThan(0);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_bucket', { outcome: 'retry', le: '+Inf' })).toBe(3);
});

test('the metrics port refuses a scrape without the bearer token and serves nothing but /metrics', async () => {
  expect((await fetch(metrics.url)).status).toBe(401);
  const elsewhere = await fetch(metrics.url.replace('/metrics', '/health'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(elsewhere.status).toBe(404);
});
