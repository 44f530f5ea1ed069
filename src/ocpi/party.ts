/** A CPO as OCPI identifies it: ISO country code and party id. */
export interface Party {
  country_code: string;
  party_id: string;
}

/** eMI3 operator id, as GIREVE and operators write it: `FR*ABC`. */
export function operatorId(party: Party): string {
  return `${party.country_code}*${party.party_id}`;
}

/** The CPO parties whose CDRs a reader sees: all of this platform's, or only those listed (none if empty). */
export type PullScope = 'all' | readonly Party[];

/** A CDR is identified by the CPO's party and the CDR id (OCPI's unique key). */
export interface CdrKey extends Party {
  id: string;
}

/** The party of an eMI3 operator id already validated (`FR*ABC`), as the store keeps them. */
export function partyOfOperatorId(id: string): Party {
  return { country_code: id.slice(0, 2), party_id: id.slice(3) };
}
