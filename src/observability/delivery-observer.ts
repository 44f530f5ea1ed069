/**
 * What the delivery activity tells whoever watches it (the worker's metrics), once per CDR
 * whose delivery attempt ended. An interface, so the activity knows nothing of Prometheus
 * and a test may pass its own.
 */
export interface DeliveryAttempt {
  /** eMI3 operator id of the CPO party: `FR*ABC`. */
  operator: string;
  cdrId: string;
  outcome: 'delivered' | 'rejected' | 'retry';
  /** How long the POST took, in seconds; null when no POST was made (the IOP already had the CDR). */
  postSeconds: number | null;
  /** retry only: the IOP refused our token (HTTP 401/403). */
  credentialsAlert: boolean;
  /** retry only: the CDR may have reached the IOP (timeout, reset); it is looked up before the next POST. */
  unknownOutcome: boolean;
}

export interface DeliveryObserver {
  attemptEnded(attempt: DeliveryAttempt): void;
}
