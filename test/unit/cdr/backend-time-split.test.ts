/**
 * A session period in which the car charged, then sat idle: the backend reports both
 * TIME and PARKING_TIME for it. Each part is billed by its own price components, the
 * TIME part first (a CPO's period ends when something changes; charging stops, then the
 * car waits), the parking part after it.
 */
import { buildCdr, buildCdrWithPricing } from '../../../src/cdr/build/build-cdr';
import { type SessionEndedInput } from '../../../src/cdr/session/session-ended';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { validateCdr } from '../../../src/cdr/validate/validate-cdr';
import type { CdrDimension } from '../../../src/ocpi/v211/charging-period';
import { component, element, NOW, paris, sessionEndedInput, tariff } from './fixtures';
import { problemsOf } from './session-ended-problems';

const at = (time: string) => paris(`2025-01-15 ${time}`);
// The idle-fee tariff of test/vectors/ac-paid-energy-and-idle-fee.
const idleFee = tariff([
  element([component('FLAT', 0.5)]),
  element([component('ENERGY', 0.35, 1)]),
  element([component('PARKING_TIME', 6, 300)]),
]);

/** One period from 08:00 to `stop` (local), with the backend's dimensions. */
function onePeriod(dimensions: CdrDimension[], stop = '09:00', tariffs = [idleFee]): SessionEndedInput {
  const input = sessionEndedInput({ start: at('08:00'), stop: at(stop), periods: [{ at: at('08:00'), kwh: 10 }], tariffs });
  input.session.charging_periods![0]!.dimensions = dimensions;
  return input;
}

const build = (input: SessionEndedInput) => buildCdr(parseSessionEnded(input), NOW);

it("bills the backend's TIME / PARKING_TIME split of one period, each by its own component", () => {
  const input = onePeriod([
    { type: 'ENERGY', volume: 10 },
    { type: 'TIME', volume: 0.75 },
    { type: 'PARKING_TIME', volume: 0.25 },
  ]);
  const cdr = build(input);
  // 0.50 flat + 10 kWh x 0.35 + 0.25 h parked x 6.00 (not 4.00: the quarter hour idle is billed)
  expect(cdr.total_cost).toBe(5.5);
  expect(cdr.charging_periods).toEqual([
    {
      start_date_time: at('08:00'),
      dimensions: [
        { type: 'ENERGY', volume: 10 },
        { type: 'TIME', volume: 0.75 },
      ],
    },
    {
      start_date_time: at('08:45'),
      dimensions: [
        { type: 'ENERGY', volume: 0 },
        { type: 'PARKING_TIME', volume: 0.25 },
      ],
    },
  ]);
  expect([cdr.total_time, cdr.total_parking_time]).toEqual([1, 0.25]);
  expect(validateCdr(cdr).valid).toBe(true);
});

it('places the TIME part first: an idle fee from 08:45 local applies to the parking tail', () => {
  const lateIdleFee = tariff([element([component('PARKING_TIME', 6, 1)], { start_time: '08:45' })]);
  const input = onePeriod(
    [
      { type: 'ENERGY', volume: 10 },
      { type: 'TIME', volume: 0.75 },
      { type: 'PARKING_TIME', volume: 0.25 },
    ],
    '09:00',
    [lateIdleFee],
  );
  expect(build(input).total_cost).toBe(1.5);
});

it('takes the rest of a period as parking when the backend reports only its TIME', () => {
  const cdr = build(
    onePeriod([
      { type: 'ENERGY', volume: 10 },
      { type: 'TIME', volume: 0.75 },
    ]),
  );
  expect([cdr.total_cost, cdr.total_parking_time]).toEqual([5.5, 0.25]);
});

it('takes the end of a period as parking when the backend reports only its PARKING_TIME', () => {
  const cdr = build(
    onePeriod([
      { type: 'ENERGY', volume: 10 },
      { type: 'PARKING_TIME', volume: 0.25 },
    ]),
  );
  expect([cdr.total_cost, cdr.total_parking_time]).toEqual([5.5, 0.25]);
  expect(cdr.charging_periods.map((period) => period.start_date_time)).toEqual([at('08:00'), at('08:45')]);
});

it('reads a TIME within 4-decimal rounding of the period as the whole period, not as a sliver of parking', () => {
  // 1 h 40 min = 1.66666... h; 1.6666 is its rounding, not 0.2 s of parking billed per 5 min.
  const cdr = build(
    onePeriod(
      [
        { type: 'ENERGY', volume: 10 },
        { type: 'TIME', volume: 1.6666 },
      ],
      '09:40',
    ),
  );
  expect(cdr.charging_periods).toHaveLength(1);
  expect([cdr.total_time, cdr.total_parking_time, cdr.total_cost]).toEqual([1.6667, 0, 4]);
});

it('puts the energy in the charging part only, around out-of-order time', () => {
  const input = onePeriod([
    { type: 'ENERGY', volume: 10 },
    { type: 'TIME', volume: 0.75 },
  ]);
  input.out_of_order = [{ start: at('08:15'), end: at('08:30') }];
  const { cdr, pricing } = buildCdrWithPricing(parseSessionEnded(input), NOW);
  expect(cdr.charging_periods).toEqual([
    {
      start_date_time: at('08:00'),
      dimensions: [
        { type: 'ENERGY', volume: 5 },
        { type: 'TIME', volume: 0.25 },
      ],
    },
    {
      start_date_time: at('08:15'),
      dimensions: [
        { type: 'ENERGY', volume: 0 },
        { type: 'TIME', volume: 0 },
      ],
    },
    {
      start_date_time: at('08:30'),
      dimensions: [
        { type: 'ENERGY', volume: 5 },
        { type: 'TIME', volume: 0.25 },
      ],
    },
    {
      start_date_time: at('08:45'),
      dimensions: [
        { type: 'ENERGY', volume: 0 },
        { type: 'PARKING_TIME', volume: 0.25 },
      ],
    },
  ]);
  expect(pricing.status === 'priced' && pricing.price.total).toBe(5.5);
});

it("refuses TIME and PARKING_TIME that add up to more than the period's length, naming the period", () => {
  const input = onePeriod([
    { type: 'ENERGY', volume: 10 },
    { type: 'TIME', volume: 0.75 },
    { type: 'PARKING_TIME', volume: 0.5 },
  ]);
  expect(problemsOf(input)).toEqual([
    "session.charging_periods[0].dimensions: TIME and PARKING_TIME add up to 1.25 h, more than the period's 1 h",
  ]);
});
