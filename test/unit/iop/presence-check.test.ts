import { presenceOf } from '../../../src/iop/presence-check';

const answer = (httpStatus: number, body: unknown) => ({ httpStatus, body, location: null });
const ok = (data: unknown) => answer(200, { status_code: 1000, data, timestamp: '2026-11-29T00:00:00Z' });

test.each([
  ['a CDR object with this id', ok({ id: 'cdr-1', total_cost: 1 }), 'held'],
  ['its id in other case (CiString)', ok({ id: 'CDR-1' }), 'held'],
  ['a one-element list holding it', ok([{ id: 'cdr-1' }]), 'held'],
  ['a list of two', ok([{ id: 'cdr-1' }, { id: 'cdr-1' }]), 'unclear'],
  ['another CDR', ok({ id: 'cdr-2' }), 'unclear'],
  ['data {}', ok({}), 'unclear'],
  ['an empty list', ok([]), 'unclear'],
  ['404 with OCPI 2000', answer(404, { status_code: 2000, timestamp: '2026-11-29T00:00:00Z' }), 'absent'],
  ['a bare 404', answer(404, 'Not Found'), 'unclear'],
  ['429', answer(429, { status_code: 2000, timestamp: '2026-11-29T00:00:00Z' }), 'unclear'],
  ['500', answer(500, { status_code: 3000, timestamp: '2026-11-29T00:00:00Z' }), 'unclear'],
  ['no answer', undefined, 'unclear'],
])('the check answered %s: %s', (_what, checked, verdict) => {
  expect(presenceOf('cdr-1', checked).kind).toBe(verdict);
});

test.each([
  ['2001 (a misconfigured check URL: missing or invalid parameters)', 2001],
  ['2002 (not enough information: 2.2.1 headers missing)', 2002],
])('an OCPI %s says nothing of the CDR: unclear, never absent', (_what, statusCode) => {
  for (const httpStatus of [200, 400, 404]) {
    expect(presenceOf('cdr-1', answer(httpStatus, { status_code: statusCode, timestamp: '2026-11-29T00:00:00Z' })).kind).toBe('unclear');
  }
});

test.each([
  [404, 2003],
  [200, 2000],
  [200, 2003],
])('HTTP %s with OCPI %s is a clear "unknown CDR": absent', (httpStatus, statusCode) => {
  expect(presenceOf('cdr-1', answer(httpStatus, { status_code: statusCode, timestamp: '2026-11-29T00:00:00Z' })).kind).toBe('absent');
});
