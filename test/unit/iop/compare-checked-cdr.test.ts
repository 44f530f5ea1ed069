import { compareCheckedCdr } from '../../../src/iop/compare-checked-cdr';

const sent = { id: 'c1', total_cost: 3.45, charging_periods: [{ start_date_time: '2026-01-01T00:00:00Z' }] };
const ok = (data: unknown) => ({ httpStatus: 200, body: { status_code: 1000, data }, location: null });

test('matches when the IOP holds the CDR as sent, whatever the key order', () => {
  const reordered = { charging_periods: [{ start_date_time: '2026-01-01T00:00:00Z' }], total_cost: 3.45, id: 'c1' };
  expect(compareCheckedCdr(sent, ok(reordered)).status).toBe('match');
});

test('names the first field that differs', () => {
  expect(compareCheckedCdr(sent, ok({ ...sent, total_cost: 3.4 }))).toEqual({
    status: 'mismatch',
    detail: 'differs at total_cost',
  });
  expect(compareCheckedCdr(sent, ok({ ...sent, charging_periods: [] })).detail).toBe('differs at charging_periods');
});

test('records that the check was not possible when the IOP offers no GET or does not answer', () => {
  expect(compareCheckedCdr(sent, { httpStatus: 404, body: { status_code: 2000 }, location: null })).toEqual({
    status: 'not_possible',
    detail: 'IOP answered HTTP 404, OCPI 2000',
  });
  expect(compareCheckedCdr(sent, { httpStatus: 405, body: undefined, location: null }).status).toBe('not_possible');
  expect(compareCheckedCdr(sent, undefined).status).toBe('not_possible');
});

test('reads a CDR answered as a one-element list, as some receivers answer a GET by id', () => {
  expect(compareCheckedCdr(sent, ok([sent])).status).toBe('match');
  expect(compareCheckedCdr(sent, ok([{ ...sent, total_cost: 1 }]))).toEqual({ status: 'mismatch', detail: 'differs at total_cost' });
  // Two CDRs are not an answer about this one.
  expect(compareCheckedCdr(sent, ok([sent, sent])).status).toBe('mismatch');
});

test("reads a CDR whose only differences are the ids a hub replaces (GIREVE's session id and authorization reference) as its own status, never a mismatch", () => {
  const sent221 = { ...sent, session_id: 'SES-1', authorization_reference: 'AUTH-1' };
  const replaced = { ...sent221, session_id: 'GIREVE-S-9', authorization_reference: 'GIREVE-A-9' };
  expect(compareCheckedCdr(sent221, ok(replaced))).toEqual({
    status: 'match_ids_replaced',
    detail: 'match (ids replaced by the hub: authorization_reference, session_id)',
  });
  expect(compareCheckedCdr(sent221, ok({ ...sent221, session_id: 'GIREVE-S-9' })).status).toBe('match_ids_replaced');
  // Anything else that differs is still a mismatch, named before the replaced ids.
  expect(compareCheckedCdr(sent221, ok({ ...replaced, total_cost: 1 }))).toEqual({ status: 'mismatch', detail: 'differs at total_cost' });
  // A reference the hub left out counts the same: toward the eMSP that id is the hub's.
  const { authorization_reference: _dropped, ...withoutReference } = replaced;
  expect(compareCheckedCdr(sent221, ok(withoutReference)).status).toBe('match_ids_replaced');
});
