/**
 * What pricing costs grows with the restriction boundaries a session crosses, not with
 * its length: a week is cut only where a restriction can switch, and the time zone data
 * is consulted per boundary and per day, never per hour. Counted, not timed.
 */
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { sliceForPricing } from '../../../src/cdr/pricing/price-slices';
import { component, element, NOW, pricedPeriod, sessionEnded, tariff } from './fixtures';

const WEEK_HOURS = 7 * 24;
const nightParking = tariff([element([component('PARKING_TIME', 1.2, 1)], { start_time: '22:00', end_time: '06:00' })]);

/** Parked for 7 days from `start` (UTC), under the night parking tariff, in Paris. */
const parkedWeek = (start: string) => {
  const stop = new Date(Date.parse(start) + WEEK_HOURS * 3_600_000).toISOString().replace('.000Z', 'Z');
  return sessionEnded({ start, stop, periods: [{ at: start, kwh: 0 }], tariffs: [nightParking] });
};

function timeZoneLookupsOf(work: () => void): number {
  const lookups = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
  try {
    work();
    return lookups.mock.calls.length;
  } finally {
    lookups.mockRestore();
  }
}

it('cuts a 7-day session only where the night tariff can switch: 22:00, midnight and 06:00 local', () => {
  // Monday 10:00 to Monday 10:00 in Paris: 7 x 3 cuts, so 22 slices.
  const periods = [pricedPeriod('2025-01-13T09:00:00Z', '2025-01-20T09:00:00Z', 'parking')];
  const slices = sliceForPricing(periods, { tariff: nightParking, sessionStart: periods[0]!.start, timeZone: 'Europe/Paris' });
  expect(slices).toHaveLength(22);
});

it('prices a 7-day session with a few time zone lookups per day, not one per hour', () => {
  let total = 0;
  const lookups = timeZoneLookupsOf(() => {
    total = buildCdr(parkedWeek('2025-01-13T09:00:00Z'), NOW).total_cost;
  });
  expect(total).toBe(67.2); // 7 nights x 8 h x 1.20
  expect(lookups).toBeLessThan(WEEK_HOURS / 2);
});

it('stays that cheap across a DST change (Paris, 26 October 2025)', () => {
  let total = 0;
  const lookups = timeZoneLookupsOf(() => {
    total = buildCdr(parkedWeek('2025-10-22T08:00:00Z'), NOW).total_cost;
  });
  expect(total).toBe(68.4); // 6 nights of 8 h and the 9 h night of the fall-back, x 1.20
  expect(lookups).toBeLessThan(WEEK_HOURS / 2);
});
