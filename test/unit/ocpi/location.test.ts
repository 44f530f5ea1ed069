import { connectorSchema, evseSchema, geoLocationSchema, hoursSchema, locationSchema } from '../../../src/ocpi';
import { at, issueMessages, issuePaths, loadMaximalCdr, withValue, type Json } from './helpers';

// The CDR fixture's location, which lists every optional Location/EVSE/Connector field.
const location = (): Json => at(loadMaximalCdr(), ['location']) as Json;

describe('locationSchema', () => {
  it('accepts a location with every optional field', () => {
    expect(issuePaths(locationSchema, location())).toEqual([]);
  });

  it('accepts a plain location with several EVSEs (only CDRs narrow it to one)', () => {
    const evse = at(location(), ['evses', 0]);
    expect(issuePaths(locationSchema, withValue(location(), ['evses'], [evse, evse]))).toEqual([]);
  });

  it('rejects a latitude given as a number', () => {
    expect(issuePaths(locationSchema, withValue(location(), ['coordinates', 'latitude'], 48.844318))).toEqual(['coordinates.latitude']);
  });

  it('rejects a latitude with 5 decimals', () => {
    expect(issuePaths(locationSchema, withValue(location(), ['coordinates', 'latitude'], '48.84431'))).toEqual(['coordinates.latitude']);
  });

  it('rejects a latitude outside -90..90 and a longitude outside -180..180', () => {
    expect(geoLocationSchema.safeParse({ latitude: '91.000000', longitude: '2.000000' }).success).toBe(false);
    expect(geoLocationSchema.safeParse({ latitude: '48.000000', longitude: '-181.000000' }).success).toBe(false);
    expect(geoLocationSchema.safeParse({ latitude: '-90.000000', longitude: '-180.000000' }).success).toBe(true);
  });

  it('rejects an alpha-2 country', () => {
    expect(issuePaths(locationSchema, withValue(location(), ['country'], 'FR'))).toEqual(['country']);
  });

  it('rejects an unknown enum value', () => {
    expect(issuePaths(locationSchema, withValue(location(), ['type'], 'ROOFTOP'))).toEqual(['type']);
  });

  it('rejects an address longer than 45 characters', () => {
    expect(issuePaths(locationSchema, withValue(location(), ['address'], 'x'.repeat(46)))).toEqual(['address']);
  });

  it('refuses an unknown field instead of dropping it silently', () => {
    expect(issueMessages(locationSchema, { ...location(), x_vendor: 1 })).toEqual(['Unrecognized key: "x_vendor"']);
  });
});

describe('evseSchema and connectorSchema', () => {
  const evse = (): Json => at(location(), ['evses', 0]) as Json;
  const connector = (): Json => at(evse(), ['connectors', 0]) as Json;

  it('rejects an EVSE without connectors', () => {
    expect(issuePaths(evseSchema, withValue(evse(), ['connectors'], []))).toEqual(['connectors']);
  });

  it('rejects a non-integer voltage', () => {
    expect(issuePaths(connectorSchema, withValue(connector(), ['voltage'], 230.5))).toEqual(['voltage']);
  });

  it('rejects an amperage given as a string', () => {
    expect(issuePaths(connectorSchema, withValue(connector(), ['amperage'], '32'))).toEqual(['amperage']);
  });

  it('rejects an unknown connector standard', () => {
    expect(issuePaths(connectorSchema, withValue(connector(), ['standard'], 'NACS'))).toEqual(['standard']);
  });

  it('keeps the lower-case spelling of IEC 60309 values', () => {
    expect(connectorSchema.safeParse({ ...connector(), standard: 'IEC_60309_2_single_16' }).success).toBe(true);
    expect(connectorSchema.safeParse({ ...connector(), standard: 'IEC_60309_2_SINGLE_16' }).success).toBe(false);
  });
});

describe('hoursSchema', () => {
  const week = [{ weekday: 1, period_begin: '08:00', period_end: '20:00' }];

  it('accepts 24/7 alone', () => {
    expect(hoursSchema.safeParse({ twentyfourseven: true }).success).toBe(true);
  });

  it('rejects hours with neither regular_hours nor twentyfourseven', () => {
    expect(issuePaths(hoursSchema, {})).toEqual(['twentyfourseven']);
  });

  it('rejects regular hours next to twentyfourseven true', () => {
    expect(issuePaths(hoursSchema, { regular_hours: week, twentyfourseven: true })).toEqual(['regular_hours']);
  });

  it('rejects a regular period that ends before it begins', () => {
    const night = [{ weekday: 1, period_begin: '22:00', period_end: '06:00' }];
    expect(issuePaths(hoursSchema, { regular_hours: night })).toEqual(['regular_hours.0.period_end']);
  });

  it('rejects weekday 0 (the spec counts Monday 1 to Sunday 7)', () => {
    expect(issuePaths(hoursSchema, { regular_hours: [{ ...week[0], weekday: 0 }] })).toEqual(['regular_hours.0.weekday']);
  });
});
