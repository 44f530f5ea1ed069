/** What the edge says about an input: its problems as `field.path: rule`, [] when it parses. */
import { InvalidSessionEndedError, parseSessionEnded } from '../../../src/cdr/session-ended';

export function problemsOf(input: unknown): string[] {
  try {
    parseSessionEnded(input);
    return [];
  } catch (error) {
    if (error instanceof InvalidSessionEndedError) return error.problems;
    throw error;
  }
}
