/** Database writes that run while the next POST is on the wire; the first failure is kept. */
export class WriteBehind {
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

  /** Waits for every write; failures are kept for throwIfFailed(). */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }
}
