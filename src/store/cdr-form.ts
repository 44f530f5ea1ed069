/**
 * The stored forms of a CDR that a pull may serve, and what each means in SQL. A CDR
 * without the form a puller asks for does not exist for it: not listed, not counted, not
 * found by id. Most CDRs have both; a session that lacked what 2.2.1 needs has no 2.2.1
 * form (`cdr_221` null, migration 006), and a 2.2.1 credit CDR has no 2.1.1 one (`cdr` null:
 * 2.1.1 has no credit CDRs, src/store/credit-repo.ts).
 */
import type { OcpiVersion } from '../ocpi/versions';

/** A stored form is named by the OCPI version it is written in. */
export type CdrForm = OcpiVersion;

export interface CdrFormSql {
  /** The jsonb column holding this form of the CDR. */
  body: string;
  /**
   * The rows this form's pull serves. Written exactly as the WHERE of the form's pull index
   * (cdrs_pull_order, cdrs_pull_221_order), so that the planner pages on that index.
   */
  pullable: string;
  /** The column of cdrs_pullable_per_hour / _per_day counting these rows (migrations 002, 007). */
  counted: string;
}

export const CDR_FORMS: Readonly<Record<CdrForm, CdrFormSql>> = {
  '2.1.1': { body: 'cdr', pullable: "status <> 'invalid' AND cdr IS NOT NULL", counted: 'pullable' },
  '2.2.1': { body: 'cdr_221', pullable: "status <> 'invalid' AND cdr_221 IS NOT NULL", counted: 'pullable_221' },
};
