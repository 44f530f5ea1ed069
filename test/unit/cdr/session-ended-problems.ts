/** What the edge says about an input at `now`: its problems as `field.path: rule`, [] when it parses. */
import { InvalidSessionEndedError, parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { NOW } from './fixtures';

export function problemsOf(input: unknown, now: Date = NOW): string[] {
  try {
    parseSessionEnded(input, now);
    return [];
  } catch (error) {
    if (error instanceof InvalidSessionEndedError) return error.problems;
    throw error;
  }
}
