/**
 * What the OCPI 2.2.1 API tests add to api-harness.ts: CDRs stored with a 2.2.1 form
 * (cdrs.cdr_221) beside their 2.1.1 one, and a client that speaks 2.2.1 transport
 * (Base64 token, X-Request-ID / X-Correlation-ID, routing headers).
 */
import type { Pool } from 'pg';
import type { Party } from '../../../src/ocpi/party';
import { insertCdr } from '../../../src/store/cdr-repo';
import { CPO, ocpiGet, PULL_TOKEN, plausibleCdr, storeSeries, walkPages, type OcpiAnswer } from './api-harness';

/** The fields of a 2.2.1 CDR the tests look at; the rest is passed through untouched. */
export interface Cdr221 {
  country_code: string;
  party_id: string;
  id: string;
  last_updated: string;
  [field: string]: unknown;
}

/**
 * A CDR in its OCPI 2.2.1 shape (mod_cdrs.asciidoc of release-2.2.1-bugfixes), as the
 * builder would write it: the same session as plausibleCdr's 2.1.1 CDR of that id.
 */
export function plausibleCdr221(id: string, lastUpdated: Date, party: Party = CPO): Cdr221 {
  const cdr = plausibleCdr(id, lastUpdated, party);
  const { evses, type: _type, last_updated: _locationUpdated, ...place } = cdr.location;
  const evse = evses![0]!;
  const connector = evse.connectors[0]!;
  return {
    country_code: party.country_code,
    party_id: party.party_id,
    id,
    start_date_time: cdr.start_date_time,
    end_date_time: cdr.stop_date_time,
    cdr_token: { country_code: 'FR', party_id: 'GIR', uid: '1A2B3C4D5E6F70', type: 'RFID', contract_id: cdr.auth_id },
    auth_method: cdr.auth_method,
    authorization_reference: cdr.authorization_id,
    cdr_location: {
      ...place,
      evse_uid: evse.uid,
      evse_id: evse.evse_id,
      connector_id: connector.id,
      connector_standard: connector.standard,
      connector_format: connector.format,
      connector_power_type: connector.power_type,
    },
    currency: cdr.currency,
    charging_periods: cdr.charging_periods,
    total_cost: { excl_vat: cdr.total_cost, incl_vat: 10.32 },
    total_energy: cdr.total_energy,
    total_time: cdr.total_time,
    last_updated: cdr.last_updated,
  };
}

export interface StoreOptions {
  party?: Party;
  status?: 'queued' | 'invalid';
  /** false: the session lacked what 2.2.1 needs, only the 2.1.1 form is stored. */
  with221?: boolean;
}

/** Stores a CDR as the pipeline would, with its 2.2.1 form unless told otherwise; returns that form. */
export async function storeCdr221(pool: Pool, id: string, lastUpdated: Date, options: StoreOptions = {}): Promise<Cdr221> {
  const { party = CPO, status = 'queued', with221 = true } = options;
  const cdr221 = plausibleCdr221(id, lastUpdated, party);
  await insertCdr(pool, {
    ...party,
    id,
    session_id: `SESSION-${id}`,
    cdr: plausibleCdr(id, lastUpdated, party),
    ...(with221 ? { cdr_221: cdr221 } : {}),
    last_updated: lastUpdated,
    status,
    ...(status === 'invalid' ? { validation_errors: ['total_cost: must be >= 0'] } : {}),
  });
  return cdr221;
}

/** `count` CDRs `<prefix>-0001`… one minute apart from `firstAt`, all with a 2.2.1 form; in pull order. */
export const storeCdr221Series = (pool: Pool, prefix: string, firstAt: Date, count: number): Promise<Cdr221[]> =>
  storeSeries(prefix, firstAt, count, (id, at) => storeCdr221(pool, id, at));

/** `Authorization: Token <Base64 of the token>`, as OCPI 2.2.1 (and GIREVE) sends it. */
export const base64Auth = (token: string = PULL_TOKEN) => ({
  Authorization: `Token ${Buffer.from(token, 'utf8').toString('base64')}`,
});

/** GET as a 2.2.1 client: the Base64 token, plus any headers (routing, message ids). */
export const get221 = (url: string, token: string = PULL_TOKEN, headers: Record<string, string> = {}): Promise<OcpiAnswer> =>
  ocpiGet(url, null, { ...base64Auth(token), ...headers });

/** walkPages as a 2.2.1 client. */
export const walk221 = (firstUrl: string, token: string = PULL_TOKEN, headers: Record<string, string> = {}) =>
  walkPages(firstUrl, undefined, null, { ...base64Auth(token), ...headers });

/** OCPI-to-* / OCPI-from-* request headers naming `party`. */
export const routingTo = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id });
export const routingFrom = (party: Party) => ({ 'OCPI-from-country-code': party.country_code, 'OCPI-from-party-id': party.party_id });

/** The routing headers of an answer, for one-line assertions. */
export function answerRouting(answer: OcpiAnswer): Record<string, string | null> {
  const header = (name: string) => answer.headers.get(name);
  return {
    fromCountry: header('ocpi-from-country-code'),
    fromParty: header('ocpi-from-party-id'),
    toCountry: header('ocpi-to-country-code'),
    toParty: header('ocpi-to-party-id'),
  };
}
