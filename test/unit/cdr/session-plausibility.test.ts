/**
 * Sessions no charger can have produced are refused with a named rule, at the edge and
 * again when the CDR is built (for input handed in before these rules, or built
 * directly), so no such CDR is priced, stored as valid or sent.
 */
import { CdrBuildError } from '../../../src/cdr/build/build-error';
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import type { SessionEndedInput } from '../../../src/cdr/session/session-ended';
import type { Connector } from '../../../src/ocpi/v211/location';
import { component, element, NOW, sessionEnded, sessionEndedInput, tariff } from './fixtures';
import { problemsOf } from './session-ended-problems';

const perKwh = tariff([element([component('ENERGY', 0.3)])]);
// Fixtures' connector: AC_3_PHASE 230 V 32 A = 22.08 kW; with 10 % tolerance 24.288 kWh per hour.
const oneHour = (kwh: number, overrides: Partial<SessionEndedInput> = {}) => ({
  ...sessionEndedInput({
    start: '2025-01-15T09:00:00Z',
    stop: '2025-01-15T10:00:00Z',
    periods: [{ at: '2025-01-15T09:00:00Z', kwh }],
    tariffs: [perKwh],
  }),
  ...overrides,
});

function withConnector(input: SessionEndedInput, connector: Partial<Connector>): SessionEndedInput {
  const copy = structuredClone(input);
  Object.assign(copy.session.location.evses[0].connectors[0], connector);
  return copy;
}

describe('dates', () => {
  it('refuses a session starting before 2010 (a missing timestamp read as 1970), naming the field', () => {
    const input = sessionEndedInput({ start: '1970-01-01T00:00:00Z', stop: '2025-01-15T10:00:00Z', tariffs: [perKwh] });
    expect(problemsOf(input)).toEqual([
      'session.start_datetime: must not be before 2010-01-01T00:00:00Z: no roaming session is that old (a missing timestamp?)',
      'session.end_datetime: the session lasts 482482 h, more than the 168 h (7 days) a CDR may cover: the backend must split or correct it',
    ]);
  });

  it('refuses a session longer than 7 days, and accepts one of exactly 7 days', () => {
    const week = (stop: string) =>
      sessionEndedInput({ start: '2025-01-01T00:00:00Z', stop, periods: [{ at: '2025-01-01T00:00:00Z', kwh: 0 }], tariffs: [perKwh] });
    expect(problemsOf(week('2025-01-08T00:00:01Z'))).toEqual([
      'session.end_datetime: the session lasts 168.0003 h, more than the 168 h (7 days) a CDR may cover: the backend must split or correct it',
    ]);
    expect(problemsOf(week('2025-01-08T00:00:00Z'))).toEqual([]);
  });

  it('refuses a session ending after now, beyond 5 minutes of clock skew', () => {
    const now = new Date('2025-01-15T10:00:00Z');
    expect(problemsOf(oneHour(10), new Date('2025-01-15T09:55:00Z'))).toEqual([]);
    expect(problemsOf(oneHour(10), new Date('2025-01-15T09:54:59Z'))).toEqual([
      'session.end_datetime: must not be after now (2025-01-15T09:54:59Z) + 5 min of clock skew: a CDR is for a session that has ended',
    ]);
    expect(problemsOf(oneHour(10), now)).toEqual([]);
  });

  it('refuses a session ending in 2099', () => {
    const input = sessionEndedInput({ start: '2099-01-01T09:00:00Z', stop: '2099-01-01T10:00:00Z', tariffs: [perKwh] });
    expect(problemsOf(input, new Date('2025-06-01T00:00:00Z'))).toEqual([
      'session.end_datetime: must not be after now (2025-06-01T00:00:00Z) + 5 min of clock skew: a CDR is for a session that has ended',
    ]);
  });
});

describe('energy against the connector', () => {
  it('accepts what a 22.08 kW connector can deliver in an hour, with 10 % tolerance', () => {
    expect(problemsOf(oneHour(24.29))).toEqual([]);
  });

  it('refuses 9e11 kWh on a 32 A connector, naming the session total and the period', () => {
    expect(problemsOf(oneHour(900_000_000_000))).toEqual([
      "session.kwh: 900000000000 kWh is more than the connector can deliver in the session's 1 h of charging (22.08 kW, +10 %: at most 24.298 kWh)",
      "session.charging_periods[0].dimensions: ENERGY 900000000000 kWh is more than the connector can deliver in the period's 1 h of charging (22.08 kW, +10 %: at most 24.298 kWh)",
    ]);
  });

  // Max power: voltage x amperage, x 3 phases for AC_3_PHASE (voltage line to neutral,
  // mod_locations.md); in one hour, +10 % and +0.01 kWh: AC_1_PHASE 7.36 kW -> 8.106 kWh,
  // AC_3_PHASE 22.08 kW -> 24.298 kWh, DC 62.5 kW -> 68.76 kWh.
  it.each([
    ['AC_1_PHASE', 230, 32, 8.1, 8.11],
    ['AC_3_PHASE', 230, 32, 24.29, 24.3],
    ['DC', 500, 125, 68.76, 68.77],
  ] as const)(
    'bounds the energy of one hour on %s %d V %d A: %d kWh pass, %d kWh do not',
    (power_type, voltage, amperage, most, tooMuch) => {
      const connector = { power_type, voltage, amperage };
      expect(problemsOf(withConnector(oneHour(most), connector))).toEqual([]);
      expect(problemsOf(withConnector(oneHour(tooMuch), connector))).toEqual([
        expect.stringMatching(new RegExp(`^session\\.kwh: ${tooMuch} kWh is more than the connector can deliver`)),
        expect.stringMatching(/^session\.charging_periods\[0\]\.dimensions: ENERGY/),
      ]);
    },
  );

  it('refuses energy metered while the EVSE was out of order the whole session', () => {
    const input = oneHour(14, { out_of_order: [{ start: '2025-01-15T09:00:00Z', end: '2025-01-15T10:00:00Z' }] });
    expect(problemsOf(input)).toEqual([
      'session.kwh: 14 kWh metered while the EVSE was out of order all the time it charged: no energy flows then',
      'session.charging_periods[0].dimensions: ENERGY 14 kWh metered while the EVSE was out of order all the time it charged: no energy flows then',
    ]);
  });

  it('bounds the energy of a period by its charging time outside out-of-order time', () => {
    // 50 min of the hour out of order: 10 min of charging hold at most 22.08 kW x 1/6 h x 1.1 + 0.01 = 4.058 kWh.
    const input = oneHour(5, { out_of_order: [{ start: '2025-01-15T09:10:00Z', end: '2025-01-15T10:00:00Z' }] });
    expect(problemsOf(input)).toEqual([
      expect.stringMatching(/^session\.kwh: 5 kWh is more than the connector can deliver in the session's 0\.1667 h of charging/),
      expect.stringMatching(
        /^session\.charging_periods\[0\]\.dimensions: ENERGY 5 kWh is more than the connector can deliver in the period's 0\.1667 h/,
      ),
    ]);
  });

  it('refuses energy in a period that the backend reports as not charging', () => {
    const input = sessionEndedInput({
      start: '2025-01-15T09:00:00Z',
      stop: '2025-01-15T10:00:00Z',
      periods: [
        { at: '2025-01-15T09:00:00Z', kwh: 5 },
        { at: '2025-01-15T09:30:00Z', kwh: 2 },
      ],
      tariffs: [perKwh],
    });
    input.session.charging_periods![1]!.dimensions.push({ type: 'PARKING_TIME', volume: 0.5 });
    expect(problemsOf(input)).toEqual([
      'session.charging_periods[1].dimensions: ENERGY 2 kWh in a period that did not charge (its TIME is 0, or PARKING_TIME covers it)',
    ]);
  });
});

describe('when the CDR is built', () => {
  // Input that passed an older edge (a workflow's history) or was never parsed.
  const implausible = (start: string, stop: string) => {
    const input = sessionEnded({ start: '2025-01-15T09:00:00Z', stop: '2025-01-15T10:00:00Z', tariffs: [perKwh] });
    input.session.start_datetime = start;
    input.session.end_datetime = stop;
    input.session.charging_periods![0]!.start_date_time = start;
    return input;
  };

  it('refuses a 30-day session with a CdrBuildError naming the rule', () => {
    expect(() => buildCdr(implausible('2025-01-01T00:00:00Z', '2025-01-31T00:00:00Z'), NOW)).toThrow(
      new CdrBuildError([
        'session.end_datetime: the session lasts 720 h, more than the 168 h (7 days) a CDR may cover: the backend must split or correct it',
      ]),
    );
  });

  it('refuses a session from year 0001 to 9999 at once, instead of pricing it hour by hour', () => {
    expect(() => buildCdr(implausible('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'), NOW)).toThrow(CdrBuildError);
  });

  it('refuses a session that ends after its `now`', () => {
    expect(() => buildCdr(implausible('2025-01-15T09:00:00Z', '2025-01-15T10:00:00Z'), new Date('2025-01-15T09:00:00Z'))).toThrow(
      'session.end_datetime: must not be after now (2025-01-15T09:00:00Z) + 5 min of clock skew',
    );
  });
});
