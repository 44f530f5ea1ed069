/**
 * What the delivery activity tells whoever watches it (the worker's metrics), once per CDR
 * whose delivery attempt ended. An interface, so the activity knows nothing of Prometheus
 * and a test may pass its own.
 */
export interface DeliveryAttempt {
  /** eMI3 operator id of the CPO party: `FR*ABC`. */
  operator: string;
  /** The party's connection the attempt went through (`default`: the IOP_* receiver). */
  connection: string;
  cdrId: string;
  outcome: 'delivered' | 'rejected' | 'retry';
  /** How long the POST took, in seconds; null when no POST was made (the IOP already had the CDR). */
  postSeconds: number | null;
  /** retry only: the IOP refused our token (HTTP 401/403). */
  credentialsAlert: boolean;
  /** retry only: the CDR may have reached the IOP (timeout, reset); it is looked up before the next POST. */
  unknownOutcome: boolean;
  /** retry only: the hub's status code (4001 at once, 4000 / 4003 once they last) when operators must act, else null. */
  hubAlert: number | null;
}

/** A hand-in taken off its queue because no CDR can ever be built for it. */
export interface DroppedHandIn {
  operator: string;
  /** 'not-found' (no session workflow: never started, or past retention) or 'no-input'. */
  reason: string;
}

export interface DeliveryObserver {
  attemptEnded(attempt: DeliveryAttempt): void;
  handInDropped?(dropped: DroppedHandIn): void;
  /** The worker's queue repair found a party's queue workflow gone and started it again. */
  queueRestarted?(operator: string): void;
  /** The worker's delivery repair settled CDRs nothing would have (src/store/delivery-repair.ts). */
  deliveriesRepaired?(operator: string, kind: 'lane-gone' | 'unserved', count: number): void;
  /** Reconciliation looked a sent CDR up at the IOP (src/worker/reconciliation.ts). */
  reconciled?(operator: string, verdict: ReconcileVerdict): void;
}

/** What reconciliation learnt of a sent CDR: still at the IOP, gone, or no clear answer. */
export type ReconcileVerdict = 'held' | 'missing' | 'unclear';
