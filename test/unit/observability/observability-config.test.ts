/** LOG_LEVEL, WORKER_METRICS_PORT/HOST and METRICS_TOKEN: defaults, and errors that name the variable. */
import { ConfigError, observabilityConfig } from '../../../src/config';

test('defaults: info logs, no worker metrics server, an open /metrics', () => {
  expect(observabilityConfig({})).toEqual({ logLevel: 'info', workerMetrics: null, metricsToken: null });
});

test('an empty variable counts as unset', () => {
  expect(observabilityConfig({ LOG_LEVEL: '', WORKER_METRICS_PORT: '', METRICS_TOKEN: '' })).toEqual(observabilityConfig({}));
});

test('WORKER_METRICS_PORT turns the worker metrics server on, on WORKER_METRICS_HOST', () => {
  expect(observabilityConfig({ WORKER_METRICS_PORT: '9464' }).workerMetrics).toEqual({ host: '127.0.0.1', port: 9464 });
  expect(observabilityConfig({ WORKER_METRICS_PORT: '9464', WORKER_METRICS_HOST: '0.0.0.0' }).workerMetrics).toEqual({
    host: '0.0.0.0',
    port: 9464,
  });
});

test.each([
  [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/],
  [{ WORKER_METRICS_PORT: '70000' }, /WORKER_METRICS_PORT: must be <= 65535/],
  [{ WORKER_METRICS_PORT: 'ninety' }, /WORKER_METRICS_PORT: /],
  [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be at least 16 characters/],
  [{ METRICS_TOKEN: 'has a space in it, long enough' }, /METRICS_TOKEN: must be printable ASCII without spaces/],
])('refuses %j naming the variable', (env, message) => {
  expect(() => observabilityConfig(env)).toThrow(ConfigError);
  expect(() => observabilityConfig(env)).toThrow(message);
});

test('never echoes a refused METRICS_TOKEN', () => {
  expect(() => observabilityConfig({ METRICS_TOKEN: 'tiny-secret' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('tiny-secret') }));
});
