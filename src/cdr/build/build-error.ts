/**
 * A session the builder cannot turn into a CDR at all (as opposed to a CDR that fails
 * validation). Callers treat it like an invalid CDR: stored with the reasons, never
 * retried, never sent. Each problem reads `field.path: rule`.
 */
export class CdrBuildError extends Error {
  override readonly name = 'CdrBuildError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
