/**
 * Builds the OCPI 2.1.1 CDR of an ended session. Pure: the same input and `now` give the
 * same CDR, so a rebuild (replay, retry) never invents a second one. The result is not yet
 * validated: validate-cdr.ts decides whether it may be sent.
 */
import type { Cdr } from '../ocpi/cdr';
import { toOcpiDateTime } from '../ocpi/primitives';
import { cdrIdFor } from './cdr-id';
import { clipAndMerge, MS_PER_HOUR, round4, totalLength, type Interval } from './intervals';
import type { SessionEnded } from './session-ended';

export function buildCdr(input: SessionEnded, now: Date): Cdr {
  const { session } = input;
  const sessionInterval: Interval = {
    start: Date.parse(session.start_datetime),
    end: Date.parse(session.end_datetime ?? session.start_datetime),
  };
  const outOfOrder = clipAndMerge(
    (input.out_of_order ?? []).map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) })),
    sessionInterval,
  );
  const sessionMs = Math.max(0, sessionInterval.end - sessionInterval.start);
  const cdr: Cdr = {
    id: cdrIdFor(input.party, session.id),
    start_date_time: session.start_datetime,
    stop_date_time: session.end_datetime ?? session.start_datetime,
    auth_id: session.auth_id,
    auth_method: session.auth_method,
    location: session.location,
    currency: session.currency,
    tariffs: input.tariffs,
    charging_periods: session.charging_periods ?? [],
    total_cost: round4(session.total_cost ?? 0),
    total_energy: round4(session.kwh),
    // GIREVE 3.3: the whole session, charging or not, except while the EVSE was out of order.
    total_time: round4((sessionMs - totalLength(outOfOrder)) / MS_PER_HOUR),
    total_parking_time: round4(parkingMs(input, sessionInterval, outOfOrder) / MS_PER_HOUR),
    last_updated: toOcpiDateTime(now),
  };
  if (session.meter_id !== undefined) cdr.meter_id = session.meter_id;
  if (input.authorization_id !== undefined) cdr.authorization_id = input.authorization_id;
  if (input.signed_data !== undefined) cdr.signed_data = input.signed_data;
  return cdr;
}

/** Time in periods that delivered no energy (parked, not charging), out-of-order time excluded. */
function parkingMs(input: SessionEnded, session: Interval, outOfOrder: Interval[]): number {
  const periods = input.session.charging_periods ?? [];
  const parked: Interval[] = [];
  periods.forEach((period, index) => {
    const charging = period.dimensions.some((dimension) => dimension.type === 'ENERGY' && dimension.volume > 0);
    if (charging) return;
    const next = periods[index + 1];
    parked.push({ start: Date.parse(period.start_date_time), end: next ? Date.parse(next.start_date_time) : session.end });
  });
  const parkedMs = totalLength(clipAndMerge(parked, session));
  const parkedWhileOutOfOrder = outOfOrder.reduce(
    (sum, broken) => sum + totalLength(clipAndMerge(parked, broken)),
    0,
  );
  return Math.max(0, parkedMs - parkedWhileOutOfOrder);
}
