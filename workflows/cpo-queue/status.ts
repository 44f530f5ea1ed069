/** What operators see of a queue: its status query and its search attributes. */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { QueueActivity, QueueStatus } from '../definitions';
import { CdrAttempts, CdrDeliveryStatus } from '../search-attributes';
import type { LaneLoop, QueueRun } from './state';

const ACTIVITY_SEVERITY: QueueActivity[] = ['paused', 'store-unavailable', 'retrying', 'waiting-for-store', 'draining', 'idle'];

/** The most pressing of the lanes' activities. */
export function shownActivity(run: QueueRun): QueueActivity {
  return ACTIVITY_SEVERITY.find((activity) => run.lanes.some((lane) => lane.activity === activity)) ?? 'idle';
}

/** Sets the lane's activity, and the search attributes when what they show changed. */
export function show(run: QueueRun, lane: LaneLoop, now: QueueActivity): void {
  lane.activity = run.paused ? 'paused' : now;
  const activity = shownActivity(run);
  const attempts = Math.max(...run.lanes.map((one) => one.head?.attempts ?? 0));
  const shown = `${activity}/${attempts}`;
  if (shown === run.shownStatus) return;
  run.shownStatus = shown;
  upsertSearchAttributes([
    { key: CdrDeliveryStatus, value: activity },
    { key: CdrAttempts, value: attempts },
  ]);
}

export function queueStatus(run: QueueRun): QueueStatus {
  const { first } = run;
  return {
    activity: shownActivity(run),
    paused: run.paused,
    head: first.head ? { cdrId: first.head.cdrId, sessionId: first.head.sessionId } : null,
    headAttempts: first.head?.attempts ?? 0,
    headLastError: first.storeError ?? first.head?.lastError ?? null,
    pendingHandIns: run.pending.length,
    lanes: run.lanes.map((lane) => ({
      connection: lane.connection ?? run.firstServes ?? null,
      activity: lane.activity,
      head: lane.head ? { cdrId: lane.head.cdrId, sessionId: lane.head.sessionId } : null,
      headAttempts: lane.head?.attempts ?? 0,
      headLastError: lane.storeError ?? lane.head?.lastError ?? null,
    })),
  };
}
