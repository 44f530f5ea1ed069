/**
 * Messages between the CPO backend, the per-session CDR workflow and the per-CPO queue
 * workflow. Defined once here and imported by workflows, activities and clients.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Party } from '../src/ocpi/party';

/** A CDR handed in, as the queue records it (its place in the queue follows the order of hand-ins). */
export interface HandIn {
  cdrId: string;
  sessionId: string;
  /** When the queue learnt of it (ms since epoch). */
  at: number;
}

/** Sent by the client when a session ends: fixes the CDR's place in its CPO's queue. */
export interface EnqueueRequest {
  cdrId: string;
  sessionId: string;
}

/** Sent by the session workflow once its CDR is stored (or found invalid and never to be sent). */
export interface CdrStoredNotice extends EnqueueRequest {
  valid: boolean;
}

export type DeliveryResult = (
  | { status: 'delivered'; location: string | null }
  /** `partlyDelivered`: another receiver took it (its copy is checked back). */
  | { status: 'rejected'; reason: string; partlyDelivered?: boolean }
) & {
  /** POSTs it took, when the queue knows. */
  attempts?: number;
};

/** The CDR the queue last found at its head, with its failed attempts there (for backoff and operators). */
export interface HeadState {
  cdrId: string;
  sessionId: string;
  attempts: number;
  lastError: string | null;
}

/**
 * What a queue workflow starts from, and carries to its next run. No list of CDRs: the
 * queue itself is in Postgres (table queue_entries), so a queue of any length costs the
 * workflow's history nothing.
 */
export interface QueueState {
  party: Party;
  paused: boolean;
  /** Hand-ins received and not yet written to Postgres, in arrival order. */
  pendingHandIns: HandIn[];
  /** CDRs reported to their session workflows whose queue entries are still to be removed. */
  reported?: string[];
  /** The first lane's head (the party's first receiver). */
  head: HeadState | null;
  /** The other lanes' heads (a party with several receivers), carried for their backoff. */
  lanes?: { connection: string; head: HeadState | null }[];
  /** Tuning, for tests and very large CPOs; defaults in cpo-queue.ts. */
  settings?: QueueSettings;
}

/** The queue workflow as clients start it by name (workflows/cpo-queue.ts is its body). */
export type CpoQueueWorkflow = (initial: QueueState) => Promise<void>;

export interface QueueSettings {
  /** Continue as new once the run's history has this many events. */
  continueAsNewAfterEvents?: number;
  /** How long the head may wait for its CDR to be stored before the queue looks into why. */
  headStorePatienceMs?: number;
  /** Most CDRs POSTed (one after the other) by one local activity call. */
  deliveryBatchSize?: number;
}

/** What the queue workflow is doing, as operators see it (search attribute CdrDeliveryStatus). */
export type QueueActivity = 'idle' | 'draining' | 'waiting-for-store' | 'retrying' | 'store-unavailable' | 'paused';

export interface QueueStatus {
  activity: QueueActivity;
  paused: boolean;
  /** The CDR last found at the head (depth and age are in Postgres: `cdrflow queue`). */
  head: { cdrId: string; sessionId: string } | null;
  headAttempts: number;
  headLastError: string | null;
  /** Hand-ins received and not yet written to Postgres (non-zero while the store is down). */
  pendingHandIns: number;
  /** Each receiver's lane (absent from queues that ran before lanes). */
  lanes?: LaneStatus[];
}

export interface LaneStatus {
  /** null until the first lane's first run said which connection it serves. */
  connection: string | null;
  activity: QueueActivity;
  head: { cdrId: string; sessionId: string } | null;
  headAttempts: number;
  headLastError: string | null;
}

// --- The delivery activity's contract (activities/delivery-activities.ts) ---

/** One run at the head of one lane: what the queue workflow asks of deliverCdrs. */
export interface DeliverRequest {
  party: Party;
  /**
   * The lane (connection) this run serves. Absent: the party's first lane, whose runs also
   * tell session workflows left untold and take `reported` entries off the queue.
   */
  connection?: string;
  /** CDRs the workflow has reported to their session workflows since: their entries go. */
  reported: string[];
  /** Most CDRs one call POSTs (a pause takes effect after the run under way). */
  maxPosts: number;
  /** Failed attempts so far at the CDR the lane last saw at its head, for its backoff. */
  head: { cdrId: string; failedAttempts: number } | null;
}

/** A CDR that left the queue; `result` goes to its session workflow (null: invalid, nobody waits). */
export interface SettledCdr {
  cdrId: string;
  sessionId: string;
  result: DeliveryResult | null;
}

/** Why the run stopped, and so what the queue workflow does next. */
export type RunEnd =
  | { kind: 'empty' }
  /** Stopped at its size or time budget with CDRs left: call again at once. */
  | { kind: 'more' }
  /** The head's CDR is not stored yet (its session workflow is building it). */
  | { kind: 'waiting-for-store'; cdrId: string; sessionId: string; enqueuedAt: number }
  | { kind: 'retry'; cdrId: string; sessionId: string; reason: string; retryAfterMs: number }
  /** Another run holds the head's claim (it may still be POSTing it): wait for it to end or lapse. */
  | { kind: 'held-elsewhere'; cdrId: string; sessionId: string; retryAfterMs: number }
  /** The lane's connection was removed: nothing more to do for it. */
  | { kind: 'lane-gone' }
  /** The party is paused in Postgres (cdrflow pause): nothing POSTed until it is resumed. */
  | { kind: 'paused' };

export interface DeliverRun {
  settled: SettledCdr[];
  /**
   * The settled CDRs this run told their session workflows about (or that had nobody to
   * tell) and took off the queue: the workflow does nothing more for them. Optional only for
   * runs recorded before the activity told them (patch `run-tells-sessions` in cpo-queue/lane-loop.ts).
   */
  told?: string[];
  end: RunEnd;
  /** The lane served (optional only for runs recorded before lanes: patch `queue-lanes`). */
  connection?: string;
  /** Every lane of the party now: the workflow runs one loop per lane (see `connection`). */
  lanes?: string[];
}

/** What recordHandIns answers: the party's lanes now (runs recorded before lanes got nothing). */
export interface HandInsWritten {
  lanes: string[];
}

export const enqueueSignal = defineSignal<[EnqueueRequest]>('enqueue');
export const cdrStoredSignal = defineSignal<[CdrStoredNotice]>('cdrStored');
export const pauseSignal = defineSignal('pause');
/** Look at the queue in Postgres again (sent by `cdrflow recover` and the worker's queue repair). */
export const wakeSignal = defineSignal('wake');
export const resumeSignal = defineSignal('resume');
/** Every lane's head is tried again now, its backoff cut short; a pause stays (sent by `cdrflow resolve`). */
export const retryNowSignal = defineSignal('retryNow');
export const queueStatusQuery = defineQuery<QueueStatus>('queueStatus');

export type ResendResult = { requeued: true; depth: number } | { requeued: false; reason: string };
/** Operator: put a rejected CDR (fixed since) back at the tail of its CPO's queue. */
export const resendUpdate = defineUpdate<ResendResult, [{ cdrId: string }]>('resend');

export const deliveryResultSignal = defineSignal<[DeliveryResult]>('deliveryResult');

export function initialQueueState(party: Party, settings?: QueueSettings): QueueState {
  return { party, ...(settings ? { settings } : {}), paused: false, pendingHandIns: [], reported: [], head: null };
}
