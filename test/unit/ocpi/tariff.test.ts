import { priceComponentSchema, tariffRestrictionsSchema, tariffSchema } from '../../../src/ocpi';
import { at, issuePaths, loadMaximalCdr, withValue, type Json } from './helpers';

const tariff = (): Json => at(loadMaximalCdr(), ['tariffs', 0]) as Json;

describe('tariffSchema', () => {
  it('accepts a tariff with every optional field', () => {
    expect(issuePaths(tariffSchema, tariff())).toEqual([]);
  });

  it('accepts the spec free-of-charge tariff (FLAT, price 0, step_size 0)', () => {
    const free = { type: 'FLAT', price: 0, step_size: 0 };
    expect(issuePaths(priceComponentSchema, free)).toEqual([]);
  });

  it('rejects a price with 5 decimals', () => {
    const broken = withValue(tariff(), ['elements', 1, 'price_components', 0, 'price'], 0.30001);
    expect(issuePaths(tariffSchema, broken)).toEqual(['elements.1.price_components.0.price']);
  });

  it('rejects a price given as a string (the CDR example in mod_cdrs.md is wrong)', () => {
    const broken = withValue(tariff(), ['elements', 0, 'price_components', 0, 'price'], '2.00');
    expect(issuePaths(tariffSchema, broken)).toEqual(['elements.0.price_components.0.price']);
  });

  it('rejects a negative or fractional step_size', () => {
    expect(issuePaths(priceComponentSchema, { type: 'TIME', price: 2, step_size: -1 })).toEqual(['step_size']);
    expect(issuePaths(priceComponentSchema, { type: 'TIME', price: 2, step_size: 1.5 })).toEqual(['step_size']);
  });

  it('rejects a CdrDimensionType that is not a TariffDimensionType', () => {
    expect(issuePaths(priceComponentSchema, { type: 'MAX_CURRENT', price: 1, step_size: 1 })).toEqual(['type']);
  });

  it('rejects a tariff without elements', () => {
    expect(issuePaths(tariffSchema, withValue(tariff(), ['elements'], []))).toEqual(['elements']);
  });

  it('rejects a tariff in an unknown currency', () => {
    expect(issuePaths(tariffSchema, withValue(tariff(), ['currency'], 'XYZ'))).toEqual(['currency']);
  });
});

describe('tariffRestrictionsSchema', () => {
  it('accepts a night window that wraps past midnight', () => {
    expect(issuePaths(tariffRestrictionsSchema, { start_time: '22:00', end_time: '06:00' })).toEqual([]);
  });

  it.each([
    ['start_time', '24:00'],
    ['end_time', '7:30'],
    ['start_date', '2015-02-30'],
    ['end_date', '2015-12-27T00:00:00Z'],
    ['min_duration', 1.5],
    ['max_kwh', -1],
    ['day_of_week', ['MON']],
  ])('rejects a malformed %s', (field, value) => {
    expect(issuePaths(tariffRestrictionsSchema, { [field]: value })[0]).toMatch(new RegExp(`^${field}`));
  });
});
