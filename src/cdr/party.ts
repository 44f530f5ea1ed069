/** A CPO as OCPI identifies it: ISO country code and party id. */
export interface Party {
  country_code: string;
  party_id: string;
}

/** eMI3 operator id, as GIREVE and operators write it: `FR*ABC`. */
export function operatorId(party: Party): string {
  return `${party.country_code}*${party.party_id}`;
}
