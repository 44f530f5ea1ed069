/** Each delivery attempt the activity reports moves the worker's series the way an operator reads them. */
import { createDeliveryMetrics } from '../../../src/observability/delivery-metrics';
import type { DeliveryAttempt } from '../../../src/observability/delivery-observer';
import { createMetricsRegistry } from '../../../src/observability/metrics-registry';
import { parseExposition, valueOf } from '../../support/prometheus-text';

const attempt = (change: Partial<DeliveryAttempt>): DeliveryAttempt => ({
  operator: 'FR*ABC',
  connection: 'default',
  cdrId: 'CDR-1',
  outcome: 'delivered',
  postSeconds: 0.12,
  credentialsAlert: false,
  unknownOutcome: false,
  hubAlert: null,
  ...change,
});

async function scrapeAfter(attempts: DeliveryAttempt[]) {
  const registry = createMetricsRegistry({ processMetrics: false });
  const observer = createDeliveryMetrics(registry);
  for (const one of attempts) observer.attemptEnded(one);
  return parseExposition(await registry.metrics());
}

test('counts attempts by CPO and outcome', async () => {
  const samples = await scrapeAfter([
    attempt({}),
    attempt({ cdrId: 'CDR-2' }),
    attempt({ outcome: 'rejected' }),
    attempt({ operator: 'FR*DEF', outcome: 'retry' }),
  ]);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*ABC', connection: 'default', outcome: 'delivered' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*ABC', connection: 'default', outcome: 'rejected' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*DEF', connection: 'default', outcome: 'retry' })).toBe(1);
});

test('a CPO seen once has every one of its series, at 0 where nothing happened', async () => {
  const samples = await scrapeAfter([attempt({})]);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*ABC', connection: 'default', outcome: 'retry' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'credentials' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_iop_credentials_alerts_total', { cpo: 'FR*ABC', connection: 'default' })).toBe(0);
});

test("each connection of a party has its own series: one receiver's refused token does not read as another's", async () => {
  const samples = await scrapeAfter([
    attempt({ connection: 'gireve' }),
    attempt({ connection: 'emsp-nl', outcome: 'retry', credentialsAlert: true }),
  ]);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*ABC', connection: 'gireve', outcome: 'delivered' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_deliveries_total', { cpo: 'FR*ABC', connection: 'emsp-nl', outcome: 'delivered' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_iop_credentials_alerts_total', { cpo: 'FR*ABC', connection: 'gireve' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_iop_credentials_alerts_total', { cpo: 'FR*ABC', connection: 'emsp-nl' })).toBe(1);
});

test('counts retries by cause, and a 401/403 as a credentials alert', async () => {
  const samples = await scrapeAfter([
    attempt({ outcome: 'retry', credentialsAlert: true }),
    attempt({ outcome: 'retry', unknownOutcome: true }),
    attempt({ outcome: 'retry' }),
    attempt({ outcome: 'retry' }),
  ]);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'credentials' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'unknown_outcome' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'refused' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_iop_credentials_alerts_total', { cpo: 'FR*ABC', connection: 'default' })).toBe(1);
});

test('a hub alert counts by connection and hub code, from 0, and as its own retry cause', async () => {
  const samples = await scrapeAfter([
    attempt({ connection: 'gireve', outcome: 'retry', hubAlert: 4001 }),
    attempt({ connection: 'gireve', outcome: 'retry', hubAlert: 4001 }),
    attempt({ connection: 'emsp-nl', outcome: 'retry' }),
  ]);
  expect(valueOf(samples, 'cdrflow_iop_hub_alerts_total', { cpo: 'FR*ABC', connection: 'gireve', code: '4001' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_iop_hub_alerts_total', { cpo: 'FR*ABC', connection: 'gireve', code: '4003' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_iop_hub_alerts_total', { cpo: 'FR*ABC', connection: 'emsp-nl', code: '4001' })).toBe(0);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'hub' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_delivery_retries_total', { cpo: 'FR*ABC', cause: 'refused' })).toBe(1);
});

test('times POSTs per outcome, and leaves out an attempt that made no POST', async () => {
  const samples = await scrapeAfter([
    attempt({ postSeconds: 0.04 }),
    attempt({ postSeconds: 3 }),
    attempt({ postSeconds: null }),
    attempt({ outcome: 'retry', postSeconds: 10 }),
  ]);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_count', { outcome: 'delivered' })).toBe(2);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_sum', { outcome: 'delivered' })).toBeCloseTo(3.04);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_bucket', { outcome: 'delivered', le: '0.05' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_count', { outcome: 'retry' })).toBe(1);
  expect(valueOf(samples, 'cdrflow_iop_post_duration_seconds_count', { outcome: 'rejected' })).toBe(0);
});
