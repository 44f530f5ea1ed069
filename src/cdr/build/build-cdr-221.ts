/**
 * Builds the OCPI 2.2.1 CDR of an ended session by translating its 2.1.1 CDR (build-cdr.ts)
 * and that CDR's pricing, never pricing again: both forms of a session carry the same id,
 * periods and totals, and GIREVE's rules (out-of-order time excluded from total_time, the
 * authorization echoed) come with them. What 2.2.1 adds comes from the input (cdr_token,
 * vat_percentage) or from the pricing lines (sub-totals per dimension, each period's tariff).
 * Pure, like build-cdr.ts; not validated here (validate-cdr-221.ts).
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import type { ChargingPeriod } from '../../ocpi/v211/charging-period';
import type { TariffDimensionType } from '../../ocpi/enums';
import type { Tariff } from '../../ocpi/v211/tariff';
import type { UsedLocation } from '../../ocpi/v211/used-location';
import type { Cdr221 } from '../../ocpi/v221/cdr';
import type { CdrLocation } from '../../ocpi/v221/cdr-location';
import type { CdrToken } from '../../ocpi/v221/cdr-token';
import type { ChargingPeriod221 } from '../../ocpi/v221/charging-period';
import type { Tariff221 } from '../../ocpi/v221/tariff';
import { buildCdrWithPricing, type BuiltCdrWithPricing } from './build-cdr';
import { CdrBuildError } from './build-error';
import { fromE4, toE4 } from '../decimal';
import type { Party } from '../../ocpi/party';
import type { CdrPricing } from '../pricing/price-cdr';
import { volumeE4 } from '../pricing/priced-period';
import type { SessionEnded } from '../session/session-ended';
import { priceWithVat } from '../pricing/price-with-vat';

export interface BuiltCdr221WithPricing {
  cdr: Cdr221;
  /** The 2.1.1 CDR it translates, and how that was priced: its rules are this CDR's (validate-cdr-221.ts). */
  source: BuiltCdrWithPricing;
}

/** Throws CdrBuildError naming what 2.2.1 needs and the input lacks, or when buildCdr would. */
export function buildCdr221(input: SessionEnded, now: Date): Cdr221 {
  return buildCdr221WithPricing(input, now).cdr;
}

export function buildCdr221WithPricing(input: SessionEnded, now: Date): BuiltCdr221WithPricing {
  const needs = needs221Of(input);
  if (!needs.ok) throw new CdrBuildError(needs.problems);
  const source = buildCdrWithPricing(input, now);
  return { cdr: translate(source, input, needs), source };
}

/**
 * What keeps `input` from giving an OCPI 2.2.1 CDR, as `field.path: rule` (the problems
 * buildCdr221 throws); [] when nothing does. For callers that decide before building.
 */
export function missing221Fields(input: SessionEnded): string[] {
  const needs = needs221Of(input);
  return needs.ok ? [] : needs.problems;
}

type Needs221 = { ok: true; token: CdrToken; evseId: string } | { ok: false; problems: string[] };

const TOKEN_FIELDS = [
  ['country_code', 'the country code of the eMSP that owns the token'],
  ['party_id', 'the party id of the eMSP that owns the token'],
  ['uid', "the token's uid"],
  ['type', 'RFID, APP_USER, AD_HOC_USER or OTHER'],
] as const;

// 2.1.1 lets Location.id and EVSE.uid run to 39 characters, 2.2.1's CdrLocation to 36.
const CDR_LOCATION_ID_MAX = 36;

function needs221Of(input: SessionEnded): Needs221 {
  const { cdr_token: token, session } = input;
  const evse = session.location.evses[0];
  const problems: string[] = [];
  if (token === undefined) {
    for (const [field, what] of TOKEN_FIELDS) {
      problems.push(`cdr_token.${field}: is required for an OCPI 2.2.1 connection (${what}; 2.1.1 input carries only auth_id)`);
    }
  }
  if (session.location.id.length > CDR_LOCATION_ID_MAX) {
    problems.push(
      `session.location.id: must be at most ${CDR_LOCATION_ID_MAX} characters for an OCPI 2.2.1 connection (CdrLocation.id; 2.1.1 allows 39)`,
    );
  }
  if (evse.uid.length > CDR_LOCATION_ID_MAX) {
    problems.push(
      `session.location.evses[0].uid: must be at most ${CDR_LOCATION_ID_MAX} characters for an OCPI 2.2.1 connection (CdrLocation.evse_uid; 2.1.1 allows 39)`,
    );
  }
  // mod_tariffs reads a price component without `vat` as "no VAT applicable": left out, a
  // French CPO's CDR would say so. The backend says which rate applies (0 where none does).
  if (input.vat_percentage === undefined) {
    problems.push(
      'vat_percentage: is required for an OCPI 2.2.1 connection (the VAT rate in percent, 0 when no VAT applies; ' +
        'without it a 2.2.1 tariff reads as "no VAT applicable")',
    );
  }
  // The edge requires it already (GIREVE); input parsed before that rule may lack it.
  if (evse.evse_id === undefined) {
    problems.push('session.location.evses[0].evse_id: is required for an OCPI 2.2.1 connection (CdrLocation.evse_id)');
  }
  if (token === undefined || evse.evse_id === undefined || problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    token: {
      country_code: token.country_code,
      party_id: token.party_id,
      uid: token.uid,
      type: token.type,
      contract_id: token.contract_id ?? session.auth_id,
    },
    evseId: evse.evse_id,
  };
}

function translate({ cdr, pricing }: BuiltCdrWithPricing, input: SessionEnded, needs: { token: CdrToken; evseId: string }): Cdr221 {
  const vat = input.vat_percentage;
  const subTotals = subTotalsOf(cdr, pricing);
  const price = (exclVat: number) => priceWithVat(exclVat, vat);
  const pricedBy = pricing.status === 'priced' ? pricing.tariff.id : undefined;
  // Keys in the order of mod_cdrs.asciidoc, so the JSON reads like the spec.
  return {
    country_code: input.party.country_code,
    party_id: input.party.party_id,
    id: cdr.id,
    start_date_time: cdr.start_date_time,
    end_date_time: cdr.stop_date_time,
    session_id: input.session.id,
    cdr_token: needs.token,
    auth_method: input.started_by_command === true ? 'COMMAND' : cdr.auth_method,
    ...(cdr.authorization_id === undefined ? {} : { authorization_reference: cdr.authorization_id }),
    cdr_location: cdrLocationOf(cdr.location, needs.evseId),
    ...(cdr.meter_id === undefined ? {} : { meter_id: cdr.meter_id }),
    currency: cdr.currency,
    ...(cdr.tariffs === undefined ? {} : { tariffs: cdr.tariffs.map((tariff) => tariff221Of(tariff, input.party, vat)) }),
    charging_periods: cdr.charging_periods.map((period) => period221Of(period, pricedBy)),
    ...(cdr.signed_data === undefined ? {} : { signed_data: cdr.signed_data }),
    total_cost: price(cdr.total_cost),
    ...(subTotals.FLAT === undefined ? {} : { total_fixed_cost: price(subTotals.FLAT) }),
    total_energy: cdr.total_energy,
    ...(subTotals.ENERGY === undefined ? {} : { total_energy_cost: price(subTotals.ENERGY) }),
    total_time: cdr.total_time,
    ...(subTotals.TIME === undefined ? {} : { total_time_cost: price(subTotals.TIME) }),
    ...(cdr.total_parking_time === undefined ? {} : { total_parking_time: cdr.total_parking_time }),
    ...(subTotals.PARKING_TIME === undefined ? {} : { total_parking_cost: price(subTotals.PARKING_TIME) }),
    last_updated: cdr.last_updated,
  };
}

/**
 * Cost excluding VAT per tariff dimension, for the dimensions the pricing has lines for.
 * Known only when total_cost is the pricing's own total: when the backend's total stands
 * (no tariff, or one it disagrees with) nothing says how that total splits, so none is
 * given. A flat fee goes to total_fixed_cost, except the fixed part of parking: OCPI 2.2.1
 * counts a FLAT of an element that prices PARKING_TIME into total_parking_cost, and leaves
 * it out of total_fixed_cost (2.1.1 has no reservations). Each line's cost is rounded to
 * 4 decimals by price-session.ts, which sums the total exactly before rounding it, so the
 * sub-totals can differ from total_cost by the lines' rounding (under 0.0001 per line).
 */
function subTotalsOf(cdr: Cdr, pricing: CdrPricing): Partial<Record<TariffDimensionType, number>> {
  if (pricing.status !== 'priced' || pricing.price.total !== cdr.total_cost) return {};
  const pricesParking = (element: number) =>
    pricing.tariff.elements[element]?.price_components.some((component) => component.type === 'PARKING_TIME') ?? false;
  const sums = new Map<TariffDimensionType, bigint>();
  for (const line of pricing.price.lines) {
    const type = line.type === 'FLAT' && pricesParking(line.element) ? 'PARKING_TIME' : line.type;
    sums.set(type, (sums.get(type) ?? 0n) + toE4(line.cost));
  }
  return Object.fromEntries([...sums].map(([type, sumE4]) => [type, fromE4(sumE4)]));
}

/** 2.1.1's FLAT dimension has no 2.2.1 counterpart (the flat fee is in total_fixed_cost). */
function period221Of(period: ChargingPeriod, pricedBy: string | undefined): ChargingPeriod221 {
  const dimensions = period.dimensions.flatMap((dimension) =>
    dimension.type === 'FLAT' ? [] : [{ type: dimension.type, volume: dimension.volume }],
  );
  // Out-of-order time (GIREVE 3.3) is written with no billable time: free, so no tariff is
  // relevant, which is what an absent tariff_id says in 2.2.1.
  const billable = volumeE4(period, 'TIME') > 0n || volumeE4(period, 'PARKING_TIME') > 0n;
  return {
    start_date_time: period.start_date_time,
    dimensions,
    ...(pricedBy === undefined || !billable ? {} : { tariff_id: pricedBy }),
  };
}

function cdrLocationOf(location: UsedLocation, evseId: string): CdrLocation {
  const evse = location.evses[0];
  const connector = evse.connectors[0];
  return {
    id: location.id,
    ...(location.name === undefined ? {} : { name: location.name }),
    address: location.address,
    city: location.city,
    postal_code: location.postal_code,
    country: location.country,
    coordinates: location.coordinates,
    evse_uid: evse.uid,
    evse_id: evseId,
    connector_id: connector.id,
    connector_standard: connector.standard,
    connector_format: connector.format,
    connector_power_type: connector.power_type,
  };
}

/**
 * The same tariff, owned by the CPO party, with no `type` (mod_tariffs: "When omitted, this
 * tariff is valid for all sessions", as a 2.1.1 tariff is), and the VAT rate on every price
 * component when it is known (an absent `vat` says "no VAT applicable").
 */
function tariff221Of(tariff: Tariff, party: Party, vat: number | undefined): Tariff221 {
  return {
    country_code: party.country_code,
    party_id: party.party_id,
    id: tariff.id,
    currency: tariff.currency,
    ...(tariff.tariff_alt_text === undefined ? {} : { tariff_alt_text: tariff.tariff_alt_text }),
    ...(tariff.tariff_alt_url === undefined ? {} : { tariff_alt_url: tariff.tariff_alt_url }),
    elements: tariff.elements.map((element) => ({
      price_components: element.price_components.map(({ type, price, step_size }) =>
        vat === undefined ? { type, price, step_size } : { type, price, vat, step_size },
      ),
      ...(element.restrictions === undefined ? {} : { restrictions: element.restrictions }),
    })),
    ...(tariff.energy_mix === undefined ? {} : { energy_mix: tariff.energy_mix }),
    last_updated: tariff.last_updated,
  };
}
