import { retryDelayMs } from '../../../src/iop/retry-backoff';

const schedule = { initialMs: 1_000, maxMs: 60_000 };

test('doubles from the initial delay', () => {
  expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, schedule))).toEqual([1_000, 2_000, 4_000, 8_000]);
});

test('is capped at the maximum and never gives up, even after days of failures', () => {
  expect(retryDelayMs(7, schedule)).toBe(60_000);
  expect(retryDelayMs(100_000, schedule)).toBe(60_000);
});
