import { z } from 'zod';
import { integerFromEnv, parseSection, type Env } from './env';

/**
 * The worker's upkeep: restarting lost queue workflows (src/worker/queue-repair.ts) and
 * reconciliation with the hub (src/worker/reconciliation.ts, off unless
 * IOP_RECONCILE_EVERY_MS is set).
 */
export function queueUpkeepConfig(env: Env = process.env) {
  const section = parseSection(
    {
      /** How often the worker restarts queue workflows found gone (0: only at start). */
      QUEUE_REPAIR_EVERY_MS: integerFromEnv(0, 86_400_000).default(300_000),
      /** How often sent CDRs are looked up at the IOP again (0: never, the default). */
      IOP_RECONCILE_EVERY_MS: integerFromEnv(0, 7 * 86_400_000).default(0),
      /** How far back a walk goes: CDRs sent within this many hours. */
      IOP_RECONCILE_WINDOW_HOURS: integerFromEnv(1, 24 * 90).default(72),
      /** Most lookups per second one walk sends to the IOP. */
      IOP_RECONCILE_PER_SECOND: z.coerce
        .number({ error: 'must be a number' })
        .positive('must be > 0')
        .max(50, 'must be <= 50 (lookups per second the IOP gets on top of deliveries)')
        .default(1),
    },
    env,
  );
  return {
    repairEveryMs: section.QUEUE_REPAIR_EVERY_MS,
    reconcile: {
      everyMs: section.IOP_RECONCILE_EVERY_MS,
      windowMs: section.IOP_RECONCILE_WINDOW_HOURS * 3_600_000,
      perSecond: section.IOP_RECONCILE_PER_SECOND,
    },
  };
}
export type QueueUpkeepConfig = ReturnType<typeof queueUpkeepConfig>;
