/**
 * Reads a query string strictly: every parameter must be one the endpoint knows, and
 * appear once. A misspelt `date_form` silently ignored would widen a pull to every CDR;
 * a repeated `limit` has no single meaning. Both are client errors, named in the answer.
 */
import { invalidParameter } from '../transport/api-error';

// Parameter names are echoed in messages; keep a hostile name from filling the answer.
const MAX_ECHOED_NAME = 40;

function echo(name: string): string {
  return JSON.stringify(name.length > MAX_ECHOED_NAME ? `${name.slice(0, MAX_ECHOED_NAME)}...` : name);
}

/** The parameters of `search` (the part after `?`), by name; throws an invalid-parameter ApiError. */
export function readQuery(search: string, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(search)) {
    if (!allowed.includes(name)) {
      const rule = allowed.length === 0 ? 'this endpoint takes no query parameters' : `allowed: ${allowed.join(', ')}`;
      throw invalidParameter(`unknown query parameter ${echo(name)} (${rule})`);
    }
    if (values.has(name)) throw invalidParameter(`query parameter ${name} must appear at most once`);
    values.set(name, value);
  }
  return values;
}
