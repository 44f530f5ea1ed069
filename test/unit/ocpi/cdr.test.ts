import {
  businessDetailsSchema,
  cdrSchema,
  connectorSchema,
  energyMixSchema,
  evseSchema,
  hoursSchema,
  imageSchema,
  locationSchema,
  signedDataSchema,
  tariffRestrictionsSchema,
  tariffSchema,
} from '../../../src/ocpi';
import { at, issueMessages, issuePaths, loadMaximalCdr, withValue } from './helpers';

describe('the maximal CDR fixture', () => {
  it.each([
    ['CDR', cdrSchema.shape, []],
    ['Location', locationSchema.shape, ['location']],
    ['EVSE', evseSchema.shape, ['location', 'evses', 0]],
    ['Connector', connectorSchema.shape, ['location', 'evses', 0, 'connectors', 0]],
    ['BusinessDetails', businessDetailsSchema.shape, ['location', 'operator']],
    ['Image', imageSchema.shape, ['location', 'operator', 'logo']],
    ['Hours', hoursSchema.shape, ['location', 'opening_times']],
    ['EnergyMix', energyMixSchema.shape, ['location', 'energy_mix']],
    ['Tariff', tariffSchema.shape, ['tariffs', 0]],
    ['TariffRestrictions', tariffRestrictionsSchema.shape, ['tariffs', 0, 'elements', 1, 'restrictions']],
    ['SignedData', signedDataSchema.shape, ['signed_data']],
  ] as const)('fills every field of %s', (_name, shape, path) => {
    const part = at(loadMaximalCdr(), path) as Record<string, unknown>;
    expect(Object.keys(shape).filter((key) => !(key in part))).toEqual([]);
  });

  it('walks parse -> JSON.stringify -> JSON.parse -> parse unchanged', () => {
    const fixture = loadMaximalCdr();
    const first = cdrSchema.parse(fixture);
    const second = cdrSchema.parse(JSON.parse(JSON.stringify(first)));
    expect(second).toEqual(first);
    expect(first).toEqual(fixture); // nothing stripped or rewritten
  });
});

describe('cdrSchema', () => {
  const cdr = loadMaximalCdr;

  it('accepts a minimal CDR without the optional fields', () => {
    let minimal = cdr();
    for (const key of ['authorization_id', 'meter_id', 'tariffs', 'signed_data', 'total_parking_time', 'remark']) {
      minimal = withValue(minimal, [key], undefined);
    }
    expect(issuePaths(cdrSchema, minimal)).toEqual([]);
  });

  it('refuses an unknown field: we never send what OCPI 2.1.1 does not define', () => {
    expect(issuePaths(cdrSchema, { ...cdr(), vendor_note: 'x' })).toEqual(['']);
    expect(issueMessages(cdrSchema, { ...cdr(), vendor_note: 'x' })).toEqual(['Unrecognized key: "vendor_note"']);
  });

  it('rejects a DateTime with an offset', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['start_date_time'], '2024-03-12T08:00:00+00:00'))).toEqual(['start_date_time']);
  });

  it('rejects a latitude given as a number', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['location', 'coordinates', 'latitude'], 48.844318))).toEqual([
      'location.coordinates.latitude',
    ]);
  });

  it('rejects a non-integer voltage', () => {
    const broken = withValue(cdr(), ['location', 'evses', 0, 'connectors', 0, 'voltage'], 230.5);
    expect(issuePaths(cdrSchema, broken)).toEqual(['location.evses.0.connectors.0.voltage']);
  });

  it('rejects an unknown enum value', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['auth_method'], 'APP_USER'))).toEqual(['auth_method']);
  });

  it.each(['EURO', 'XYZ'])('rejects the currency %s', (currency) => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['currency'], currency))).toEqual(['currency']);
  });

  it('rejects empty charging_periods', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['charging_periods'], []))).toEqual(['charging_periods']);
  });

  it('rejects a charging period without dimensions', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['charging_periods', 0, 'dimensions'], []))).toEqual(['charging_periods.0.dimensions']);
  });

  it('rejects a location with two EVSEs', () => {
    const evse = at(cdr(), ['location', 'evses', 0]);
    const broken = withValue(cdr(), ['location', 'evses'], [evse, evse]);
    expect(issuePaths(cdrSchema, broken)).toEqual(['location.evses']);
    expect(issueMessages(cdrSchema, broken)).toEqual([expect.stringContaining('exactly one EVSE')]);
  });

  it('rejects a location without its EVSE', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['location', 'evses'], undefined))).toEqual(['location.evses']);
  });

  it('rejects an EVSE with two connectors', () => {
    const connector = at(cdr(), ['location', 'evses', 0, 'connectors', 0]);
    const broken = withValue(cdr(), ['location', 'evses', 0, 'connectors'], [connector, connector]);
    expect(issuePaths(cdrSchema, broken)).toEqual(['location.evses.0.connectors']);
  });

  it.each(['[*] computed by GIREVE', '[?]', '  [*] padded'])('rejects the remark %j (GIREVE reserves the prefix)', (remark) => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['remark'], remark))).toEqual(['remark']);
  });

  it('accepts a remark that only contains a reserved marker later on', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['remark'], 'Stopped [*] remotely'))).toEqual([]);
  });

  it('rejects a price with 5 decimals', () => {
    const broken = withValue(cdr(), ['tariffs', 0, 'elements', 1, 'price_components', 0, 'price'], 0.30001);
    expect(issuePaths(cdrSchema, broken)).toEqual(['tariffs.0.elements.1.price_components.0.price']);
  });

  it('refuses an empty authorization_id: no authorization is written by leaving the field out', () => {
    expect(issueMessages(cdrSchema, withValue(cdr(), ['authorization_id'], ''))).toEqual([
      'must not be empty: omitted when there was no authorization',
    ]);
  });

  it('rejects a total_cost with float drift', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['total_cost'], 0.1 + 0.2))).toEqual(['total_cost']);
  });

  it('rejects an id of 37 characters', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['id'], 'A'.repeat(37)))).toEqual(['id']);
    expect(issuePaths(cdrSchema, withValue(cdr(), ['id'], 'A'.repeat(36)))).toEqual([]);
  });

  it('rejects a non-ASCII CiString id', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['id'], 'CDR-é-1'))).toEqual(['id']);
  });

  it('rejects an authorization_id longer than 36 or with non-ASCII characters', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['authorization_id'], 'a'.repeat(37)))).toEqual(['authorization_id']);
    expect(issuePaths(cdrSchema, withValue(cdr(), ['authorization_id'], 'autorisé'))).toEqual(['authorization_id']);
  });

  it('rejects signed_data without signed values', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['signed_data', 'signed_values'], []))).toEqual(['signed_data.signed_values']);
  });

  it('accepts signed values up to the 2.2.1 size of 5000 characters', () => {
    const big = withValue(cdr(), ['signed_data', 'signed_values', 0, 'signed_data'], 'A'.repeat(5000));
    expect(issuePaths(cdrSchema, big)).toEqual([]);
    const tooBig = withValue(cdr(), ['signed_data', 'signed_values', 0, 'plain_data'], 'A'.repeat(5001));
    expect(issuePaths(cdrSchema, tooBig)).toEqual(['signed_data.signed_values.0.plain_data']);
  });

  it('rejects a negative total_energy', () => {
    expect(issuePaths(cdrSchema, withValue(cdr(), ['total_energy'], -1))).toEqual(['total_energy']);
  });

  it('types the used EVSE and connector as present', () => {
    const parsed = cdrSchema.parse(cdr());
    // Compiles without a non-null assertion: the tuple type guarantees index 0.
    expect(parsed.location.evses[0].connectors[0].voltage).toBe(230);
  });
});
