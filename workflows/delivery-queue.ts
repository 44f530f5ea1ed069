/**
 * The FIFO rules of a CPO's delivery queue, as plain deterministic code: the queue
 * workflow drives it, unit tests check it without Temporal. Holds ids only.
 */
import type { CdrStoredNotice, EnqueueRequest, QueueEntry, QueueState, QueueStatus } from './definitions';

/** Enough ids to swallow a late duplicate enqueue, without growing forever. */
export const RECENTLY_FINISHED_LIMIT = 2_000;

export class DeliveryQueue {
  private readonly queued = new Set<string>();
  private readonly finished: Set<string>;

  constructor(private readonly state: QueueState) {
    for (const entry of state.entries) this.queued.add(entry.cdrId);
    this.finished = new Set(state.recentlyFinished);
  }

  get head(): QueueEntry | undefined {
    return this.state.entries[0];
  }

  get paused(): boolean {
    return this.state.paused;
  }

  set paused(value: boolean) {
    this.state.paused = value;
  }

  /** The head may be POSTed: stored, and the queue not paused. */
  get headReady(): boolean {
    return !this.state.paused && this.head?.stored === true;
  }

  /** The run of stored CDRs at the head, up to `max`, in order: what may be POSTed next. */
  readyRun(max: number): QueueEntry[] {
    if (this.state.paused) return [];
    const run: QueueEntry[] = [];
    for (const entry of this.state.entries) {
      if (!entry.stored || run.length >= max) break;
      run.push(entry);
    }
    return run;
  }

  has(cdrId: string): boolean {
    return this.queued.has(cdrId);
  }

  /** Takes the CDR's place at the tail; a CDR already queued or recently finished keeps its fate. */
  enqueue(request: EnqueueRequest, now: number): boolean {
    if (request.replay) this.forgetFinished(request.cdrId);
    if (this.queued.has(request.cdrId) || this.finished.has(request.cdrId)) return false;
    this.push({ cdrId: request.cdrId, sessionId: request.sessionId, enqueuedAt: now, stored: false });
    return true;
  }

  /**
   * The session workflow stored its CDR. Valid: ready to send (queued now if the client's
   * enqueue never arrived). Invalid: never sent, so it leaves the queue.
   */
  markStored(notice: CdrStoredNotice, now: number): void {
    const entry = this.state.entries.find((candidate) => candidate.cdrId === notice.cdrId);
    if (!notice.valid) {
      if (entry) this.finish(entry.cdrId);
      return;
    }
    if (entry) entry.stored = true;
    else if (!this.finished.has(notice.cdrId)) this.push({ cdrId: notice.cdrId, sessionId: notice.sessionId, enqueuedAt: now, stored: true });
  }

  /** An operator re-sends a CDR that had left the queue (rejected, fixed since). */
  requeue(request: EnqueueRequest, now: number): void {
    this.forgetFinished(request.cdrId);
    if (!this.queued.has(request.cdrId)) this.push({ cdrId: request.cdrId, sessionId: request.sessionId, enqueuedAt: now, stored: true });
  }

  private forgetFinished(cdrId: string): void {
    if (!this.finished.delete(cdrId)) return;
    this.state.recentlyFinished = this.state.recentlyFinished.filter((id) => id !== cdrId);
  }

  /** Takes a CDR off the queue (delivered, rejected, invalid or abandoned). */
  finish(cdrId: string): QueueEntry | undefined {
    const index = this.state.entries.findIndex((entry) => entry.cdrId === cdrId);
    if (index < 0) return undefined;
    const [entry] = this.state.entries.splice(index, 1);
    this.queued.delete(cdrId);
    this.finished.add(cdrId);
    this.state.recentlyFinished.push(cdrId);
    while (this.state.recentlyFinished.length > RECENTLY_FINISHED_LIMIT) {
      this.finished.delete(this.state.recentlyFinished.shift()!);
    }
    if (index === 0) this.resetHeadAttempts();
    return entry;
  }

  /**
   * Takes an entry off the queue without remembering it: its session never got a CDR
   * workflow, and when the backend hands it in again it must be queued again.
   */
  drop(cdrId: string): void {
    const index = this.state.entries.findIndex((entry) => entry.cdrId === cdrId);
    if (index < 0) return;
    this.state.entries.splice(index, 1);
    this.queued.delete(cdrId);
    if (index === 0) this.resetHeadAttempts();
  }

  recordHeadFailure(reason: string, outcomeUnknown: boolean): void {
    this.state.headAttempts++;
    this.state.headOutcomeUnknown = outcomeUnknown;
    this.state.headLastError = reason;
  }

  get headAttempts(): number {
    return this.state.headAttempts;
  }

  get headOutcomeUnknown(): boolean {
    return this.state.headOutcomeUnknown;
  }

  status(): QueueStatus {
    return {
      depth: this.state.entries.length,
      head: this.head ?? null,
      oldestEnqueuedAt: this.head?.enqueuedAt ?? null,
      paused: this.state.paused,
      headAttempts: this.state.headAttempts,
      headLastError: this.state.headLastError,
    };
  }

  /** What the next run starts from when the workflow continues as new. */
  snapshot(): QueueState {
    return this.state;
  }

  private push(entry: QueueEntry): void {
    this.state.entries.push(entry);
    this.queued.add(entry.cdrId);
  }

  private resetHeadAttempts(): void {
    this.state.headAttempts = 0;
    this.state.headOutcomeUnknown = false;
    this.state.headLastError = null;
  }
}
