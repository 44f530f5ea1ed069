/**
 * The POSTs at the head of one lane of a CPO's queue (one receiver: a connection, or the
 * IOP_* `default`), run by the queue workflow as one activity per run and lane. One call
 * reads the lane's head from Postgres and POSTs the run of stored CDRs there one after the
 * other; each outcome is written while the next POST is on the wire. It heartbeats, so it learns when its
 * workflow is gone (terminated, reset) and stops.
 *
 * No duplicates: a run claims its CDRs before its first POST (see src/store/post-claims.ts)
 * and never POSTs once its claims may have lapsed, so two runs never overlap on a CDR. A CDR
 * whose earlier POST may have reached the IOP (timeout, reset, a run that died) is first
 * looked up at the IOP, and POSTed again only on a clear "unknown CDR" (src/iop/presence-check.ts).
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Party } from '../src/ocpi/party';
import { operatorId } from '../src/ocpi/party';
import type { IopClient, OcpiRouting } from '../src/iop/iop-client';
import { asReceiverRouter, type ReceiverRoute, type ReceiverRouter, type LaneRoute } from '../src/delivery/receiver-router';
import { ocpiRoutingOf } from '../src/iop/cdr-routing';
import { presenceOf } from '../src/iop/presence-check';
import { retryDelayMs, type RetrySchedule } from '../src/iop/retry-backoff';
import type { DeliveryAttempt, DeliveryObserver } from '../src/observability/delivery-observer';
import { markRejected, markSent, recordFailedAttempt, skipInvalidCdr, type SettledCdrState } from '../src/store/delivery-repo';
import { claimLapsesInMs, claimPost, releaseClaims, type PostClaim } from '../src/store/post-claims';
import { type Lane } from '../src/receivers/receiver';
import { queueOrphanedCdrs, readLaneHead, readSettledEntries, recordHandIns, removeSettledEntries, type HeadEntry } from '../src/store/queue-repo';
import { type HandIn } from '../workflows/definitions';
import type { DeliveryResult } from '../workflows/definitions';
import type { SessionNotifier } from '../src/temporal/notify-session';

/**
 * A run starts no new POST this long after it began (well inside its activity's timeout),
 * so a pause or a hand-over waits at most this long. Session workflows are told by the run
 * itself while it POSTs, so the hop between runs no longer signals each settled CDR's
 * session workflow (~10 ms per CDR before): at 50 ms IOP latency, 0.95x a bare POST loop
 * at a 3,000-CDR backlog, 0.81-0.84x at 10,000, where the hop still grows with the depth
 * (~2.5 s per run, not profiled yet).
 */
export const RUN_BUDGET_MS = 30_000;
/** After this many failed POSTs of the head, the IOP is asked whether it holds the CDR before each new one. */
const FAILED_POSTS_BEFORE_LOOKUP = 2;
/**
 * How long a run's end waits for its last session workflows to take their outcome; the
 * workflow tells the rest (a signal sent twice is harmless). Short, so the next run is not
 * held up by a busy server.
 */
const TELL_PATIENCE_MS = 250;
/** How often a run tells Temporal it is alive (and learns whether its workflow still is). */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * How long a claim on a CDR holds: a check GET and a POST, each within the IOP request
 * timeout, plus room for a stalled process. Another run takes the CDR over only after
 * this, so a run that lost touch with its workflow is done with it by then; a worker that
 * died holding a claim delays its CDR by this much.
 */
export function postClaimLeaseMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 10_000;
}

export interface DeliveryActivityDeps {
  pool: Pool;
  /** Where each party's CDRs go (a client alone: every party to it). */
  iop: ReceiverRouter | IopClient;
  retry: RetrySchedule;
  /** The IOP request timeout the client uses (bounds a run, see postClaimLeaseMs). */
  requestTimeoutMs: number;
  /** How long after an uncertain POST a clear "unknown CDR" from the IOP is believed. */
  checkSettleMs: number;
  /** Told of every attempt's outcome (the worker's metrics); never changes a delivery. */
  observer?: DeliveryObserver;
  /** How long a claim holds; by default postClaimLeaseMs(requestTimeoutMs). */
  claimLeaseMs?: number;
  /** Where a run learns it was cancelled; by default the activity's own cancellation signal. */
  cancellation?: () => AbortSignal | undefined;
  /**
   * Tells session workflows their outcomes during the run. Left out, the queue workflow
   * tells them between runs (as it did before this existed).
   */
  sessionNotifier?: SessionNotifier;
}

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
  | { kind: 'lane-gone' };

export interface DeliverRun {
  settled: SettledCdr[];
  /**
   * The settled CDRs this run told their session workflows about (or that had nobody to
   * tell) and took off the queue: the workflow does nothing more for them. Absent in runs
   * recorded before the activity told them (their workflow tells every settled CDR).
   */
  told?: string[];
  end: RunEnd;
  /** The lane served (absent in runs recorded before lanes). */
  connection?: string;
  /** Every lane of the party now: the workflow runs one loop per lane. */
  lanes?: string[];
}

/** A claim being taken, and when it was asked for (the stall guard counts from then). */
type PendingClaim = Promise<{ claim: PostClaim | undefined; at: number }>;

type PostResult =
  | { kind: 'delivered'; location: string | null; attempts: number }
  | { kind: 'rejected'; reason: string; attempts: number }
  | { kind: 'retry'; reason: string; retryAfterMs: number };

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  const { pool } = deps;
  const router = asReceiverRouter(deps.iop);
  const leaseMs = deps.claimLeaseMs ?? postClaimLeaseMs(deps.requestTimeoutMs);

  /** Until another run's claim on the CDR ends or lapses; looked at again every few seconds. */
  async function heldElsewhereWait(lane: Lane, cdrId: string): Promise<number> {
    const lapsesInMs = await claimLapsesInMs(pool, lane, cdrId, leaseMs);
    return Math.min(Math.max(lapsesInMs, 500), 5_000);
  }

  function report(attempt: DeliveryAttempt): void {
    try {
      deps.observer?.attemptEnded(attempt);
    } catch {
      // Counting must never fail or delay a delivery: a broken observer loses a sample, not a CDR.
    }
  }

  async function deliverOne(
    lane: Lane,
    route: ReceiverRoute,
    claim: PostClaim,
    claimedAt: number,
    failedAttempts: number,
    writes: WriteBehind,
    settledAll: (state: SettledCdrState | undefined) => void,
    cancelled: AbortSignal | undefined,
  ): Promise<PostResult> {
    const { party } = lane;
    const seen = { operator: operatorId(party), connection: route.connection, cdrId: claim.id, credentialsAlert: false, unknownOutcome: false };
    const backoff = () => retryDelayMs(failedAttempts + 1, deps.retry);
    const attempts = failedAttempts + 1;
    const settle = (write: Promise<SettledCdrState | undefined>) => writes.track(write.then(settledAll));
    const notSent = (reason: string, retryAfterMs: number): PostResult => {
      // The earlier POST's outcome stays unknown: the CDR keeps its mark and is asked about again.
      writes.track(recordFailedAttempt(pool, lane, claim.id, reason, new Date(Date.now() + retryAfterMs), true, claim.earlierPostAt));
      report({ ...seen, outcome: 'retry', postSeconds: null, unknownOutcome: true });
      return { kind: 'retry', reason, retryAfterMs };
    };

    const iop = route.client;
    // Asked first: a CDR whose earlier POST may have reached the receiver, and one whose POSTs
    // keep failing (a receiver that took the CDR but answered an error may refuse every
    // second create of its id, which would hold the lane forever).
    const routing: OcpiRouting = { ...ocpiRoutingOf(party, bodyFor(route, claim)), correlationId: randomUUID() };
    if (claim.earlierPostAt || failedAttempts >= FAILED_POSTS_BEFORE_LOOKUP) {
      const presence = presenceOf(claim.id, await iop.getCdr(iop.checkUrl(claim.id, null), cancelled, routing));
      if (presence.kind === 'held') {
        settle(markSent(pool, lane, claim.id, null));
        report({ ...seen, outcome: 'delivered', postSeconds: null });
        return { kind: 'delivered', location: null, attempts };
      }
      // After a clear failure nothing is on the wire: POST again whatever the check said.
      if (claim.earlierPostAt) {
        if (presence.kind === 'unclear') return notSent(`${presence.reason}: not re-sent yet`, backoff());
        const settlesInMs = claim.earlierPostAt.getTime() + deps.checkSettleMs - Date.now();
        if (settlesInMs > 0) {
          return notSent('the IOP does not know the CDR yet, but the earlier POST may still be settling', Math.max(settlesInMs, backoff()));
        }
      }
    }

    const body = bodyFor(route, claim);
    if (body === null || body === undefined) {
      // Built for a connection of the other version (a 2.1.1 session without the 2.2.1 fields,
      // a 2.2.1 credit CDR): this receiver cannot take it. Set aside (visible, replayable), not retried.
      const reason = `set aside: connection ${route.connection} speaks OCPI ${iop.ocpiVersion} and this CDR has no ${iop.ocpiVersion} form`;
      settle(markRejected(pool, lane, claim.id, reason));
      return { kind: 'rejected', reason, attempts };
    }

    // A process that stalled since its claim (the check took long, the machine froze) may
    // no longer hold it: another run may have taken the CDR over. Then no POST from here.
    if (performance.now() - claimedAt > leaseMs - deps.requestTimeoutMs - 2_000) {
      throw new Error(`claim on CDR ${claim.id} is too old to POST safely (this run stalled); the next run takes it`);
    }
    const postStartedAt = new Date();
    const startedMs = performance.now();
    // Cancelled mid-flight, the POST's outcome is unknown: the CDR keeps its mark and is asked about.
    const outcome = await iop.postCdr(body, cancelled, routing);
    const postSeconds = (performance.now() - startedMs) / 1000;
    report({
      ...seen,
      outcome: outcome.kind,
      postSeconds,
      credentialsAlert: outcome.kind === 'retry' && outcome.credentialsAlert,
      unknownOutcome: outcome.kind === 'retry' && outcome.unknownOutcome,
    });
    switch (outcome.kind) {
      case 'delivered':
        settle(markSent(pool, lane, claim.id, outcome.location));
        return { ...outcome, attempts };
      case 'rejected':
        activityLog()?.warn('IOP rejected CDR', { operator: operatorId(party), connection: route.connection, cdrId: claim.id, reason: outcome.reason });
        settle(markRejected(pool, lane, claim.id, outcome.reason));
        return { ...outcome, attempts };
      case 'retry': {
        const retryAfterMs = backoff();
        const reason = outcome.credentialsAlert ? `${outcome.reason} [credentials alert]` : outcome.reason;
        if (outcome.credentialsAlert) activityLog()?.error('IOP refuses our token', { operator: operatorId(party), connection: route.connection, cdrId: claim.id });
        writes.track(
          recordFailedAttempt(pool, lane, claim.id, reason, new Date(Date.now() + retryAfterMs), outcome.unknownOutcome, postStartedAt),
        );
        return { kind: 'retry', reason, retryAfterMs };
      }
    }
  }

  return {
    /**
     * Writes hand-ins in arrival order (the queue workflow calls it as they arrive, also
     * while a run POSTs), and takes reported CDRs off the queue. A queue workflow that starts
     * afresh (not continued from a run of its own) first adopts the CDRs stored `queued`
     * without a place before it started: hand-ins that a lost run (terminated, reset, gone
     * with Temporal's state) held and had not written, in stored order, ahead of its own.
     */
    async recordHandIns(input: {
      party: Party;
      handIns: HandIn[];
      reported: string[];
      /** The run's start (epoch ms) when it starts afresh. */
      adoptOrphansStoredBefore?: number;
    }): Promise<{ lanes: string[] }> {
      if (input.adoptOrphansStoredBefore !== undefined) {
        const adopted = await queueOrphanedCdrs(pool, input.party, new Date(input.adoptOrphansStoredBefore));
        if (adopted > 0) activityLog()?.warn('queue adopted CDRs that had no place in it', { operator: operatorId(input.party), adopted });
      }
      await recordHandIns(pool, input.party, input.handIns);
      await removeSettledEntries(pool, input.party, input.reported);
      // The lanes these CDRs wait in: a receiver added meanwhile starts at once, even while
      // the first lane backs off (recorded before lanes, this returned nothing).
      return { lanes: (await router.lanesFor(input.party)).map((lane) => lane.connection) };
    },

    /**
     * One run at the head of one lane of the party's queue. Throws when the store fails (the
     * workflow backs off and calls again); the CDRs POSTed before are then found settled, or
     * held at the receiver, by the next run.
     */
    async deliverCdrs(request: DeliverRequest): Promise<DeliverRun> {
      const { party } = request;
      const first = request.connection === undefined;
      const startedAt = performance.now();
      const cancelled = (deps.cancellation ?? activityCancellation)();
      const heartbeats = startHeartbeats();
      let head: HeadEntry[];
      let untold: SettledCdr[] = [];
      let laneRoute: LaneRoute | undefined;
      let lanes: string[];
      try {
        const routes = await router.lanesFor(party);
        lanes = routes.map((one) => one.connection);
        laneRoute = first ? routes[0] : routes.find((one) => one.connection === request.connection);
        if (!laneRoute) {
          heartbeats.stop();
          return { settled: [], told: [], end: { kind: 'lane-gone' }, connection: request.connection, lanes };
        }
        if (first) {
          await removeSettledEntries(pool, party, request.reported);
          // Settled by every receiver but not told (a run that died, Temporal unreachable).
          untold = (await readSettledEntries(pool, party, request.maxPosts)).map((entry) =>
            settledFrom({ id: entry.cdrId, status: entry.status, iopLocation: entry.iopLocation, lastError: entry.lastError, attempts: entry.attempts }, entry.sessionId),
          );
        }
        head = await readLaneHead(pool, party, laneRoute.connection, request.maxPosts);
      } catch (error) {
        heartbeats.stop();
        throw error;
      }
      const lane: Lane = { party, connection: laneRoute.connection };
      const { route } = laneRoute;
      const { ready, invalid, blockedBy } = splitHead(head);
      const settled: SettledCdr[] = [...untold];
      const telling = deps.sessionNotifier ? new SettledReporter(deps.sessionNotifier, party) : undefined;
      for (const one of untold) telling?.tell(one, Promise.resolve());
      // An invalid CDR goes nowhere: its entry leaves at once (nobody waits for its outcome).
      for (const entry of invalid) {
        await skipInvalidCdr(pool, { ...party, id: entry.cdrId });
        const skipped: SettledCdr = { cdrId: entry.cdrId, sessionId: entry.sessionId, result: null };
        settled.push(skipped);
        telling?.tell(skipped, Promise.resolve());
      }
      const sessionOf = new Map(ready.map((entry) => [entry.cdrId, entry.sessionId]));
      // A CDR that every receiver has settled with this write: its session workflow learns the outcome.
      const settledAll = (state: SettledCdrState | undefined): void => {
        if (!state) return;
        const done = settledFrom(state, sessionOf.get(state.id) ?? '');
        settled.push(done);
        telling?.tell(done, Promise.resolve());
      };

      const owner = randomUUID();
      const writes = new WriteBehind();
      const claimed: PostClaim[] = [];
      const posted = new Set<string>();
      const claimOf = (entry: HeadEntry): PendingClaim => {
        const at = performance.now();
        const claim = claimPost(pool, lane, entry.cdrId, { owner, leaseMs, postDelayMs: deps.requestTimeoutMs }).then((claimed) => ({
          claim: claimed,
          at,
        }));
        // Awaited later (or never, when the run stops first): its failure must not go unhandled.
        claim.catch(() => undefined);
        return claim;
      };
      // The next CDR's claim is taken while this one is on the wire: off the per-CDR path.
      let nextClaim: PendingClaim | undefined;
      let end: RunEnd | undefined;
      try {
        for (const [index, entry] of ready.entries()) {
          const failedAttempts = request.head?.cdrId === entry.cdrId ? request.head.failedAttempts : 0;
          if (!route) {
            const reason = laneRoute.held ?? `connection ${lane.connection} has no route`;
            end = { kind: 'retry', cdrId: entry.cdrId, sessionId: entry.sessionId, reason, retryAfterMs: retryDelayMs(failedAttempts + 1, deps.retry) };
            break;
          }
          const pendingClaim = nextClaim ?? claimOf(entry);
          nextClaim = undefined;
          const { claim, at: claimedAt } = await pendingClaim;
          if (claim) claimed.push(claim);
          // Never start another POST after a failed write (the state it would build on is not
          // recorded), once the activity was cancelled, or past the run's time budget.
          writes.throwIfFailed();
          if (cancelled?.aborted) throw new Error('delivery run cancelled');
          if (posted.size > 0 && performance.now() - startedAt > RUN_BUDGET_MS) break;
          if (!claim) {
            const retryAfterMs = await heldElsewhereWait(lane, entry.cdrId);
            end = { kind: 'held-elsewhere', cdrId: entry.cdrId, sessionId: entry.sessionId, retryAfterMs };
            break;
          }
          posted.add(entry.cdrId);
          const following = ready[index + 1];
          if (following) nextClaim = claimOf(following);
          const result = await deliverOne(lane, route, claim, claimedAt, failedAttempts, writes, settledAll, cancelled);
          if (result.kind === 'retry') {
            end = { kind: 'retry', cdrId: entry.cdrId, sessionId: entry.sessionId, reason: result.reason, retryAfterMs: result.retryAfterMs };
            break;
          }
        }
      } finally {
        // A claim taken ahead for a CDR this run did not reach is released with the rest.
        const unused = nextClaim ? await nextClaim.catch(() => undefined) : undefined;
        if (unused?.claim) claimed.push(unused.claim);
        // Outcomes first, then whatever claim this run still holds (its outcome not recorded,
        // as when a write failed). A CDR this run POSTed or checked keeps its mark, as does one
        // an earlier POST may have reached: the next run asks the receiver about it at once
        // instead of waiting out the lease. One it did not reach is left unmarked.
        await writes.settle();
        const keepMark = claimed.filter((claim) => posted.has(claim.id) || claim.earlierPostAt !== null).map((claim) => claim.id);
        await releaseClaims(pool, lane, owner, claimed.map((claim) => claim.id), keepMark).catch((error: unknown) => writes.fail(error));
        heartbeats.stop();
      }
      writes.throwIfFailed();
      // Nobody waits for this result (the workflow is gone, or the activity timed out).
      if (cancelled?.aborted) throw new Error('delivery run cancelled');
      end ??= blockedBy ?? (head.length === request.maxPosts || ready.length > posted.size ? { kind: 'more' } : { kind: 'empty' });
      // In the lane's order (their writes may end in any order).
      const place = new Map(head.map((entry, index) => [entry.cdrId, index]));
      settled.sort((a, b) => (place.get(a.cdrId) ?? -1) - (place.get(b.cdrId) ?? -1));
      const served = { connection: lane.connection, lanes };
      if (!telling) return { settled, end, ...served };
      // Their entries go once their session workflows know; the rest are told by the workflow.
      const told = await telling.finish(TELL_PATIENCE_MS);
      await removeSettledEntries(pool, party, told);
      return { settled, told, end, ...served };
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;

/**
 * A lane's head as the store sees it: the CDRs that may be POSTed now (stored, in order, up
 * to the first one not stored yet), the invalid ones among them (they go nowhere), and the
 * entry that blocks the rest, if any.
 */
function splitHead(head: HeadEntry[]): { ready: HeadEntry[]; invalid: HeadEntry[]; blockedBy: RunEnd | undefined } {
  const ready: HeadEntry[] = [];
  const invalid: HeadEntry[] = [];
  for (const entry of head) {
    if (entry.status === null) {
      const blockedBy: RunEnd = {
        kind: 'waiting-for-store',
        cdrId: entry.cdrId,
        sessionId: entry.sessionId,
        enqueuedAt: entry.enqueuedAt.getTime(),
      };
      return { ready, invalid, blockedBy };
    }
    (entry.status === 'invalid' ? invalid : ready).push(entry);
  }
  return { ready, invalid, blockedBy: undefined };
}

/** What a session workflow learns of its CDR once every receiver has settled it. */
function settledFrom(state: SettledCdrState, sessionId: string): SettledCdr {
  const result: DeliveryResult | null =
    state.status === 'sent'
      ? { status: 'delivered', location: state.iopLocation, attempts: state.attempts }
      : state.status === 'rejected'
        ? { status: 'rejected', reason: state.lastError ?? 'rejected by the IOP', attempts: state.attempts }
        : null;
  return { cdrId: state.id, sessionId, result };
}

/** The form of the CDR a connection takes: 2.2.1, or 2.1.1 (null when the CDR has none). */
function bodyFor(route: ReceiverRoute, claim: PostClaim): unknown {
  return route.client.ocpiVersion === '2.2.1' ? claim.cdr221 : claim.cdr;
}

/** The activity's context, when run as an activity (tests call the function directly). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** The activity's logger (the worker's, with the workflow's ids), when run as an activity. */
function activityLog(): Context['log'] | undefined {
  return activityContext()?.log;
}

/** The activity's cancellation: its timeout, or its workflow gone (learnt through a heartbeat). */
function activityCancellation(): AbortSignal | undefined {
  return activityContext()?.cancellationSignal;
}

/** Heartbeats on a timer, so a slow POST or check never makes a live run look dead. */
function startHeartbeats(): { stop(): void } {
  const context = activityContext();
  if (!context) return { stop: () => undefined };
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}

/**
 * The session workflows a run tells of their outcomes, each signal sent while the next POSTs
 * are on the wire. A CDR without a result (invalid) has nobody to tell.
 */
class SettledReporter {
  private readonly told: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly notifier: SessionNotifier,
    private readonly party: Party,
  ) {}

  tell(settled: SettledCdr, after: Promise<void>): void {
    const { result } = settled;
    if (!result) {
      this.told.push(settled.cdrId);
      return;
    }
    const telling = after
      .then(() => this.notifier.tell(this.party, settled.sessionId, result))
      .then(() => void this.told.push(settled.cdrId))
      // Not told (Temporal unreachable): its queue workflow tells it after the run.
      .catch(() => undefined);
    this.pending.push(telling);
  }

  /** The CDRs told within `patienceMs` from now. */
  async finish(patienceMs: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, patienceMs)));
    await Promise.race([Promise.all(this.pending), patience]);
    clearTimeout(timer);
    return [...this.told];
  }
}

/** Database writes that run while the next POST is on the wire; the first failure is kept. */
class WriteBehind {
  private readonly pending: Promise<void>[] = [];
  private failure: unknown;

  track(write: Promise<void>): void {
    // Caught at once: a rejection must not go unhandled while the next POST is awaited.
    this.pending.push(write.catch((error: unknown) => this.fail(error)));
  }

  fail(error: unknown): void {
    this.failure ??= error;
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Resolves once every write tracked so far has ended (failed or not). */
  drained(): Promise<void> {
    return Promise.all(this.pending).then(() => undefined);
  }

  /** Waits for every write; failures are kept for throwIfFailed(). */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }
}
