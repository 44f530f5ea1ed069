/**
 * Continue-as-new of a CPO queue without a size limit: a queue longer than a Temporal
 * payload allows (2 MB, about 14,000 ids) is handed to the next run in chunks through
 * Postgres; the next run reads them back before it handles any message. Messages that
 * arrive during the hand-over are held and passed on in order, so none is lost.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { QueueActivities } from '../activities/queue-activities';
import type { QueueMessage, QueueState } from './definitions';

const { saveQueueChunk, loadQueueChunk, deleteQueueSnapshot } = proxyActivities<QueueActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** ~2,000 ids are ~0.2 MB: far below the payload limit, few chunks for a long queue. */
export const DEFAULT_INLINE_ENTRIES_LIMIT = 2_000;

/** The state this run starts from: the chunks of a long queue read back, in order. */
export async function restoreQueueState(initial: QueueState): Promise<QueueState> {
  const { snapshot, heldMessages: _held, ...rest } = initial;
  if (!snapshot) return rest;
  const entries = [];
  for (let chunk = 0; chunk < snapshot.chunks; chunk++) {
    entries.push(...(await loadQueueChunk({ snapshotId: snapshot.id, chunk })));
  }
  // Safe to delete: what was read is in this run's history now.
  await deleteQueueSnapshot(snapshot.id);
  return { ...rest, entries };
}

/** Continues as new with `state`; the caller holds incoming messages meanwhile (`held`). */
export async function handOverQueue(state: QueueState, held: QueueMessage[]): Promise<never> {
  const limit = state.settings?.inlineEntriesLimit ?? DEFAULT_INLINE_ENTRIES_LIMIT;
  if (state.entries.length <= limit) {
    return continueAsNew<(state: QueueState) => Promise<void>>({ ...state, heldMessages: held });
  }
  const snapshotId = `${workflowInfo().workflowId}/${workflowInfo().runId}`;
  let chunks = 0;
  for (let start = 0; start < state.entries.length; start += limit, chunks++) {
    await saveQueueChunk({ snapshotId, chunk: chunks, entries: state.entries.slice(start, start + limit) });
  }
  return continueAsNew<(state: QueueState) => Promise<void>>({
    ...state,
    entries: [],
    snapshot: { id: snapshotId, chunks },
    heldMessages: held,
  });
}
