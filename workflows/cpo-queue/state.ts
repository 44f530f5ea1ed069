/** What one run of a CPO's queue workflow holds: one object its handlers and lane loops share. */
import { patched, workflowInfo } from '@temporalio/workflow';
import type { HandIn, HeadState, QueueActivity, QueueState } from '../definitions';

const DEFAULT_HEAD_STORE_PATIENCE_MS = 30_000;
/**
 * Most CDRs per run (one activity): the workflow hop between runs is paid once per run. A
 * run also ends after RUN_BUDGET_MS; a pause takes effect after the run under way.
 */
const DEFAULT_DELIVERY_BATCH_SIZE = 500;
/** Hand over to a fresh run well before Temporal's history limits (50k events). */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

/**
 * Patch `pause-in-postgres`: a run keeps its pause in Postgres (activity recordPause, the
 * RunEnd `paused`). Runs recorded before it never call recordPause and wake from a retry
 * wait only on a resume. Deprecate it once no queue run started before it is open and its
 * histories leave test/replay/histories.
 */
const PAUSE_PATCH = 'pause-in-postgres';

/** One receiver's loop: its head, backoff and wake-ups; the hand-in order is the party's. */
export interface LaneLoop {
  /** undefined: the party's first lane (the one every queue had before lanes). */
  connection: string | undefined;
  head: HeadState | null;
  activity: QueueActivity;
  storeFailures: number;
  storeError: string | null;
  /** Something may have changed at the head: a CDR stored, a re-send. */
  nudged: boolean;
  /** An operator resumed: also cuts a retry backoff short (they know the IOP is back). */
  resumed: boolean;
  /** Cut the retry backoff short (a resume, or an operator's resolve of the head). */
  retryNow: boolean;
  lastLook?: { cdrId: string; at: number };
}

function newLane(connection: string | undefined, head: HeadState | null): LaneLoop {
  return { connection, head, activity: 'draining', storeFailures: 0, storeError: null, nudged: false, resumed: false, retryNow: false };
}

export class QueueRun {
  readonly party: QueueState['party'];
  readonly patienceMs: number;
  readonly batchSize: number;
  private readonly historyLimit: number;
  paused: boolean;
  /** What Postgres holds of `paused`, as far as this run knows (the first lane writes a change). */
  pauseRecorded: boolean;
  /** This run keeps its pause in Postgres (patch `pause-in-postgres`). */
  readonly durablePause: boolean;
  /** Hand-ins not yet written to Postgres, in arrival order. */
  readonly pending: HandIn[];
  /** Reported to their session workflows; their queue entries are removed with the next write. */
  readonly reported: string[];
  /** Signals to session workflows still on their way. */
  readonly outgoing = new Set<Promise<void>>();
  readonly first: LaneLoop;
  readonly lanes: LaneLoop[];
  /** The connection the first lane serves, as its last run said. */
  firstServes: string | undefined;
  /** The loops of the lanes other than the first, by connection. */
  readonly otherLanes = new Map<string, Promise<void>>();
  /** A hand-in write is under way (lanes take turns: each write takes the pending batch). */
  writing = false;
  /**
   * A run that starts afresh (not continued from one of its own) first adopts CDRs stored
   * `queued` without a place before it started: hand-ins a lost run held and had not written.
   */
  orphansAdopted: boolean;
  /** The search attributes last set (`activity/attempts`). */
  shownStatus = '';
  /** Ids this run was told to queue: a stored notice for one of them needs no second write. */
  private readonly known: Set<string>;

  constructor(readonly initial: QueueState) {
    this.party = initial.party;
    this.patienceMs = initial.settings?.headStorePatienceMs ?? DEFAULT_HEAD_STORE_PATIENCE_MS;
    this.historyLimit = initial.settings?.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
    this.batchSize = initial.settings?.deliveryBatchSize ?? DEFAULT_DELIVERY_BATCH_SIZE;
    this.paused = initial.paused;
    this.pauseRecorded = initial.paused;
    this.durablePause = patched(PAUSE_PATCH);
    this.pending = [...initial.pendingHandIns];
    // Optional in QueueState: a run continued from one recorded before it existed carries none.
    this.reported = [...(initial.reported ?? [])];
    this.first = newLane(undefined, initial.head);
    this.lanes = [this.first];
    this.known = new Set(this.pending.map((handIn) => handIn.cdrId));
    this.orphansAdopted = workflowInfo().continuedFromExecutionRunId !== undefined;
  }

  /** Queues a hand-in; `onlyIfNew`: unless this run was told of it already. */
  handIn(cdrId: string, sessionId: string, onlyIfNew = false): void {
    if (onlyIfNew && this.known.has(cdrId)) return;
    this.known.add(cdrId);
    this.pending.push({ cdrId, sessionId, at: Date.now() });
  }

  nudgeAll(): void {
    for (const lane of this.lanes) lane.nudged = true;
  }

  resume(): void {
    this.paused = false;
    for (const lane of this.lanes) {
      lane.resumed = true;
      lane.retryNow = true;
    }
  }

  /** Every lane tries its head again now; a pause stays as it is. */
  retryHeadsNow(): void {
    for (const lane of this.lanes) lane.retryNow = true;
  }

  /** A pause or resume signalled that the first lane has yet to write to Postgres. */
  pauseToRecord(lane: LaneLoop): boolean {
    return lane === this.first && this.durablePause && this.paused !== this.pauseRecorded;
  }

  timeToHandOver(): boolean {
    return workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > this.historyLimit;
  }

  /** A loop for a lane the party has that none serves yet (its head carried from the last run). */
  addLane(connection: string): LaneLoop {
    const carried = this.initial.lanes?.find((one) => one.connection === connection);
    const lane = newLane(connection, carried?.head ?? null);
    this.lanes.push(lane);
    return lane;
  }

  removeLane(lane: LaneLoop): void {
    this.lanes.splice(this.lanes.indexOf(lane), 1);
  }

  /** What the next run starts from. */
  nextState(): QueueState {
    const carried = this.lanes.filter((lane) => lane !== this.first && lane.connection !== undefined);
    return {
      ...this.initial,
      paused: this.paused,
      head: this.first.head,
      pendingHandIns: this.pending,
      reported: this.reported,
      ...(carried.length > 0 ? { lanes: carried.map((lane) => ({ connection: lane.connection!, head: lane.head })) } : {}),
    };
  }
}
