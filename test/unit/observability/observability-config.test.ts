/**
 * LOG_LEVEL, METRICS_TOKEN, and where the worker and the API serve /metrics
 * (WORKER_METRICS_PORT/HOST, API_METRICS_PORT/HOST): defaults, errors that name the
 * variable, and no metrics beyond loopback without METRICS_TOKEN.
 */
import { apiMetricsConfig, ConfigError, observabilityConfig, workerMetricsConfig } from '../../../src/config/index';

const METRICS_TOKEN = 'metrics-token-0123456789';

test('defaults: info logs, no metrics token', () => {
  expect(observabilityConfig({})).toEqual({ logLevel: 'info', metricsToken: null });
});

test('defaults: neither the worker nor the API serves metrics until its port is set', () => {
  expect(workerMetricsConfig({})).toBeNull();
  expect(apiMetricsConfig({})).toBeNull();
});

test('an empty variable counts as unset', () => {
  expect(observabilityConfig({ LOG_LEVEL: '', METRICS_TOKEN: '' })).toEqual(observabilityConfig({}));
  expect(workerMetricsConfig({ WORKER_METRICS_PORT: '', WORKER_METRICS_HOST: '' })).toBeNull();
  expect(apiMetricsConfig({ API_METRICS_PORT: '', API_METRICS_HOST: '' })).toBeNull();
});

test.each([
  ['WORKER', workerMetricsConfig],
  ['API', apiMetricsConfig],
] as const)('%s_METRICS_PORT turns a metrics server on, on loopback unless its host says otherwise', (prefix, read) => {
  expect(read({ [`${prefix}_METRICS_PORT`]: '9464' })).toEqual({ host: '127.0.0.1', port: 9464 });
  expect(read({ [`${prefix}_METRICS_PORT`]: '9464', [`${prefix}_METRICS_HOST`]: '0.0.0.0', METRICS_TOKEN })).toEqual({
    host: '0.0.0.0',
    port: 9464,
  });
});

describe('metrics beyond loopback demand METRICS_TOKEN', () => {
  test.each([
    ['WORKER', workerMetricsConfig],
    ['API', apiMetricsConfig],
  ] as const)('%s: refuses a host beyond loopback without METRICS_TOKEN, naming both variables', (prefix, read) => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'metrics.internal']) {
      const env = { [`${prefix}_METRICS_PORT`]: '9464', [`${prefix}_METRICS_HOST`]: host };
      expect(() => read(env)).toThrow(ConfigError);
      expect(() => read(env)).toThrow(new RegExp(`${prefix}_METRICS_HOST: .*beyond loopback.*METRICS_TOKEN`));
    }
  });

  test.each([
    ['WORKER', workerMetricsConfig],
    ['API', apiMetricsConfig],
  ] as const)('%s: loopback needs no token', (prefix, read) => {
    for (const host of ['127.0.0.1', '127.0.0.53', '::1', 'localhost']) {
      expect(read({ [`${prefix}_METRICS_PORT`]: '0', [`${prefix}_METRICS_HOST`]: host })).toEqual({ host, port: 0 });
    }
  });

  test("the worker's rule does not stop the API, nor the API's the worker", () => {
    const env = { WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0', API_METRICS_PORT: '9465' };
    expect(apiMetricsConfig(env)).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(() => workerMetricsConfig(env)).toThrow(ConfigError);
  });
});

test.each([
  [
    'observability',
    { LOG_LEVEL: 'verbose' },
    observabilityConfig,
    /LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/,
  ],
  ['worker metrics', { WORKER_METRICS_PORT: '70000' }, workerMetricsConfig, /WORKER_METRICS_PORT: must be <= 65535/],
  ['worker metrics', { WORKER_METRICS_PORT: 'ninety' }, workerMetricsConfig, /WORKER_METRICS_PORT: /],
  ['API metrics', { API_METRICS_PORT: '-1' }, apiMetricsConfig, /API_METRICS_PORT: must be >= 0/],
  ['observability', { METRICS_TOKEN: 'short' }, observabilityConfig, /METRICS_TOKEN: must be at least 16 characters/],
  ['API metrics', { METRICS_TOKEN: 'short' }, apiMetricsConfig, /METRICS_TOKEN: must be at least 16 characters/],
  [
    'observability',
    { METRICS_TOKEN: 'has a space in it, long enough' },
    observabilityConfig,
    /METRICS_TOKEN: must be printable ASCII without spaces/,
  ],
] as const)('the %s section refuses %j naming the variable', (_section, env, read, message) => {
  expect(() => read(env)).toThrow(ConfigError);
  expect(() => read(env)).toThrow(message);
});

test('never echoes a refused METRICS_TOKEN', () => {
  for (const read of [observabilityConfig, workerMetricsConfig, apiMetricsConfig]) {
    expect(() => read({ METRICS_TOKEN: 'tiny-secret', WORKER_METRICS_PORT: '1', API_METRICS_PORT: '1' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('tiny-secret') }),
    );
  }
});
