/**
 * Every activity the worker registers, built from one set of dependencies (Temporal's
 * dependency-injection pattern). The workflows type their proxies with `Activities`; the
 * names registered here are the names recorded in histories, so none may change.
 */
import { createCdrActivities, type CdrActivityDeps } from './cdr-activities';
import { createDeliveryActivities, type DeliveryActivityDeps } from './delivery-activities';
import { createQueueActivities, type QueueActivityDeps } from './queue-activities';

export type ActivityDeps = CdrActivityDeps & DeliveryActivityDeps & QueueActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createCdrActivities(deps), ...createQueueActivities(deps), ...createDeliveryActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
export type { PreparedCdr } from './cdr-activities';
export type { HeadVerdict } from './queue-activities';
