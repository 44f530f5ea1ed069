/**
 * Temporal's logs (workflow, activity, worker, Core) go through pino: JSON lines at the
 * same level, with Temporal's fields and ours, and no token.
 */
import { PinoTemporalLogger } from '../../../src/observability/temporal-logger';
import { captureLogger } from './log-lines';

test('writes each Temporal level at the matching pino level', () => {
  const log = captureLogger();
  const temporal = new PinoTemporalLogger(log.logger);
  temporal.trace('t');
  temporal.debug('d');
  temporal.info('i');
  temporal.warn('w');
  temporal.error('e');
  temporal.log('WARN', 'via log');
  expect(log.lines().map((line) => [line.level, line.msg])).toEqual([
    ['trace', 't'],
    ['debug', 'd'],
    ['info', 'i'],
    ['warn', 'w'],
    ['error', 'e'],
    ['warn', 'via log'],
  ]);
});

test('keeps the workflow and activity fields with the CDR ids, and drops symbol keys', () => {
  const log = captureLogger();
  const meta = {
    sdkComponent: 'activity',
    workflowId: 'cdr-queue:FR*ABC',
    activityType: 'deliverCdrs',
    operator: 'FR*ABC',
    cdrId: 'CDR-7',
    [Symbol('timestamp')]: 1n,
  };
  new PinoTemporalLogger(log.logger).warn('IOP rejected CDR', meta);
  const [line] = log.lines();
  expect(line).toMatchObject({
    level: 'warn',
    msg: 'IOP rejected CDR',
    sdkComponent: 'activity',
    workflowId: 'cdr-queue:FR*ABC',
    activityType: 'deliverCdrs',
    operator: 'FR*ABC',
    cdrId: 'CDR-7',
  });
});

test("redacts Temporal's activity task token", () => {
  const log = captureLogger();
  new PinoTemporalLogger(log.logger).info('Activity started', { taskToken: 'CiQ1ZjY3...', activityId: '1' });
  expect(log.lines()[0]).toMatchObject({ taskToken: '[Redacted]', activityId: '1' });
});

test('serializes an error passed as `error` with its message', () => {
  const log = captureLogger();
  new PinoTemporalLogger(log.logger).error('Activity failed', { error: new Error('database unreachable') });
  expect(log.lines()[0]).toMatchObject({ error: { type: 'Error', message: 'database unreachable' } });
});
