import { sessionSchema } from '../../../src/ocpi';
import { at, issuePaths, loadMaximalCdr, withValue, type Json } from './helpers';

// A completed session built from the CDR fixture, as GIREVE receives it before the CDR.
function completedSession(): Json {
  const cdr = loadMaximalCdr();
  return {
    id: 'SESSION-0001',
    start_datetime: cdr.start_date_time,
    end_datetime: cdr.stop_date_time,
    kwh: 22.5,
    auth_id: cdr.auth_id,
    authorization_id: cdr.authorization_id,
    auth_method: 'AUTH_REQUEST',
    location: cdr.location,
    meter_id: cdr.meter_id,
    currency: 'EUR',
    charging_periods: cdr.charging_periods,
    total_cost: 8.35,
    status: 'COMPLETED',
    last_updated: '2024-03-12T09:30:01Z',
  };
}

describe('sessionSchema', () => {
  it('accepts a completed session with GIREVE authorization_id', () => {
    expect(issuePaths(sessionSchema, completedSession())).toEqual([]);
  });

  it('accepts a pending session without end, periods, cost or authorization_id', () => {
    let pending = withValue(completedSession(), ['status'], 'PENDING');
    for (const key of ['end_datetime', 'charging_periods', 'total_cost', 'authorization_id', 'meter_id']) {
      pending = withValue(pending, [key], undefined);
    }
    expect(issuePaths(sessionSchema, pending)).toEqual([]);
  });

  it('parses idempotently through JSON', () => {
    const first = sessionSchema.parse(completedSession());
    expect(sessionSchema.parse(JSON.parse(JSON.stringify(first)))).toEqual(first);
  });

  it('rejects the CDR spelling start_date_time instead of start_datetime', () => {
    const session = withValue(completedSession(), ['start_datetime'], undefined);
    const misspelled = { ...session, start_date_time: '2024-03-12T08:00:00Z' };
    // Both: the missing field, and the unknown one at the session's root ('' as a path).
    expect(issuePaths(sessionSchema, misspelled)).toEqual(['start_datetime', '']);
  });

  it('rejects a location with two EVSEs', () => {
    const session = completedSession();
    const evse = at(session, ['location', 'evses', 0]);
    expect(issuePaths(sessionSchema, withValue(session, ['location', 'evses'], [evse, evse]))).toEqual(['location.evses']);
  });

  it('rejects an unknown session status', () => {
    expect(issuePaths(sessionSchema, withValue(completedSession(), ['status'], 'STOPPED'))).toEqual(['status']);
  });
});
