import type { Party } from '../../src/ocpi/party';
import type { SessionNotifier } from '../../src/temporal/notify-session';
import type { SettledCdr } from '../../workflows/definitions';

/**
 * The session workflows a run tells of their outcomes, each signal sent while the next POSTs
 * are on the wire. A CDR without a result (invalid) has nobody to tell.
 */
export class SettledReporter {
  private readonly told: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly notifier: SessionNotifier,
    private readonly party: Party,
  ) {}

  tell(settled: SettledCdr): void {
    const { result } = settled;
    if (!result) {
      this.told.push(settled.cdrId);
      return;
    }
    // Sent from a later microtask: a notifier that throws at once fails this CDR's telling alone.
    const telling = Promise.resolve()
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
