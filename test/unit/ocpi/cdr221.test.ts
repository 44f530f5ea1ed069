import {
  cdr221Schema,
  cdrLocationSchema,
  cdrTokenSchema,
  chargingPeriod221Schema,
  priceComponent221Schema,
  priceSchema,
  tariff221Schema,
  tariffRestrictions221Schema,
} from '../../../src/ocpi/v221';
import { at, issueMessages, issuePaths, loadMaximalCdr221, withValue, type Json } from './helpers';

const cdr = loadMaximalCdr221;

/** The maximal fixture as a normal (non-credit) CDR. */
function normalCdr(): Json {
  let normal = withValue(cdr(), ['id'], '3b9e2f14-7c1d-5a2e-9f0b-6d4c8a1e2b37');
  normal = withValue(normal, ['total_cost'], { excl_vat: 9.95, incl_vat: 11.94 });
  for (const key of ['credit', 'credit_reference_id']) normal = withValue(normal, [key], undefined);
  return normal;
}

describe('the maximal OCPI 2.2.1 CDR fixture', () => {
  it.each([
    ['CDR', cdr221Schema.shape, []],
    ['CdrToken', cdrTokenSchema.shape, ['cdr_token']],
    ['CdrLocation', cdrLocationSchema.shape, ['cdr_location']],
    ['Tariff', tariff221Schema.shape, ['tariffs', 0]],
    ['PriceComponent', priceComponent221Schema.shape, ['tariffs', 0, 'elements', 1, 'price_components', 0]],
    ['TariffRestrictions', tariffRestrictions221Schema.shape, ['tariffs', 0, 'elements', 1, 'restrictions']],
    ['ChargingPeriod', chargingPeriod221Schema.shape, ['charging_periods', 0]],
    ['Price', priceSchema.shape, ['total_cost']],
  ] as const)('fills every field of %s', (_name, shape, path) => {
    const part = at(cdr(), path) as Record<string, unknown>;
    expect(Object.keys(shape).filter((key) => !(key in part))).toEqual([]);
  });

  it('parses unchanged, and so does the same CDR as a normal one', () => {
    expect(cdr221Schema.parse(cdr())).toEqual(cdr());
    expect(issuePaths(cdr221Schema, normalCdr())).toEqual([]);
  });
});

describe('cdr221Schema', () => {
  it('refuses a 2.1.1 FLAT dimension and a Session-only one, naming the allowed types', () => {
    const dimension = ['charging_periods', 0, 'dimensions', 0, 'type'];
    for (const type of ['FLAT', 'STATE_OF_CHARGE']) {
      expect(issuePaths(cdr221Schema, withValue(cdr(), dimension, type))).toEqual(['charging_periods.0.dimensions.0.type']);
    }
    expect(issueMessages(cdr221Schema, withValue(cdr(), dimension, 'FLAT'))).toEqual([
      expect.stringMatching(/^must be one of ENERGY, MAX_CURRENT, .*FLAT is 2.1.1 only/),
    ]);
  });

  it('refuses a negative time volume but takes negative energy (fed back to the grid)', () => {
    const volume = ['charging_periods', 0, 'dimensions', 1, 'volume'];
    expect(issuePaths(cdr221Schema, withValue(cdr(), volume, -0.5))).toEqual(['charging_periods.0.dimensions.1.volume']);
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['charging_periods', 0, 'dimensions', 0, 'volume'], -2))).toEqual([]);
  });

  it('requires the cdr_token, and every field of it', () => {
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['cdr_token'], undefined))).toEqual(['cdr_token']);
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['cdr_token', 'party_id'], undefined))).toEqual(['cdr_token.party_id']);
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['cdr_token', 'type'], 'EMAID'))).toEqual(['cdr_token.type']);
  });

  it("takes the token owner's codes as CiStrings (GIREVE's Advenir $$ / ADV), upper-cased, and upper-cases an RFID uid", () => {
    const token = (change: Record<string, unknown>) => cdrTokenSchema.safeParse({ ...(at(cdr(), ['cdr_token']) as object), ...change });
    expect(token({ country_code: '$$', party_id: 'adv', uid: '12345671234567', type: 'RFID' })).toMatchObject({
      success: true,
      data: { country_code: '$$', party_id: 'ADV', uid: '12345671234567' },
    });
    expect(token({ uid: '04a1b2c3', type: 'RFID' })).toMatchObject({ data: { uid: '04A1B2C3' } });
    expect(token({ uid: 'app-user-7f', type: 'APP_USER' })).toMatchObject({ data: { uid: 'app-user-7f' } });
    expect(issueMessages(cdrTokenSchema, { ...(at(cdr(), ['cdr_token']) as object), country_code: 'F' })).toEqual([
      'must be 2 printable ASCII characters (OCPI CiString(2), like FR or $$)',
    ]);
    expect(issuePaths(cdrTokenSchema, { ...(at(cdr(), ['cdr_token']) as object), party_id: 'A B' })).toEqual(['party_id']);
    // The CDR's own party (the CPO's) keeps the ISO and eMI3 rules.
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['country_code'], '$$'))).toEqual(['country_code']);
  });

  it('refuses a Price without excl_vat', () => {
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['total_cost'], { incl_vat: -11.94 }))).toEqual(['total_cost.excl_vat']);
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['total_energy_cost'], { incl_vat: 8.1 }))).toEqual(['total_energy_cost.excl_vat']);
  });

  it('refuses unknown keys at every level it was tried, 2.1.1 names included', () => {
    expect(issueMessages(cdr221Schema, { ...cdr(), stop_date_time: '2024-03-12T10:00:00Z' })).toEqual([
      'Unrecognized key: "stop_date_time"',
    ]);
    for (const path of [
      ['cdr_token'],
      ['cdr_location'],
      ['total_cost'],
      ['tariffs', 0, 'elements', 1, 'restrictions'],
      ['charging_periods', 0],
    ]) {
      const withExtra = withValue(cdr(), [...path, 'x_vendor'], 1);
      expect(issuePaths(cdr221Schema, withExtra)).toEqual([path.join('.')]);
    }
  });

  it('accepts what 2.2.1 added: COMMAND, two-phase power, 5 to 7 coordinate decimals, no postal code', () => {
    let added = withValue(cdr(), ['cdr_location', 'connector_standard'], 'GBT_DC');
    added = withValue(added, ['cdr_location', 'coordinates', 'latitude'], '48.85661');
    added = withValue(added, ['cdr_location', 'postal_code'], undefined);
    expect(issuePaths(cdr221Schema, added)).toEqual([]);
    expect(issuePaths(cdr221Schema, withValue(cdr(), ['cdr_location', 'coordinates', 'latitude'], '48.8566'))).toEqual([
      'cdr_location.coordinates.latitude',
    ]);
  });

  describe('credit CDRs', () => {
    it('requires credit_reference_id in a credit CDR, and credit: true beside a reference', () => {
      expect(issuePaths(cdr221Schema, withValue(cdr(), ['credit_reference_id'], undefined))).toEqual(['credit_reference_id']);
      expect(issuePaths(cdr221Schema, withValue(normalCdr(), ['credit_reference_id'], 'ORIGINAL'))).toEqual(['credit']);
    });

    it('lets only a credit CDR use an id of 37 to 39 characters', () => {
      expect(issuePaths(cdr221Schema, withValue(cdr(), ['id'], 'x'.repeat(39)))).toEqual([]);
      expect(issuePaths(cdr221Schema, withValue(cdr(), ['id'], 'x'.repeat(40)))).toEqual(['id']);
      expect(issueMessages(cdr221Schema, withValue(normalCdr(), ['id'], 'x'.repeat(37)))).toEqual([
        'must be at most 36 characters: only a credit CDR may use up to 39',
      ]);
    });

    it('negates only total_cost: positive in a credit CDR or negative elsewhere is refused, as is a negative sub-total', () => {
      expect(issuePaths(cdr221Schema, withValue(cdr(), ['total_cost'], { excl_vat: 9.95, incl_vat: 11.94 }))).toEqual([
        'total_cost.excl_vat',
        'total_cost.incl_vat',
      ]);
      expect(issuePaths(cdr221Schema, withValue(normalCdr(), ['total_cost'], { excl_vat: -9.95 }))).toEqual(['total_cost.excl_vat']);
      expect(issuePaths(cdr221Schema, withValue(cdr(), ['total_energy_cost'], { excl_vat: -6.75 }))).toEqual([
        'total_energy_cost.excl_vat',
      ]);
    });
  });
});
