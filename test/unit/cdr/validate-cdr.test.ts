/**
 * Every rule of validate-cdr, each with its exact message. The base is the maximal CDR of
 * the schema tests: 08:00-09:30 UTC, 1h15 charging 22.5 kWh, then 15 min parked, priced
 * 1.00 + 22.5 x 0.30 + 0.25 h x 2.40 = 8.35 EUR.
 */
import { validateCdr } from '../../../src/cdr/validate/validate-cdr';
import { loadMaximalCdr, withValue, type Json } from '../ocpi/helpers';

const cdr = loadMaximalCdr;
const errorsOf = (candidate: Json) => {
  const result = validateCdr(candidate);
  return result.valid ? [] : result.errors;
};
const PERIOD_1 = ['charging_periods', 1, 'start_date_time'] as const;

it('accepts the maximal CDR, whose totals and price add up', () => {
  expect(validateCdr(cdr())).toEqual({ valid: true, cdr: cdr() });
});

describe('shape (zod schemas), with the field path', () => {
  it.each([
    [['currency'], 'XYZ', 'currency: must be an active ISO 4217 currency code'],
    [['id'], 'A'.repeat(37), 'id: must be at most 36 characters'],
    [['id'], '', 'id: must not be empty'],
    [['auth_id'], 'A'.repeat(37), 'auth_id: must be at most 36 characters'],
    [['location', 'time_zone'], 'Europe/Atlantis', 'location.time_zone: must be an IANA time zone name like Europe/Paris'],
    [['remark'], '[*] free', 'remark: must not start with [*] or [?]: GIREVE reserves these prefixes'],
    [
      ['signed_data', 'signed_values', 0, 'signed_data'],
      '',
      'signed_data.signed_values[0].signed_data: must not be empty: signed data must be well formed',
    ],
    [['signed_data', 'encoding_method'], '', 'signed_data.encoding_method: must not be empty: signed data must be well formed'],
    [['total_cost'], 0.1 + 0.2, 'total_cost: must have at most 4 decimals'],
  ] as const)('refuses %j = %j', (path, value, message) => {
    expect(errorsOf(withValue(cdr(), [...path], value))).toEqual([message]);
  });
});

describe('time rules', () => {
  it('refuses a stop before the start', () => {
    expect(errorsOf(withValue(cdr(), ['stop_date_time'], '2024-03-12T08:00:00Z'))).toContain(
      'stop_date_time: must be after start_date_time',
    );
  });

  it('refuses periods that do not begin with the session', () => {
    expect(errorsOf(withValue(cdr(), ['charging_periods', 0, 'start_date_time'], '2024-03-12T08:05:00Z'))).toContain(
      'charging_periods[0].start_date_time: must equal start_date_time: the periods must cover the whole session',
    );
  });

  it('refuses a period before the session, or out of order', () => {
    expect(errorsOf(withValue(cdr(), [...PERIOD_1], '2024-03-12T07:00:00Z'))).toEqual(
      expect.arrayContaining([
        'charging_periods[1].start_date_time: is before start_date_time',
        "charging_periods[1].start_date_time: must be after the previous period's start",
      ]),
    );
  });

  it('refuses a period after the session, or starting as it stops', () => {
    expect(errorsOf(withValue(cdr(), [...PERIOD_1], '2024-03-12T10:00:00Z'))).toContain(
      'charging_periods[1].start_date_time: is after stop_date_time',
    );
    expect(errorsOf(withValue(cdr(), [...PERIOD_1], '2024-03-12T09:30:00Z'))).toContain(
      "charging_periods[1].start_date_time: must be before stop_date_time: a period can't start as the session stops",
    );
  });

  it('refuses a total_time longer than the session', () => {
    expect(errorsOf(withValue(cdr(), ['total_time'], 1.6))).toContain('total_time: must not exceed stop_date_time - start_date_time');
  });

  it('refuses a CDR longer than 7 days, and does not price it', () => {
    const long = withValue(withValue(cdr(), ['stop_date_time'], '2024-03-19T09:30:00Z'), ['last_updated'], '2024-03-20T00:00:00Z');
    const errors = errorsOf(long);
    expect(errors).toContain(
      'stop_date_time: the session lasts 169.5 h, more than the 168 h (7 days) a CDR may cover: the backend must split or correct it',
    );
    expect(errors.filter((error) => error.startsWith('total_cost'))).toEqual([]);
  });

  it('refuses a CDR starting before 2010', () => {
    const old = withValue(cdr(), ['start_date_time'], '2009-12-31T23:00:00Z');
    expect(errorsOf(old)).toContain(
      'start_date_time: must not be before 2010-01-01T00:00:00Z: no roaming session is that old (a missing timestamp?)',
    );
  });

  it('refuses a CDR that stops after it was written, beyond 5 minutes of clock skew', () => {
    expect(errorsOf(withValue(cdr(), ['last_updated'], '2024-03-12T09:25:00Z'))).toEqual([]);
    expect(errorsOf(withValue(cdr(), ['last_updated'], '2024-03-12T09:24:59Z'))).toEqual([
      'stop_date_time: must not be after last_updated (2024-03-12T09:24:59Z) + 5 min of clock skew: a CDR is for a session that has ended',
    ]);
  });

  it('refuses more parking than time', () => {
    expect(errorsOf(withValue(cdr(), ['total_parking_time'], 1.6))).toContain('total_parking_time: must not exceed total_time');
  });
});

describe('totals against periods', () => {
  it('refuses a total_energy the ENERGY volumes do not add up to', () => {
    expect(errorsOf(withValue(cdr(), ['total_energy'], 23))).toEqual([
      "total_energy: must equal the sum of the periods' ENERGY volumes (22.5 kWh), within 0.01 kWh",
    ]);
    expect(errorsOf(withValue(cdr(), ['total_energy'], 22.51))).toEqual([]);
  });

  it('refuses energy without ENERGY volumes in the periods', () => {
    const dimensions = [{ type: 'TIME', volume: 1.25 }];
    expect(errorsOf(withValue(cdr(), ['charging_periods', 0, 'dimensions'], dimensions))).toContain(
      'charging_periods: must report the ENERGY delivered in each period (total_energy is 22.5 kWh)',
    );
  });

  it('refuses a period without a time volume', () => {
    const dimensions = [{ type: 'MAX_CURRENT', volume: 16 }];
    expect(errorsOf(withValue(cdr(), ['charging_periods', 1, 'dimensions'], dimensions))).toContain(
      'charging_periods[1].dimensions: must hold a TIME or PARKING_TIME volume (0 for out-of-order time)',
    );
  });

  it('refuses a time volume longer than the period', () => {
    expect(errorsOf(withValue(cdr(), ['charging_periods', 1, 'dimensions', 0, 'volume'], 0.5))).toContain(
      "charging_periods[1].dimensions: TIME and PARKING_TIME must not exceed the period's duration (0.25 h)",
    );
  });

  it('refuses totals the time volumes do not add up to', () => {
    const errors = errorsOf(withValue(cdr(), ['charging_periods', 0, 'dimensions', 2, 'volume'], 1));
    expect(errors).toEqual(["total_time: must equal the sum of the periods' TIME and PARKING_TIME volumes (1.25 h)"]);
    expect(errorsOf(withValue(cdr(), ['total_parking_time'], 0.3))).toEqual([
      "total_parking_time: must equal the sum of the periods' PARKING_TIME volumes (0.25 h)",
    ]);
  });
});

describe('GIREVE identity', () => {
  it('requires an evse_id', () => {
    expect(errorsOf(withValue(cdr(), ['location', 'evses', 0, 'evse_id'], undefined))).toEqual([
      'location.evses[0].evse_id: is required by GIREVE: the eMI3 EVSE id, like FR*AB1*E0001',
    ]);
  });

  it.each(['FRAB1E0001A', 'FR*AB1*0001', 'F*AB1*E1'])('refuses the non-eMI3 evse_id %j', (evseId) => {
    expect(errorsOf(withValue(cdr(), ['location', 'evses', 0, 'evse_id'], evseId))).toEqual([
      'location.evses[0].evse_id: must be an eMI3 EVSE id starting with the operator id CC*PPP*E, like FR*AB1*E0001',
    ]);
  });
});

describe('price', () => {
  it('prices a period holding both TIME and PARKING_TIME with the TIME part first, as the builder would write it', () => {
    const [charging, parked] = cdr().charging_periods as Array<{ start_date_time: string; dimensions: Json[] }>;
    const merged = { start_date_time: charging!.start_date_time, dimensions: [...charging!.dimensions, ...parked!.dimensions] };
    // 08:00-09:30 in one period: 1.25 h charging then 0.25 h parked, still 8.35 EUR.
    expect(errorsOf(withValue(cdr(), ['charging_periods'], [merged]))).toEqual([]);
  });

  it('refuses a tariff in another currency', () => {
    expect(errorsOf(withValue(cdr(), ['tariffs', 0, 'currency'], 'CHF'))).toEqual(['tariffs[0].currency: must equal the CDR currency EUR']);
  });

  it('refuses a total_cost that is not the tariff price, beyond 0.01', () => {
    expect(errorsOf(withValue(cdr(), ['total_cost'], 8.36))).toEqual([]);
    expect(errorsOf(withValue(cdr(), ['total_cost'], 8.5))).toEqual([
      'total_cost: 8.5 EUR is not the price of charging_periods under tariff "TARIFF-AC-22" (8.35 EUR); ' +
        "a difference beyond 0.01 is not rounding: fix the tariff or the backend's session.total_cost",
    ]);
  });

  it('refuses a connector tariff_id that names none of the tariffs', () => {
    expect(errorsOf(withValue(cdr(), ['location', 'evses', 0, 'connectors', 0, 'tariff_id'], 'DC-FAST'))).toEqual([
      'location.evses[0].connectors[0].tariff_id: names tariff "DC-FAST", which is not among the tariffs given ("TARIFF-AC-22")',
    ]);
  });

  it('needs the location time zone to read time-of-day restrictions', () => {
    expect(errorsOf(withValue(cdr(), ['location', 'time_zone'], undefined))).toEqual([
      'location.time_zone: is required to read tariffs[0].elements[1].restrictions in local time',
    ]);
  });

  it('does not check the price of a CDR without tariffs (the backend total is all there is)', () => {
    expect(errorsOf(withValue(withValue(cdr(), ['tariffs'], undefined), ['total_cost'], 99))).toEqual([]);
  });
});
