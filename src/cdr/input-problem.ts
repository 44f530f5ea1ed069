import type { z } from 'zod';

/** A problem with the input, before it is formatted as `field.path: rule`. */
export interface InputProblem {
  path: PropertyKey[];
  message: string;
}

export function formatProblem(problem: InputProblem): string {
  return `${formatPath(problem.path)}: ${problem.message}`;
}

/**
 * Every object schema is strict: a key we don't know (`dayOfWeek`, `out_of_service`, 2.2's
 * `max_current`) would otherwise vanish and bill wrong without a word. Each such key gets
 * its own line naming its full path.
 */
const UNKNOWN_KEY_RULE = 'is not a known field (misspelled, or from another OCPI version?): refused rather than ignored';

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: ${UNKNOWN_KEY_RULE}`)
      : [`${formatPath(issue.path)}: ${issue.message}`],
  );
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('') || '(root)';
}
