import { priceSession } from '../../../src/cdr/pricing/price-session';
import type { PricedPeriod } from '../../../src/cdr/pricing/priced-period';
import type { Tariff } from '../../../src/ocpi/v211/tariff';
import { component, element, paris, pricedPeriod, tariff } from './fixtures';

function price(t: Tariff, periods: PricedPeriod[]) {
  return priceSession(periods, { tariff: t, sessionStart: periods[0]!.start, timeZone: 'Europe/Paris' });
}
const total = (t: Tariff, periods: PricedPeriod[]) => price(t, periods).total;
// Wednesday 15 January 2025, Paris winter time.
const at = (time: string) => paris(`2025-01-15 ${time}`);
const charging = (from: string, to: string, kwh = 1) => pricedPeriod(at(from), at(to), 'charging', kwh);
const parking = (from: string, to: string) => pricedPeriod(at(from), at(to), 'parking');

describe('step_size, as the OCPI 2.2.1 examples of tariff 22 work it out', () => {
  // Charging 1.20/h (step 30 min) before 17:00, 2.40/h (step 15 min) after; parking 1.00/h (step 15 min) until 20:00.
  const tariff22 = tariff([
    element([component('TIME', 1.2, 1800), component('PARKING_TIME', 1, 900)], { start_time: '00:00', end_time: '17:00' }),
    element([component('TIME', 2.4, 900), component('PARKING_TIME', 1, 900)], { start_time: '17:00', end_time: '20:00' }),
    element([component('TIME', 2.4, 900)], { start_time: '20:00', end_time: '00:00' }),
  ]);

  it('rounds only the last time-based dimension: 5+5 min charging exact, 2 min parking billed as 15 (0.55)', () => {
    expect(total(tariff22, [charging('16:55', '17:05'), parking('17:05', '17:07')])).toBe(0.55);
  });

  it('rounds a dimension over the whole session with the step of its last element: 35 min billed as 45 (1.30)', () => {
    const result = price(tariff22, [charging('16:35', '17:10')]);
    expect(result.total).toBe(1.3);
    expect(result.lines).toEqual([
      { type: 'TIME', element: 0, price: 1.2, quantity: 0.4167, rounded_up: 0, cost: 0.5 },
      { type: 'TIME', element: 1, price: 2.4, quantity: 0.3333, rounded_up: 0.1667, cost: 0.8 },
    ]);
  });

  it('bills the round-up at the last priced period when parking turns free: 8 min billed as 15 (0.73)', () => {
    expect(total(tariff22, [charging('19:40', '19:52'), parking('19:52', '20:12')])).toBe(0.73);
  });

  it('rounds the session energy once, at the last energy price: 4.3 + 1.1 kWh billed as 4.3 + 1.2 (1.184)', () => {
    const energy = tariff([
      element([component('ENERGY', 0.2, 500)], { start_time: '00:00', end_time: '17:00' }),
      element([component('ENERGY', 0.27, 500)], { start_time: '17:00', end_time: '00:00' }),
    ]);
    expect(total(energy, [charging('16:00', '17:00', 4.3), charging('17:00', '17:15', 1.1)])).toBe(1.184);
  });

  it('treats step_size 0 (the spec free-of-charge example) as no rounding', () => {
    expect(total(tariff([element([component('TIME', 6, 0)])]), [charging('10:00', '10:01')])).toBe(0.1);
  });
});

describe('the complex tariff example of mod_tariffs.md (2.1.1)', () => {
  const weekdays = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const;
  const complex = tariff([
    element([component('FLAT', 2.5, 1)]),
    element([component('TIME', 1, 900)], { max_power: 32 }),
    element([component('TIME', 2, 600)], { min_power: 32, day_of_week: [...weekdays] }),
    element([component('TIME', 1.25, 600)], { min_power: 32, day_of_week: ['SATURDAY', 'SUNDAY'] }),
    element([component('PARKING_TIME', 5, 300)], { start_time: '09:00', end_time: '18:00', day_of_week: [...weekdays] }),
    element([component('PARKING_TIME', 6, 300)], { start_time: '10:00', end_time: '17:00', day_of_week: ['SATURDAY'] }),
  ]);

  it('prices Monday 09:30, 165 min at 3.7 kW then 42 min parked, at 9.00', () => {
    const monday = (time: string) => paris(`2025-01-13 ${time}`);
    const periods = [
      pricedPeriod(monday('09:30'), monday('12:15'), 'charging', 10.175),
      pricedPeriod(monday('12:15'), monday('12:57'), 'parking'),
    ];
    expect(total(complex, periods)).toBe(9);
  });

  it('prices Saturday 13:30, 114 min at 40 kW then 71 min parked, at 12.375 (the spec prints 12.28: 114 min x 1.25/h is 2.375)', () => {
    const saturday = (time: string) => paris(`2025-01-18 ${time}`);
    const periods = [
      pricedPeriod(saturday('13:30'), saturday('15:24'), 'charging', 76),
      pricedPeriod(saturday('15:24'), saturday('16:35'), 'parking'),
    ];
    expect(price(complex, periods).lines).toEqual([
      { type: 'TIME', element: 3, price: 1.25, quantity: 1.9, rounded_up: 0, cost: 2.375 },
      { type: 'PARKING_TIME', element: 5, price: 6, quantity: 1.25, rounded_up: 0.0667, cost: 7.5 },
      { type: 'FLAT', element: 0, price: 2.5, quantity: 1, rounded_up: 0, cost: 2.5 },
    ]);
    expect(total(complex, periods)).toBe(12.375);
  });
});

describe('element order', () => {
  it('lets the first matching element with the dimension price it', () => {
    const t = tariff([element([component('ENERGY', 0.5)]), element([component('ENERGY', 0.1)])]);
    expect(total(t, [charging('10:00', '11:00', 10)])).toBe(5);
  });

  it('looks past a matching element that lacks the dimension', () => {
    const t = tariff([element([component('FLAT', 1)]), element([component('ENERGY', 0.25)])]);
    expect(total(t, [charging('10:00', '11:00', 10)])).toBe(3.5);
  });

  it('leaves a dimension free when no element prices it', () => {
    const t = tariff([element([component('PARKING_TIME', 3)], { start_time: '20:00', end_time: '08:00' })]);
    expect(total(t, [charging('10:00', '11:00', 10), parking('11:00', '12:00')])).toBe(0);
  });
});

describe('what is billed', () => {
  it('never bills out-of-order periods', () => {
    const t = tariff([element([component('TIME', 6), component('PARKING_TIME', 6), component('ENERGY', 1)])]);
    const broken = pricedPeriod(at('10:30'), at('11:00'), 'out_of_order', 5);
    expect(total(t, [charging('10:00', '10:30', 5), broken, parking('11:00', '11:30')])).toBe(11);
  });

  it('charges FLAT once per session, however many periods', () => {
    const t = tariff([element([component('FLAT', 1.5)])]);
    expect(total(t, [charging('10:00', '10:20'), parking('10:20', '10:30'), charging('10:30', '11:00')])).toBe(1.5);
  });

  it('charges a FLAT restricted to long sessions only once the session has lasted that long', () => {
    const t = tariff([element([component('FLAT', 10)], { min_duration: 3 * 3600 })]);
    expect(total(t, [charging('10:00', '12:59')])).toBe(0);
    expect(total(t, [charging('10:00', '13:01')])).toBe(10);
  });

  it('sums money exactly: 3 x 0.1 kWh at 0.1 is 0.03, not 0.030000000000000002', () => {
    const t = tariff([element([component('ENERGY', 0.1, 0)])]);
    expect(total(t, [charging('10:00', '10:10', 0.1), charging('10:10', '10:20', 0.1), charging('10:20', '10:30', 0.1)])).toBe(0.03);
  });

  it('rounds the total half up to 4 decimals', () => {
    // 1 s at 0.18/h = 0.00005 exactly.
    const t = tariff([element([component('TIME', 0.18, 0)])]);
    expect(total(t, [pricedPeriod('2025-01-15T10:00:00Z', '2025-01-15T10:00:01Z', 'charging', 0.001)])).toBe(0.0001);
  });
});

describe('elements that change during a period', () => {
  const night = tariff([
    element([component('ENERGY', 0.2)], { start_time: '22:00', end_time: '06:00' }),
    element([component('ENERGY', 0.4)]),
  ]);

  it('splits a period at a time-of-day boundary, energy in proportion to time', () => {
    // 21:30-23:30 with 14 kWh: 3.5 kWh before 22:00 at 0.40, 10.5 kWh after at 0.20.
    expect(total(night, [charging('21:30', '23:30', 14)])).toBe(3.5);
  });

  it('follows a night window past midnight into the next morning', () => {
    const periods = [pricedPeriod(at('23:00'), paris('2025-01-16 07:00'), 'charging', 16)];
    // 7 h of 8 at night: 14 kWh x 0.20 + 2 kWh x 0.40.
    expect(total(night, periods)).toBe(3.6);
  });

  it('splits a period where the session energy reaches max_kwh', () => {
    // 4 kWh, then 6 kWh more at 0.40 until 10 kWh, then 10 kWh at 0.30: 1.6 + 2.4 + 3.0.
    const tiers = tariff([element([component('ENERGY', 0.4)], { max_kwh: 10 }), element([component('ENERGY', 0.3)])]);
    expect(total(tiers, [charging('10:00', '10:30', 4), charging('10:30', '11:30', 16)])).toBe(7);
  });

  it('starts an idle fee at min_duration, in the middle of a parking period', () => {
    const idle = tariff([element([component('PARKING_TIME', 12, 60)], { min_duration: 7200 })]);
    expect(total(idle, [charging('10:00', '11:00', 20), parking('11:00', '12:30')])).toBe(6);
  });

  it('reads time of day in the location time zone across the October DST change', () => {
    // Sunday 26 October 2025: 03:00 CEST becomes 02:00 CET at 01:00Z. 22:00Z to 07:00Z is
    // 00:00 CEST to 08:00 CET: 7 real hours before 06:00 CET (05:00Z), then 2 hours.
    const dayNight = tariff([element([component('TIME', 1)], { start_time: '22:00', end_time: '06:00' }), element([component('TIME', 3)])]);
    const periods = [pricedPeriod('2025-10-25T22:00:00Z', '2025-10-26T07:00:00Z', 'charging', 30)];
    expect(total(dayNight, periods)).toBe(13);
  });
});
