/**
 * fast-check generators for the property tests: well-formed ended sessions with random
 * periods, out-of-order intervals and tariffs (any element order, any restriction), in
 * time zones with and without DST (Lord Howe shifts by 30 minutes). Each period's energy
 * is what the fixtures' 22.08 kW connector could deliver in its working time, so every
 * session is one a charger could have produced.
 */
import fc from 'fast-check';
import { clipAndMerge, totalLength } from '../../../src/cdr/intervals';
import { type SessionEnded } from '../../../src/cdr/session/session-ended';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { dayOfWeekSchema, tariffDimensionTypeSchema } from '../../../src/ocpi/enums';
import { toOcpiDateTime } from '../../../src/ocpi/primitives';
import { tariffRestrictionsSchema, type Tariff, type TariffElement, type TariffRestrictions } from '../../../src/ocpi/v211/tariff';
import { location, NOW, PARTY } from './fixtures';

const FROM = Date.parse('2024-01-01T00:00:00Z');
const YEARS_3_IN_S = 3 * 365 * 24 * 3600;

const decimal4 = (max: number) => fc.integer({ min: 0, max: max * 10_000 }).map((units) => units / 10_000);
const timeOfDay = fc
  .integer({ min: 0, max: 1439 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const localDate = fc.integer({ min: 0, max: 3 * 365 }).map((days) => new Date(FROM + days * 86_400_000).toISOString().slice(0, 10));

const everyRestriction: fc.Arbitrary<Required<TariffRestrictions>> = fc.record({
  start_time: timeOfDay,
  end_time: timeOfDay,
  start_date: localDate,
  end_date: localDate,
  min_kwh: decimal4(60),
  max_kwh: decimal4(60),
  min_power: decimal4(50),
  max_power: decimal4(50),
  min_duration: fc.integer({ min: 0, max: 6 * 3600 }),
  max_duration: fc.integer({ min: 0, max: 6 * 3600 }),
  day_of_week: fc.subarray([...dayOfWeekSchema.options]),
});
const RESTRICTION_KEYS = Object.keys(tariffRestrictionsSchema.shape) as Array<keyof TariffRestrictions>;

/** One or two restrictions per element: more would rarely match and leave most sessions free. */
export const restrictionsArb: fc.Arbitrary<TariffRestrictions> = fc
  .tuple(everyRestriction, fc.subarray(RESTRICTION_KEYS, { minLength: 1, maxLength: 2 }))
  .map(([all, keys]) => Object.fromEntries(keys.map((key) => [key, all[key]])));

const componentArb = fc.record({
  type: fc.constantFrom(...tariffDimensionTypeSchema.options),
  price: decimal4(5),
  step_size: fc.constantFrom(0, 1, 60, 100, 300, 500, 900, 1800),
});

const elementArb: fc.Arbitrary<TariffElement> = fc
  .tuple(fc.array(componentArb, { minLength: 1, maxLength: 3 }), fc.option(restrictionsArb, { nil: undefined }))
  .map(([price_components, restrictions]) => (restrictions ? { price_components, restrictions } : { price_components }));

export const tariffArb: fc.Arbitrary<Tariff> = fc
  .array(elementArb, { minLength: 1, maxLength: 4 })
  .map((elements) => ({ id: 'T1', currency: 'EUR', elements, last_updated: '2024-01-01T00:00:00Z' }));

export const timeZoneArb = fc.constantFrom('Europe/Paris', 'UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata');

interface SessionShape {
  startS: number;
  /** powerPermille: the period's share of the connector's 22.08 kW while the EVSE works (0: parked). */
  periods: Array<{ seconds: number; powerPermille: number }>;
  outOfOrder: Array<{ from: number; length: number }>;
  tariff: Tariff | undefined;
  timeZone: string;
}

const shapeArb: fc.Arbitrary<SessionShape> = fc.record({
  startS: fc.integer({ min: 0, max: YEARS_3_IN_S }),
  periods: fc.array(
    fc.record({
      seconds: fc.integer({ min: 1, max: 4 * 3600 }),
      // Half the periods park (no energy).
      powerPermille: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  outOfOrder: fc.array(fc.record({ from: fc.integer({ min: -3600, max: 20 * 3600 }), length: fc.integer({ min: 0, max: 3 * 3600 }) }), {
    maxLength: 3,
  }),
  tariff: fc.option(tariffArb, { nil: undefined }),
  timeZone: timeZoneArb,
});

/** A parsed SessionEnded; without a tariff the backend's total is given instead. */
export const sessionEndedArb: fc.Arbitrary<SessionEnded> = fc
  .tuple(shapeArb, decimal4(100))
  .map(([shape, backendTotal]) => sessionFrom(shape, backendTotal));

const CONNECTOR_WATTS = 22_080; // the fixtures' AC_3_PHASE 230 V 32 A
const WATT_MS_PER_KWH_UNIT = 360_000; // 1e-4 kWh

function sessionFrom(shape: SessionShape, backendTotal: number): SessionEnded {
  const start = FROM + shape.startS * 1000;
  const stop = start + shape.periods.reduce((sum, period) => sum + period.seconds * 1000, 0);
  const at = (ms: number) => toOcpiDateTime(new Date(ms));
  const outOfOrder = shape.outOfOrder.map(({ from, length }) => ({ start: start + from * 1000, end: start + (from + length) * 1000 }));
  const broken = clipAndMerge(outOfOrder, { start, end: stop });
  let cursor = start;
  const energies: number[] = [];
  const periods = shape.periods.map((period) => {
    const span = { start: cursor, end: cursor + period.seconds * 1000 };
    cursor = span.end;
    const workingMs = span.end - span.start - totalLength(clipAndMerge(broken, span));
    const kwhUnits = Math.floor((CONNECTOR_WATTS * workingMs * period.powerPermille) / 1000 / WATT_MS_PER_KWH_UNIT);
    energies.push(kwhUnits);
    return { start_date_time: at(span.start), dimensions: [{ type: 'ENERGY' as const, volume: kwhUnits / 10_000 }] };
  });
  const kwhUnits = energies.reduce((sum, units) => sum + units, 0);
  return parseSessionEnded(
    {
      party: PARTY,
      session: {
        id: 'PROP-1',
        start_datetime: at(start),
        end_datetime: at(stop),
        kwh: kwhUnits / 10_000,
        auth_id: 'AUTH',
        auth_method: 'WHITELIST',
        location: location({ time_zone: shape.timeZone }),
        currency: 'EUR',
        charging_periods: periods,
        ...(shape.tariff ? {} : { total_cost: backendTotal }),
        status: 'COMPLETED',
        last_updated: at(stop),
      },
      tariffs: shape.tariff ? [shape.tariff] : [],
      out_of_order: outOfOrder.map((interval) => ({ start: at(interval.start), end: at(interval.end) })),
    },
    NOW,
  );
}
