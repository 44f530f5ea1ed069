/**
 * How long a run's claim on a CDR holds, and the arithmetic that keeps two runs from
 * POSTing it at once (the claims themselves are in src/store/post-claims.ts).
 */

/**
 * A check GET and a POST, each within the IOP request timeout, plus room for a stalled
 * process. Another run takes the CDR over only after this, so a run that lost touch with its
 * workflow is done with it by then; a worker that died holding a claim delays its CDR by this much.
 */
export function postClaimLeaseMs(requestTimeoutMs: number): number {
  return 2 * requestTimeoutMs + 10_000;
}

/**
 * The latest a run starts a POST after its claim: the POST (within the request timeout) and a
 * margin must end before the lease lapses and another run may take over. A run that takes a
 * lapsed claim over counts the earlier POST as started this long after that claim (never
 * sooner: the settle delay before believing "unknown CDR" would end too early).
 */
export function latestPostStartMs(leaseMs: number, requestTimeoutMs: number): number {
  return leaseMs - requestTimeoutMs - 2_000;
}

/** Whether a claim taken `heldForMs` ago is too old to start a POST on (see latestPostStartMs). */
export function claimTooOldToPost(heldForMs: number, leaseMs: number, requestTimeoutMs: number): boolean {
  return heldForMs > latestPostStartMs(leaseMs, requestTimeoutMs);
}

/** How long to wait for another run's claim to end or lapse: looked at again every few seconds. */
export function heldElsewhereWaitMs(lapsesInMs: number): number {
  return Math.min(Math.max(lapsesInMs, 500), 5_000);
}
