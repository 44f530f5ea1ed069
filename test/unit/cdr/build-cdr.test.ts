import { CdrBuildError } from '../../../src/cdr/build/build-error';
import { buildCdr, buildCdrWithPricing } from '../../../src/cdr/build/build-cdr';
import { cdrIdFor } from '../../../src/cdr/build/cdr-id';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { validateCdr } from '../../../src/cdr/validate/validate-cdr';
import { component, element, location, NOW, paris, PARTY, sessionEnded, sessionEndedInput, tariff } from './fixtures';

const at = (time: string) => paris(`2025-01-15 ${time}`);
const perKwhAndParking = tariff([element([component('ENERGY', 0.3), component('PARKING_TIME', 2, 60)])]);
const charged = { start: at('10:00'), stop: at('11:30'), periods: [{ at: at('10:00'), kwh: 12 }, { at: at('11:00') }] };

describe('identity and copied fields', () => {
  it('derives the id from the CPO and the session, so a rebuild gives the same CDR', () => {
    const input = sessionEnded({ ...charged, tariffs: [perKwhAndParking] });
    expect(buildCdr(input, NOW).id).toBe(cdrIdFor(PARTY, 'S-1'));
    expect(buildCdr(input, NOW)).toEqual(buildCdr(structuredClone(input), NOW));
  });

  it('writes last_updated from `now`', () => {
    expect(buildCdr(sessionEnded({ ...charged, tariffs: [perKwhAndParking] }), NOW).last_updated).toBe('2030-01-01T00:00:00Z');
  });

  it('echoes the authorization id from the session when SessionEnded does not repeat it', () => {
    const input = sessionEndedInput({ ...charged, tariffs: [perKwhAndParking] });
    input.session.authorization_id = 'AUTH-42';
    expect(buildCdr(parseSessionEnded(input), NOW).authorization_id).toBe('AUTH-42');
  });

  it('leaves out authorization_id, meter_id, signed_data and tariffs it was not given', () => {
    const cdr = buildCdr(sessionEnded({ ...charged, total_cost: 1 }), NOW);
    for (const key of ['authorization_id', 'meter_id', 'signed_data', 'tariffs', 'remark']) expect(cdr).not.toHaveProperty(key);
  });
});

describe('charging periods and time totals', () => {
  it('gives a period with energy a TIME volume and one without a PARKING_TIME volume', () => {
    const cdr = buildCdr(sessionEnded({ ...charged, tariffs: [perKwhAndParking] }), NOW);
    expect(cdr.charging_periods).toEqual([
      {
        start_date_time: at('10:00'),
        dimensions: [
          { type: 'ENERGY', volume: 12 },
          { type: 'TIME', volume: 1 },
        ],
      },
      {
        start_date_time: at('11:00'),
        dimensions: [
          { type: 'ENERGY', volume: 0 },
          { type: 'PARKING_TIME', volume: 0.5 },
        ],
      },
    ]);
    expect([cdr.total_energy, cdr.total_time, cdr.total_parking_time]).toEqual([12, 1.5, 0.5]);
  });

  it('makes one charging period of a session that reports none', () => {
    const input = sessionEndedInput({ ...charged, tariffs: [perKwhAndParking] });
    delete input.session.charging_periods;
    const cdr = buildCdr(parseSessionEnded(input), NOW);
    expect(cdr.charging_periods).toEqual([
      {
        start_date_time: at('10:00'),
        dimensions: [
          { type: 'ENERGY', volume: 12 },
          { type: 'TIME', volume: 1.5 },
        ],
      },
    ]);
  });

  it('keeps the session current dimensions, and a FLAT dimension only once', () => {
    const input = sessionEndedInput({ ...charged, tariffs: [perKwhAndParking], out_of_order: [{ start: at('10:20'), end: at('10:30') }] });
    input.session.charging_periods![0]!.dimensions.push({ type: 'MAX_CURRENT', volume: 32 }, { type: 'FLAT', volume: 1 });
    const [first, second] = buildCdr(parseSessionEnded(input), NOW).charging_periods;
    expect(first?.dimensions.map((d) => d.type)).toEqual(['ENERGY', 'TIME', 'MAX_CURRENT', 'FLAT']);
    expect(second?.dimensions.map((d) => d.type)).toEqual(['ENERGY', 'TIME', 'MAX_CURRENT']);
  });

  it('cuts out-of-order time into a period of its own, with no time billed and no energy', () => {
    const input = sessionEnded({ ...charged, tariffs: [perKwhAndParking], out_of_order: [{ start: at('10:30'), end: at('10:45') }] });
    const cdr = buildCdr(input, NOW);
    expect(cdr.charging_periods).toEqual([
      {
        start_date_time: at('10:00'),
        dimensions: [
          { type: 'ENERGY', volume: 8 },
          { type: 'TIME', volume: 0.5 },
        ],
      },
      {
        start_date_time: at('10:30'),
        dimensions: [
          { type: 'ENERGY', volume: 0 },
          { type: 'TIME', volume: 0 },
        ],
      },
      {
        start_date_time: at('10:45'),
        dimensions: [
          { type: 'ENERGY', volume: 4 },
          { type: 'TIME', volume: 0.25 },
        ],
      },
      {
        start_date_time: at('11:00'),
        dimensions: [
          { type: 'ENERGY', volume: 0 },
          { type: 'PARKING_TIME', volume: 0.5 },
        ],
      },
    ]);
    expect([cdr.total_time, cdr.total_parking_time]).toEqual([1.25, 0.5]);
  });

  it('excludes out-of-order time reaching past the session, and counts overlapping intervals once', () => {
    const outOfOrder = [
      { start: at('11:15'), end: at('12:00') },
      { start: at('11:20'), end: at('11:25') },
    ];
    const cdr = buildCdr(sessionEnded({ ...charged, tariffs: [perKwhAndParking], out_of_order: outOfOrder }), NOW);
    expect([cdr.total_time, cdr.total_parking_time]).toEqual([1.25, 0.25]);
  });

  it('makes period volumes add up to total_time exactly, however the hours round', () => {
    // Three periods of 20 s: 0.005555... h each, which no 4-decimal rounding can add up on its own.
    // (0.1 kWh in 20 s is 18 kW, within the connector's 22 kW.)
    const input = sessionEnded({
      start: '2025-01-15T09:00:00Z',
      stop: '2025-01-15T09:01:00Z',
      periods: [{ at: '2025-01-15T09:00:00Z', kwh: 0.1 }, { at: '2025-01-15T09:00:20Z' }, { at: '2025-01-15T09:00:40Z', kwh: 0.05 }],
      tariffs: [perKwhAndParking],
    });
    const cdr = buildCdr(input, NOW);
    const volumes = cdr.charging_periods.map((period) => period.dimensions[1]!.volume);
    expect(volumes).toEqual([0.0056, 0.0055, 0.0056]);
    expect(cdr.total_time).toBe(0.0167);
  });
});

describe('total_cost', () => {
  it('is computed from the tariff the connector names, and the CDR carries only that tariff', () => {
    const other = tariff([element([component('FLAT', 99)])], 'OTHER');
    const cdr = buildCdr(sessionEnded({ ...charged, tariffs: [other, perKwhAndParking] }), NOW);
    expect(cdr.total_cost).toBe(4.6); // 12 kWh x 0.30 + 0.5 h x 2.00
    expect(cdr.tariffs?.map((t) => t.id)).toEqual(['T1']);
  });

  it('uses the only tariff given when the connector names none', () => {
    const cdr = buildCdr(sessionEnded({ ...charged, location: location({}, null), tariffs: [perKwhAndParking] }), NOW);
    expect([cdr.total_cost, validateCdr(cdr).valid]).toEqual([4.6, true]);
  });

  it('writes ours when the backend total differs only by rounding', () => {
    expect(buildCdr(sessionEnded({ ...charged, tariffs: [perKwhAndParking], total_cost: 4.61 }), NOW).total_cost).toBe(4.6);
  });

  it('keeps the backend total when it differs beyond rounding, so validation refuses the CDR naming both', () => {
    const { cdr, pricing } = buildCdrWithPricing(sessionEnded({ ...charged, tariffs: [perKwhAndParking], total_cost: 5 }), NOW);
    expect(cdr.total_cost).toBe(5);
    expect(pricing.status === 'priced' && pricing.price.total).toBe(4.6);
    expect(validateCdr(cdr)).toEqual({
      valid: false,
      errors: [expect.stringMatching(/^total_cost: 5 EUR is not the price of charging_periods under tariff "T1" \(4\.6 EUR\)/)],
    });
  });

  it('takes the backend total when no tariff is given', () => {
    expect(buildCdr(sessionEnded({ ...charged, total_cost: 7.25 }), NOW).total_cost).toBe(7.25);
  });

  it('refuses to build without a tariff and without a backend total', () => {
    const input = { ...sessionEnded({ ...charged, total_cost: 1 }) };
    delete input.session.total_cost;
    expect(() => buildCdr(input, NOW)).toThrow(CdrBuildError);
    expect(() => buildCdr(input, NOW)).toThrow('session.total_cost: is required when no tariff is given');
  });

  it('carries every tariff when it cannot tell which applied, and validation says why', () => {
    const input = sessionEnded({
      ...charged,
      location: location({}, null),
      tariffs: [perKwhAndParking, tariff([element([component('FLAT', 1)])], 'T2')],
      total_cost: 4.6,
    });
    const cdr = buildCdr(input, NOW);
    expect(cdr.tariffs).toHaveLength(2);
    expect(validateCdr(cdr)).toEqual({
      valid: false,
      errors: ['location.evses[0].connectors[0].tariff_id: is required to tell which of the 2 tariffs priced the session'],
    });
  });
});
