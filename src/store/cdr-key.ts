import type { Party } from '../cdr/party';

/** A CDR is identified by the CPO's party and the CDR id (OCPI's unique key). */
export interface CdrKey extends Party {
  id: string;
}
