/**
 * What differs between the OCPI 2.1.1 and 2.2.1 CDR pulls: the stored form of the CDR
 * served, and where the cdrs endpoint lives (its next-page Links point back to it).
 * Paging, windows, scopes and the pull barrier are the same for both.
 */
import type { CdrForm } from '../../store/cdr-form';
import { CDRS_221_PATH, CDRS_PATH } from '../paths';

export interface PullVersion {
  form: CdrForm;
  cdrsPath: string;
  /** Longest CDR id: CiString(36) in 2.1.1; CiString(39) in 2.2.1, room for a credit CDR's suffix. */
  maxIdLength: number;
}

export const PULL_211: PullVersion = { form: '2.1.1', cdrsPath: CDRS_PATH, maxIdLength: 36 };
export const PULL_221: PullVersion = { form: '2.2.1', cdrsPath: CDRS_221_PATH, maxIdLength: 39 };
