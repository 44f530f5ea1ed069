/**
 * Decides whether a built CDR may be sent: the OCPI shape (zod) and the rules between its
 * fields. Every error names the field path and the rule, e.g.
 * `charging_periods[2].start_date_time: is after stop_date_time`. A CDR with any error is
 * stored as invalid with these reasons and never sent.
 */
import { cdrSchema, type Cdr } from '../../ocpi/v211/cdr';
import { identityRuleErrors } from './identity-rules';
import { priceRuleErrors } from './price-rules';
import { timeRuleErrors } from './time-rules';
import { totalRuleErrors } from './total-rules';
import { formatIssues } from '../input-problem';

export type CdrValidation = { valid: true; cdr: Cdr } | { valid: false; errors: string[] };

export function validateCdr(candidate: unknown): CdrValidation {
  const parsed = cdrSchema.safeParse(candidate);
  if (!parsed.success) return { valid: false, errors: formatIssues(parsed.error.issues) };
  const cdr = parsed.data;
  const timeErrors = timeRuleErrors(cdr);
  const errors = [
    ...timeErrors,
    ...totalRuleErrors(cdr),
    ...identityRuleErrors(cdr),
    // Pricing periods that overlap or leave the session would only add noise to the errors above.
    ...(timeErrors.length === 0 ? priceRuleErrors(cdr) : []),
  ];
  return errors.length > 0 ? { valid: false, errors } : { valid: true, cdr };
}
