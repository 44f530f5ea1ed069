/**
 * OCPI's string and DateTime rules at the edge (types.md): what goes into the CDR is
 * printable, ids are printable ASCII, a DateTime without designator is UTC, and a number
 * too large for exact arithmetic is named like any other bad field.
 */
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { component, element, NOW, paris, sessionEndedInput, tariff } from './fixtures';
import { problemsOf } from './session-ended-problems';

const at = (time: string) => paris(`2025-01-15 ${time}`);
const valid = () => sessionEndedInput({ start: at('10:00'), stop: at('11:00'), tariffs: [tariff([element([component('ENERGY', 0.3)])])] });

describe('strings', () => {
  it.each([
    ['a line feed', 'C0\nFFEE'],
    ['a NUL', 'C0\u0000FFEE'],
    ['a DEL', 'C0\u007fFFEE'],
    ['an accent', 'CAFÉ-0001'],
  ])('rejects %s in auth_id, naming the field', (_what, authId) => {
    const input = valid();
    input.session.auth_id = authId;
    expect(problemsOf(input)).toEqual(['session.auth_id: must contain only printable ASCII characters (0x20-0x7E)']);
  });

  it('rejects a control character or non-ASCII in meter_id', () => {
    const input = valid();
    input.session.meter_id = 'MTR\t0042';
    expect(problemsOf(input)).toEqual(['session.meter_id: must contain only printable ASCII characters (0x20-0x7E)']);
    input.session.meter_id = 'Zähler-0042';
    expect(problemsOf(input)).toEqual(['session.meter_id: must contain only printable ASCII characters (0x20-0x7E)']);
  });

  it('rejects non-ASCII in the ids the CDR carries', () => {
    const input = valid();
    input.session.id = 'séance-1';
    input.session.location.id = 'LOC-é';
    input.session.location.evses[0].connectors[0].tariff_id = 'tarif-été';
    expect(problemsOf(input)).toEqual([
      'session.id: must contain only printable ASCII characters (0x20-0x7E)',
      'session.location.id: must contain only printable ASCII characters (0x20-0x7E)',
      'session.location.evses[0].connectors[0].tariff_id: must contain only printable ASCII characters (0x20-0x7E)',
    ]);
  });

  it('rejects a control character in any text that goes into the CDR, but keeps accents there', () => {
    const input = valid();
    input.session.location.name = 'Hôtel de Ville\r\nentrée B';
    expect(problemsOf(input)).toEqual(['session.location.name: must not contain control characters (OCPI strings are printable)']);
    input.session.location.name = 'Hôtel de Ville, entrée B';
    expect(problemsOf(input)).toEqual([]);
  });
});

describe('authorization_id', () => {
  it('omits an empty authorization_id from the CDR instead of sending ""', () => {
    const input = { ...valid(), authorization_id: '' };
    input.session.authorization_id = '';
    expect(buildCdr(parseSessionEnded(input), NOW)).not.toHaveProperty('authorization_id');
  });

  it("takes the session's authorization_id when SessionEnded's is empty", () => {
    const input = { ...valid(), authorization_id: '' };
    input.session.authorization_id = 'AUTH-7';
    expect(problemsOf(input)).toEqual([]);
    expect(buildCdr(parseSessionEnded(input), NOW).authorization_id).toBe('AUTH-7');
  });
});

describe('DateTime', () => {
  it('accepts a DateTime without designator as UTC (OCPI 2.1.1) and writes the Z form in the CDR', () => {
    const input = valid();
    input.session.start_datetime = '2025-01-15T09:00:00';
    input.session.end_datetime = '2025-01-15T10:00:00.5';
    input.session.charging_periods![0]!.start_date_time = '2025-01-15T09:00:00';
    input.session.location.last_updated = '2025-01-01T00:00:00';
    const cdr = buildCdr(parseSessionEnded(input), NOW);
    expect(cdr.start_date_time).toBe('2025-01-15T09:00:00Z');
    expect(cdr.stop_date_time).toBe('2025-01-15T10:00:00.5Z');
    expect(cdr.charging_periods[0]!.start_date_time).toBe('2025-01-15T09:00:00Z');
    expect(cdr.location.last_updated).toBe('2025-01-01T00:00:00Z');
    expect(cdr.total_time).toBe(1.0001);
  });

  it('still rejects an offset, which OCPI says is not UTC', () => {
    const input = valid();
    input.session.start_datetime = '2025-01-15T09:00:00+00:00';
    expect(problemsOf(input)).toEqual([expect.stringMatching(/^session\.start_datetime: must be an OCPI DateTime in UTC/)]);
  });
});

describe('numbers', () => {
  it('names the field of a number too large for exact arithmetic', () => {
    const input = valid();
    input.session.kwh = 1e20;
    input.tariffs![0]!.elements[0]!.price_components[0]!.price = 1e16;
    expect(problemsOf(input)).toEqual([
      'session.kwh: must be at most 900000000000 (exact 4-decimal arithmetic)',
      'tariffs[0].elements[0].price_components[0].price: must be at most 900000000000 (exact 4-decimal arithmetic)',
    ]);
  });
});
