/**
 * Builds the OCPI 2.1.1 CDR of an ended session. Pure: the same input and `now` give the
 * same CDR, so a rebuild (replay, retry) never invents a second one. The result is not yet
 * validated: validate-cdr.ts decides whether it may be sent. docs/how-a-cdr-is-built.md
 * walks through every field.
 */
import type { Cdr } from '../../ocpi/v211/cdr';
import { toOcpiDateTime } from '../../ocpi/primitives';
import { authorizationIdFor } from '../session/authorization-id';
import { CdrBuildError } from './build-error';
import { cdrIdFor } from './cdr-id';
import { buildChargingPeriods } from './cdr-periods';
import { chooseTotalCost } from '../pricing/cdr-total-cost';
import { fromE4, msToHoursE4 } from '../decimal';
import { clipAndMerge, totalLength, type Interval } from '../intervals';
import { priceCdr, type CdrPricing } from '../pricing/price-cdr';
import { volumeE4 } from '../pricing/priced-period';
import { selectTariff } from '../pricing/select-tariff';
import { type SessionEnded } from '../session/session-ended';
import { formatProblem } from '../input-problem';
import { implausibleSessionProblems } from '../session/session-plausibility';

export interface BuiltCdrWithPricing {
  cdr: Cdr;
  /** How total_cost was computed (lines per dimension and element), or why it could not be. */
  pricing: CdrPricing;
}

/** Throws CdrBuildError when the session is implausible or can't be priced at all (no tariff and no total_cost). */
export function buildCdr(input: SessionEnded, now: Date): Cdr {
  return buildCdrWithPricing(input, now).cdr;
}

export function buildCdrWithPricing(input: SessionEnded, now: Date): BuiltCdrWithPricing {
  // Input parsed before these rules existed (a workflow's history) or never parsed: what no
  // charger can produce is refused before it is priced, which could otherwise take hours.
  const implausible = implausibleSessionProblems(input, now);
  if (implausible.length > 0) throw new CdrBuildError(implausible.map(formatProblem));
  const { session } = input;
  const stopText = session.end_datetime ?? session.start_datetime;
  const sessionSpan: Interval = { start: Date.parse(session.start_datetime), end: Date.parse(stopText) };
  const outOfOrder = clipAndMerge(
    (input.out_of_order ?? []).map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) })),
    sessionSpan,
  );
  const chargingPeriods = buildChargingPeriods(session, sessionSpan.end, outOfOrder);
  const sessionMs = Math.max(0, sessionSpan.end - sessionSpan.start);
  const tariffs = tariffsFor(input);
  const authorizationId = authorizationIdFor(input);
  // Keys in the order of mod_cdrs.md 3.1, so the JSON reads like the spec.
  const draft: Cdr = {
    id: cdrIdFor(input.party, session.id),
    start_date_time: session.start_datetime,
    stop_date_time: stopText,
    auth_id: session.auth_id,
    ...(authorizationId === undefined ? {} : { authorization_id: authorizationId }),
    auth_method: session.auth_method,
    location: session.location,
    ...(session.meter_id === undefined ? {} : { meter_id: session.meter_id }),
    currency: session.currency,
    ...(tariffs.length === 0 ? {} : { tariffs }),
    charging_periods: chargingPeriods,
    ...(input.signed_data === undefined ? {} : { signed_data: input.signed_data }),
    total_cost: 0,
    total_energy: session.kwh,
    // GIREVE 3.3: the whole session, charging or not, except while the EVSE was out of order.
    total_time: fromE4(msToHoursE4(sessionMs - totalLength(outOfOrder))),
    total_parking_time: fromE4(chargingPeriods.reduce((sum, period) => sum + volumeE4(period, 'PARKING_TIME'), 0n)),
    last_updated: toOcpiDateTime(now),
  };

  const pricing = priceCdr(draft);
  return { cdr: { ...draft, total_cost: chooseTotalCost(pricing, session.total_cost) }, pricing };
}

/** Only the tariff that priced the session; all of them when that can't be told (validation explains). */
function tariffsFor(input: SessionEnded): SessionEnded['tariffs'] {
  const choice = selectTariff(input.tariffs, input.session.location.evses[0].connectors[0].tariff_id);
  return choice.found ? [choice.tariff] : input.tariffs;
}
