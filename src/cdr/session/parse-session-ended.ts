/** The edge where a SessionEnded comes in: parsed, checked, or refused with every problem named. */
import { formatIssues, formatProblem } from '../input-problem';
import { sessionEndedSchema, type SessionEnded } from './session-ended';
import { implausibleSessionProblems } from './session-plausibility';

export class InvalidSessionEndedError extends Error {
  override readonly name = 'InvalidSessionEndedError';
  constructor(readonly problems: string[]) {
    super(`invalid SessionEnded:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * Parses at the edge: the shape and the rules between fields (sessionEndedSchema), then
 * whether a charger could have produced the session by `now` (session-plausibility.ts).
 * The error lists every problem as `field.path: rule`.
 */
export function parseSessionEnded(input: unknown, now: Date = new Date()): SessionEnded {
  const result = sessionEndedSchema.safeParse(input);
  if (!result.success) throw new InvalidSessionEndedError(formatIssues(result.error.issues));
  const implausible = implausibleSessionProblems(result.data, now);
  if (implausible.length > 0) throw new InvalidSessionEndedError(implausible.map(formatProblem));
  return result.data;
}
