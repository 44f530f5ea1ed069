/**
 * A key cdrflow does not know is refused, never dropped: a misspelled restriction would
 * otherwise make its tariff element apply always, and a misspelled `out_of_order` would
 * bill the out-of-order time.
 */
import { formatPath } from '../../../src/cdr/input-problem';
import { loadMaximalCdr, type Json } from '../ocpi/helpers';
import { problemsOf } from './session-ended-problems';

type PathKey = string | number;

/** Every field the input can hold, filled: the Location, Tariff and SignedData of the maximal CDR fixture, and the 2.2.1 token. */
function maximalSessionEnded(): Json {
  const cdr = loadMaximalCdr();
  return {
    party: { country_code: 'FR', party_id: 'AB1' },
    session: {
      id: 'SESSION-0001',
      start_datetime: cdr.start_date_time,
      end_datetime: cdr.stop_date_time,
      kwh: cdr.total_energy,
      auth_id: cdr.auth_id,
      authorization_id: cdr.authorization_id,
      auth_method: cdr.auth_method,
      location: cdr.location,
      meter_id: cdr.meter_id,
      currency: cdr.currency,
      charging_periods: cdr.charging_periods,
      total_cost: cdr.total_cost,
      status: 'COMPLETED',
      last_updated: cdr.stop_date_time,
    },
    authorization_id: cdr.authorization_id,
    tariffs: cdr.tariffs,
    out_of_order: [{ start: '2024-03-12T09:20:00Z', end: '2024-03-12T09:25:00Z' }],
    signed_data: cdr.signed_data,
    cdr_token: { country_code: 'FR', party_id: 'GIR', uid: '04A1B2C3D4E5F6', type: 'RFID', contract_id: cdr.auth_id },
    vat_percentage: 20,
  };
}

/** Paths of every JSON object inside `node`, itself included. */
function objectPaths(node: unknown, path: PathKey[] = []): PathKey[][] {
  if (Array.isArray(node)) return node.flatMap((item, index) => objectPaths(item, [...path, index]));
  if (typeof node !== 'object' || node === null) return [];
  return [path, ...Object.entries(node).flatMap(([key, value]) => objectPaths(value, [...path, key]))];
}

function withKey(root: Json, path: readonly PathKey[], key: string, value: unknown): Json {
  const copy = structuredClone(root);
  const target = path.reduce<unknown>((node, step) => (node as Record<PathKey, unknown>)[step], copy) as Json;
  target[key] = value;
  return copy;
}

it('accepts the maximal SessionEnded', () => {
  expect(problemsOf(maximalSessionEnded())).toEqual([]);
});

it('rejects a misspelled restriction key, naming its path', () => {
  const restrictions = ['tariffs', 0, 'elements', 1, 'restrictions'];
  expect(problemsOf(withKey(maximalSessionEnded(), restrictions, 'dayOfWeek', ['SUNDAY']))).toEqual([
    'tariffs[0].elements[1].restrictions.dayOfWeek: is not a known field (misspelled, or from another OCPI version?): refused rather than ignored',
  ]);
  expect(problemsOf(withKey(maximalSessionEnded(), restrictions, 'start_tme', '22:00'))).toEqual([
    'tariffs[0].elements[1].restrictions.start_tme: is not a known field (misspelled, or from another OCPI version?): refused rather than ignored',
  ]);
});

it('rejects out_of_service given instead of out_of_order, so out-of-order time is never billed by mistake', () => {
  const input = withKey(maximalSessionEnded(), [], 'out_of_service', [{ start: '2024-03-12T08:10:00Z', end: '2024-03-12T08:20:00Z' }]);
  expect(problemsOf(input)).toEqual([
    'out_of_service: is not a known field (misspelled, or from another OCPI version?): refused rather than ignored',
  ]);
});

it('rejects an OCPI 2.2 restriction (max_current) in a 2.1.1 tariff instead of pricing without it', () => {
  const input = withKey(maximalSessionEnded(), ['tariffs', 0, 'elements', 1, 'restrictions'], 'max_current', 16);
  expect(problemsOf(input)).toEqual([
    'tariffs[0].elements[1].restrictions.max_current: is not a known field (misspelled, or from another OCPI version?): refused rather than ignored',
  ]);
});

describe('every object level of the input', () => {
  const paths = objectPaths(maximalSessionEnded());

  it('has the nested objects to check', () => {
    expect(paths.length).toBeGreaterThan(40);
  });

  it.each(paths.map((path) => [formatPath(path), path] as const))('rejects an unknown key in %s', (_name, path) => {
    const problems = problemsOf(withKey(maximalSessionEnded(), path, 'x_vendor', 1));
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${escapeRegExp(formatPath([...path, 'x_vendor']))}: is not a known field`)),
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
