import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdrBuildError } from '../../../src/cdr/build/build-error';
import { creditCdrFor, creditCdrIdFor } from '../../../src/cdr/build/credit-cdr';
import { cdr221Schema, type Cdr221 } from '../../../src/ocpi/v221/cdr';

const LATER = new Date('2030-02-01T10:00:00Z');

/** A hand-computed 2.2.1 CDR of test/vectors (see its README). */
function original(folder = 'ac-paid-energy-and-idle-fee'): Cdr221 {
  return cdr221Schema.parse(JSON.parse(readFileSync(join(__dirname, '..', '..', 'vectors', folder, 'expected-cdr-221.json'), 'utf8')));
}

it('cancels the original: its own id, credit: true, the original id as reference, total_cost negated', () => {
  const credit = creditCdrFor(original(), LATER);
  expect(credit).toMatchObject({
    id: '1f16f90d-ebd8-50fb-a910-372bcb95772a-C',
    credit: true,
    credit_reference_id: '1f16f90d-ebd8-50fb-a910-372bcb95772a',
    total_cost: { excl_vat: -10.9211, incl_vat: -13.1053 },
    last_updated: '2030-02-01T10:00:00Z',
  });
});

it('keeps everything else of the original, sub-totals included ("only the values in the total_cost field" are negative)', () => {
  const {
    id: _id,
    total_cost: _total,
    credit: _credit,
    credit_reference_id: _reference,
    last_updated: _updated,
    ...rest
  } = creditCdrFor(original(), LATER);
  const { id: _originalId, total_cost: _originalTotal, last_updated: _originalUpdated, ...originalRest } = original();
  expect(rest).toEqual(originalRest);
  expect(rest.total_energy_cost).toEqual({ excl_vat: 6.4211, incl_vat: 7.7053 });
});

it.each(['ac-paid-energy-and-idle-fee', 'out-of-order-is-free', 'dc-fast-power-tiers-and-blocking-fee', 'signed-data-eichrecht'])(
  'gives a valid OCPI 2.2.1 credit CDR for %s, keys in the order of the spec',
  (folder) => {
    const credit = creditCdrFor(original(folder), LATER);
    const parsed = cdr221Schema.parse(credit);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(credit));
    expect(Object.keys(credit).slice(-3)).toEqual(['credit', 'credit_reference_id', 'last_updated']);
  },
);

it('gives the same credit id every time, within the 39 characters OCPI 2.2.1 allows a credit CDR', () => {
  const id = creditCdrFor(original(), LATER).id;
  expect(creditCdrFor(original(), new Date('2031-01-01T00:00:00Z')).id).toBe(id);
  expect(creditCdrIdFor('x'.repeat(36))).toHaveLength(38);
});

it("writes a free CDR's credit with zero amounts, not -0", () => {
  const free = { ...original(), total_cost: { excl_vat: 0, incl_vat: 0 } };
  expect(Object.is(creditCdrFor(free, LATER).total_cost.excl_vat, 0)).toBe(true);
});

it('keeps a price without incl_vat without one', () => {
  const noVat = { ...original(), total_cost: { excl_vat: 10.9211 } };
  expect(creditCdrFor(noVat, LATER).total_cost).toEqual({ excl_vat: -10.9211 });
});

it('refuses to credit a credit CDR', () => {
  const credit = creditCdrFor(original(), LATER);
  expect(() => creditCdrFor(credit, LATER)).toThrow(CdrBuildError);
  expect(() => creditCdrFor(credit, LATER)).toThrow(
    'credit: CDR 1f16f90d-ebd8-50fb-a910-372bcb95772a-C is itself a credit CDR (of 1f16f90d-ebd8-50fb-a910-372bcb95772a): a credit CDR is not credited',
  );
});
