/**
 * Check CDR: compares the CDR the IOP gives back with the one we sent. Pure.
 * An IOP that offers no GET (GIREVE documents none for every setup) makes the check
 * "not possible", which is recorded, never a failure of the delivery.
 */
import { type CheckStatus } from '../receivers/receiver';
import { checkedCdrOf } from './checked-cdr';
import { envelopeOf, type IopAnswer } from './delivery-outcome';

export interface CheckResult {
  status: CheckStatus;
  detail: string;
}

export function compareCheckedCdr(sent: unknown, answer: IopAnswer | undefined): CheckResult {
  if (!answer) return { status: 'not_possible', detail: 'IOP did not answer the check' };
  const envelope = envelopeOf(answer);
  if (answer.httpStatus < 200 || answer.httpStatus >= 300 || envelope?.status_code !== 1000) {
    const ocpi = envelope ? `, OCPI ${envelope.status_code}` : '';
    return { status: 'not_possible', detail: `IOP answered HTTP ${answer.httpStatus}${ocpi}` };
  }
  const held = checkedCdrOf(envelope.data) ?? envelope.data;
  const differences = topLevelDifferences(sent, held);
  if (differences.length === 0) return { status: 'match', detail: 'the IOP holds the CDR as sent' };
  if (differences.every((path) => HUB_REPLACED_IDS.includes(path))) {
    return { status: 'match_ids_replaced', detail: `match (ids replaced by the hub: ${differences.join(', ')})` };
  }
  const first = differences.find((path) => !HUB_REPLACED_IDS.includes(path));
  return { status: 'mismatch', detail: `differs at ${first || '(root)'}` };
}

/**
 * GIREVE replaces the session id and the authorization reference with its own toward the
 * eMSP (gireve-221.md, "Ids"), and may answer a check with them: no difference in the CDR.
 */
const HUB_REPLACED_IDS = ['session_id', 'authorization_reference'];

/** The first differing path under each top-level key (key order ignored); [''] when the roots differ in kind. */
function topLevelDifferences(sent: unknown, held: unknown): string[] {
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isRecord(sent) || !isRecord(held)) {
    const root = firstDifference(sent, held, '');
    return root === undefined ? [] : [root];
  }
  const keys = [...new Set([...Object.keys(sent), ...Object.keys(held)])].sort();
  return keys.flatMap((key) => firstDifference(sent[key], held[key], key) ?? []);
}

/** Path of the first difference, or undefined when equal (key order ignored). */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of [...keys].sort()) {
      const found = firstDifference(left[key], right[key], path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : path;
}
