/**
 * The POSTs at the head of one lane of a CPO's queue (one receiver: a connection, or the
 * IOP_* `default`), run by the queue workflow as one activity per run and lane. One call
 * reads the lane's head from Postgres and POSTs the run of stored CDRs there one after the
 * other; each outcome is written while the next POST is on the wire. It heartbeats, so it
 * learns when its workflow is gone (terminated, reset) and stops.
 *
 * No duplicates: a run claims its CDRs before its first POST (see src/store/post-claims.ts)
 * and never POSTs once its claims may have lapsed, so two runs never overlap on a CDR. A CDR
 * whose earlier POST may have reached the IOP (timeout, reset, a run that died) is first
 * looked up at the IOP, and POSTed again only on a clear "unknown CDR" (src/iop/presence-check.ts).
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { heldElsewhereWaitMs, latestPostStartMs, postClaimLeaseMs } from '../src/delivery/claim-lease';
import { settledFrom, splitHead } from '../src/delivery/lane-head';
import { heldReason, type LaneRoute, type ReceiverRouter } from '../src/delivery/receiver-router';
import { retryDelayMs, type RetrySchedule } from '../src/iop/retry-backoff';
import type { DeliveryAttempt, DeliveryObserver } from '../src/observability/delivery-observer';
import type { Lane } from '../src/receivers/receiver';
import { skipInvalidCdr, type SettledCdrState } from '../src/store/delivery-repo';
import { pausedSince } from '../src/store/pause-repo';
import { claimPost, releaseClaims, whyNotClaimed, type PostClaim } from '../src/store/post-claims';
import { readLaneHead, readSettledEntries, removeSettledEntries, type HeadEntry } from '../src/store/queue-repo';
import type { SessionNotifier } from '../src/temporal/notify-session';
import type { DeliverRequest, DeliverRun, RunEnd, SettledCdr } from '../workflows/definitions';
import { postOne, type RunContext } from './delivery/post-one';
import { SettledReporter } from './delivery/settled-reporter';
import { WriteBehind } from './delivery/write-behind';

/**
 * A run starts no new POST this long after it began (well inside its activity's timeout),
 * so a pause or a hand-over waits at most this long (docs/benchmarks.md: the drain figures).
 */
export const RUN_BUDGET_MS = 30_000;
/**
 * How long a run's end waits for its last session workflows to take their outcome; the
 * workflow tells the rest (a signal sent twice is harmless). Short, so the next run is not
 * held up by a busy server.
 */
const TELL_PATIENCE_MS = 250;
/** How often a run tells Temporal it is alive (and learns whether its workflow still is). */
const HEARTBEAT_EVERY_MS = 2_000;

export interface DeliveryActivityDeps {
  pool: Pool;
  /** Where each party's CDRs go. */
  router: ReceiverRouter;
  retry: RetrySchedule;
  /** The IOP request timeout the clients use (bounds a run, see postClaimLeaseMs). */
  requestTimeoutMs: number;
  /** How long after an uncertain POST a clear "unknown CDR" from the IOP is believed. */
  checkSettleMs: number;
  /** Told of every attempt's outcome (the worker's metrics); never changes a delivery. */
  observer?: DeliveryObserver;
  /** How long a claim holds; by default postClaimLeaseMs(requestTimeoutMs). */
  claimLeaseMs?: number;
  /**
   * Tells session workflows their outcomes during the run (the worker always has one). Left
   * out, the run answers no `told` and the queue workflow tells them between runs.
   */
  sessionNotifier?: SessionNotifier;
}

/** A claim being taken, and when it was asked for (the stall guard counts from then). */
type PendingClaim = Promise<{ claim: PostClaim | undefined; at: number }>;

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  const { pool, router } = deps;
  const leaseMs = deps.claimLeaseMs ?? postClaimLeaseMs(deps.requestTimeoutMs);

  function report(attempt: DeliveryAttempt): void {
    try {
      deps.observer?.attemptEnded(attempt);
    } catch {
      // Counting must never fail or delay a delivery: a broken observer loses a sample, not a CDR.
    }
  }

  /** The lane's route, and (first lane) the CDRs settled by every receiver but never told. */
  async function readLane(
    request: DeliverRequest,
  ): Promise<{ lanes: string[]; laneRoute?: LaneRoute; paused: boolean; untold: SettledCdr[]; head: HeadEntry[] }> {
    const { party } = request;
    const first = request.connection === undefined;
    const routes = await router.lanesFor(party);
    const lanes = routes.map((one) => one.connection);
    const laneRoute = first ? routes[0] : routes.find((one) => one.connection === request.connection);
    if (!laneRoute) return { lanes, paused: false, untold: [], head: [] };
    if (first) await removeSettledEntries(pool, party, request.reported);
    // Paused in Postgres (by an operator, before this queue run started perhaps): no POST.
    if ((await pausedSince(pool, party)) !== null) return { lanes, laneRoute, paused: true, untold: [], head: [] };
    let untold: SettledCdr[] = [];
    if (first) {
      // Settled by every receiver but not told (a run that died, Temporal unreachable).
      untold = (await readSettledEntries(pool, party, request.maxPosts)).map((entry) =>
        settledFrom(
          {
            id: entry.cdrId,
            status: entry.status,
            iopLocation: entry.iopLocation,
            lastError: entry.lastError,
            attempts: entry.attempts,
            partlyTaken: entry.partlyTaken,
          },
          entry.sessionId,
        ),
      );
    }
    const head = await readLaneHead(pool, party, laneRoute.connection, request.maxPosts);
    return { lanes, laneRoute, paused: false, untold, head };
  }

  return {
    /**
     * One run at the head of one lane of the party's queue. Throws when the store fails (the
     * workflow backs off and calls again); the CDRs POSTed before are then found settled, or
     * held at the receiver, by the next run.
     */
    async deliverCdrs(request: DeliverRequest): Promise<DeliverRun> {
      const { party } = request;
      const startedAt = performance.now();
      const context = Context.current();
      const cancelled = context.cancellationSignal;
      const heartbeats = startHeartbeats(context);
      let read: Awaited<ReturnType<typeof readLane>>;
      try {
        read = await readLane(request);
      } catch (error) {
        heartbeats.stop();
        throw error;
      }
      const { lanes, laneRoute, untold, head } = read;
      if (!laneRoute) {
        heartbeats.stop();
        return { settled: [], told: [], end: { kind: 'lane-gone' }, connection: request.connection, lanes };
      }
      if (read.paused) {
        heartbeats.stop();
        return { settled: [], told: [], end: { kind: 'paused' }, connection: laneRoute.connection, lanes };
      }
      const lane: Lane = { party, connection: laneRoute.connection };
      const { route } = laneRoute;
      const { ready, invalid, blockedBy } = splitHead(head);
      const settled: SettledCdr[] = [...untold];
      const telling = deps.sessionNotifier ? new SettledReporter(deps.sessionNotifier, party) : undefined;
      for (const one of untold) telling?.tell(one);
      // An invalid CDR goes nowhere: its entry leaves at once (nobody waits for its outcome).
      for (const entry of invalid) {
        await skipInvalidCdr(pool, { ...party, id: entry.cdrId });
        const skipped: SettledCdr = { cdrId: entry.cdrId, sessionId: entry.sessionId, result: null };
        settled.push(skipped);
        telling?.tell(skipped);
      }
      const sessionOf = new Map(ready.map((entry) => [entry.cdrId, entry.sessionId]));

      const owner = randomUUID();
      const writes = new WriteBehind();
      const claimed: PostClaim[] = [];
      const posted = new Set<string>();
      const claimOf = (entry: HeadEntry): PendingClaim => {
        const at = performance.now();
        const claim = claimPost(pool, lane, entry.cdrId, {
          owner,
          leaseMs,
          postDelayMs: latestPostStartMs(leaseMs, deps.requestTimeoutMs),
        }).then((claimed) => ({
          claim: claimed,
          at,
        }));
        // Awaited later (or never, when the run stops first): its failure must not go unhandled.
        claim.catch(() => undefined);
        return claim;
      };
      // What every CDR of this run shares; none without a route (a disabled connection).
      const run: RunContext | undefined = route && {
        pool,
        lane,
        route,
        retry: deps.retry,
        checkSettleMs: deps.checkSettleMs,
        leaseMs,
        requestTimeoutMs: deps.requestTimeoutMs,
        writes,
        report,
        cancelled,
        // A CDR that every receiver has settled with this write: its session workflow learns the outcome.
        settledAll: (state: SettledCdrState | undefined) => {
          if (!state) return;
          const done = settledFrom(state, sessionOf.get(state.id) ?? '');
          settled.push(done);
          telling?.tell(done);
        },
      };
      // The next CDR's claim is taken while this one is on the wire: off the per-CDR path.
      let nextClaim: PendingClaim | undefined;
      let end: RunEnd | undefined;
      try {
        for (const [index, entry] of ready.entries()) {
          const failedAttempts = request.head?.cdrId === entry.cdrId ? request.head.failedAttempts : 0;
          if (!run) {
            const reason = laneRoute.held ?? `connection ${lane.connection} has no route`;
            end = {
              kind: 'retry',
              cdrId: entry.cdrId,
              sessionId: entry.sessionId,
              reason,
              retryAfterMs: retryDelayMs(failedAttempts + 1, deps.retry),
            };
            break;
          }
          const pendingClaim = nextClaim ?? claimOf(entry);
          nextClaim = undefined;
          const { claim, at: claimedAt } = await pendingClaim;
          if (claim) claimed.push(claim);
          // Never start another POST after a failed write (the state it would build on is not
          // recorded), once the activity was cancelled, or past the run's time budget.
          writes.throwIfFailed();
          if (cancelled.aborted) throw new Error('delivery run cancelled');
          if (posted.size > 0 && performance.now() - startedAt > RUN_BUDGET_MS) break;
          if (!claim) {
            const why = await whyNotClaimed(pool, lane, entry.cdrId, leaseMs);
            end =
              why.kind === 'held'
                ? {
                    kind: 'held-elsewhere',
                    cdrId: entry.cdrId,
                    sessionId: entry.sessionId,
                    retryAfterMs: heldElsewhereWaitMs(why.lapsesInMs),
                  }
                : {
                    kind: 'retry',
                    cdrId: entry.cdrId,
                    sessionId: entry.sessionId,
                    reason: heldReason(party, lane.connection),
                    retryAfterMs: retryDelayMs(failedAttempts + 1, deps.retry),
                  };
            break;
          }
          posted.add(entry.cdrId);
          const following = ready[index + 1];
          if (following) nextClaim = claimOf(following);
          const result = await postOne(run, { claim, claimedAt, failedAttempts });
          if (result.kind === 'retry') {
            end = {
              kind: 'retry',
              cdrId: entry.cdrId,
              sessionId: entry.sessionId,
              reason: result.reason,
              retryAfterMs: result.retryAfterMs,
            };
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
        await releaseClaims(
          pool,
          lane,
          owner,
          claimed.map((claim) => claim.id),
          keepMark,
        ).catch((error: unknown) => writes.fail(error));
        heartbeats.stop();
      }
      writes.throwIfFailed();
      // Nobody waits for this result (the workflow is gone, or the activity timed out).
      if (cancelled.aborted) throw new Error('delivery run cancelled');
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

/** Heartbeats on a timer, so a slow POST or check never makes a live run look dead. */
function startHeartbeats(context: Context): { stop(): void } {
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}
