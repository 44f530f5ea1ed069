/**
 * Decides whether a built OCPI 2.2.1 CDR may be sent. It is a translation of the session's
 * 2.1.1 CDR, so the rules between fields (times, totals, eMI3 ids, price) are checked on
 * that CDR by validate-cdr.ts and name its fields; then the 2.2.1 CDR's own shape, whose
 * errors name 2.2.1 fields and say so.
 */
import { cdr221Schema, type Cdr221 } from '../../ocpi/v221/cdr';
import type { BuiltCdr221WithPricing } from '../build/build-cdr-221';
import { formatIssues } from '../input-problem';
import { gireve221Problems } from './gireve-221-rules';
import { validateCdr } from './validate-cdr';

export type Cdr221Validation = { valid: true; cdr: Cdr221 } | { valid: false; errors: string[] };

/** Where the CDR goes beyond the standard: `forGireve` adds GIREVE's own rules (gireve-221-rules.ts). */
export interface Receiver221Rules {
  forGireve?: boolean;
}

export function validateCdr221(built: BuiltCdr221WithPricing, rules: Receiver221Rules = {}): Cdr221Validation {
  const source = validateCdr(built.source.cdr);
  const shape = validate221Shape(built.cdr, rules);
  const errors = [...(source.valid ? [] : source.errors), ...(shape.valid ? [] : shape.errors)];
  return shape.valid && errors.length === 0 ? shape : { valid: false, errors };
}

/** The 2.2.1 schema (and the receiver's rules) alone, for a caller that has validated the 2.1.1 CDR it translates already. */
export function validate221Shape(cdr: Cdr221, rules: Receiver221Rules = {}): Cdr221Validation {
  const parsed = cdr221Schema.safeParse(cdr);
  if (parsed.success) {
    const refused = rules.forGireve ? gireve221Problems(parsed.data) : [];
    return refused.length === 0 ? { valid: true, cdr: parsed.data } : { valid: false, errors: refused };
  }
  return { valid: false, errors: formatIssues(parsed.error.issues).map((problem) => `OCPI 2.2.1 CDR ${problem}`) };
}
