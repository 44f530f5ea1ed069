/** The corrected CDR sent after a credit: a normal CDR (id of 36 characters), stable per original. */
import { cdrIdFor, reissuedCdrIdFor } from '../../../src/cdr/build/cdr-id';
import { reissuedCdrFor } from '../../../src/cdr/build/reissued-cdr';
import { CdrBuildError } from '../../../src/cdr/build/build-error';
import { cdr221Schema, type Cdr221 } from '../../../src/ocpi/v221/cdr';
import { loadMaximalCdr221, withValue } from '../ocpi/helpers';

const PARTY = { country_code: 'FR', party_id: 'ABC' };
const NOW = new Date('2030-01-01T00:00:00Z');
/** The maximal fixture as a normal CDR of 36 characters. */
const original = (): Cdr221 => {
  let cdr = withValue(loadMaximalCdr221(), ['id'], cdrIdFor(PARTY, 'S-1'));
  cdr = withValue(cdr, ['total_cost'], { excl_vat: 9.95, incl_vat: 11.94 });
  for (const key of ['credit', 'credit_reference_id']) cdr = withValue(cdr, [key], undefined);
  return cdr221Schema.parse(cdr);
};

test('has a UUID id of its own, the same for every re-issue of one CDR, and the real session_id', () => {
  const first = reissuedCdrFor(PARTY, original(), NOW);
  expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(first.id).not.toBe(original().id);
  expect(reissuedCdrFor(PARTY, original(), new Date('2031-01-01T00:00:00Z')).id).toBe(first.id);
  expect(reissuedCdrIdFor({ country_code: 'FR', party_id: 'DEF' }, original().id)).not.toBe(first.id);
  expect(first.session_id).toBe(original().session_id);
  expect(first.last_updated).toBe('2030-01-01T00:00:00Z');
  expect(cdr221Schema.safeParse(first).success).toBe(true);
});

test('refuses a credit CDR', () => {
  const credit = { ...original(), credit: true, credit_reference_id: 'X' };
  expect(() => reissuedCdrFor(PARTY, credit, NOW)).toThrow(CdrBuildError);
});
