/**
 * Delay before the next attempt at the head CDR: doubling from `initialMs`, capped at
 * `maxMs`, with no limit on attempts (GIREVE's store and forward: an outage of days must
 * not lose a CDR). Deterministic, so the schedule an operator sees is the one that runs.
 */
export interface RetrySchedule {
  initialMs: number;
  maxMs: number;
}

export function retryDelayMs(failedAttempts: number, schedule: RetrySchedule): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  return Math.min(schedule.maxMs, schedule.initialMs * 2 ** exponent);
}
