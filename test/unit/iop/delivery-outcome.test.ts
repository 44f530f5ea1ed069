import {
  classifyAnswer,
  classifyNetworkError,
  HUB_ALERT_AFTER_ATTEMPTS,
  printableMessage,
  raisesHubAlert,
  STATUS_MESSAGE_MAX,
} from '../../../src/iop/delivery-outcome';

const envelope = (statusCode: number, message?: string) => ({
  data: {},
  status_code: statusCode,
  status_message: message,
  timestamp: '2026-11-26T10:00:00Z',
});

describe('classifyAnswer', () => {
  test.each([
    ['HTTP 200 + OCPI 1000 without Location (GIREVE)', 200, envelope(1000), null, 'delivered'],
    ['HTTP 201 + OCPI 1000 with Location', 201, envelope(1000), 'https://iop/cdrs/1', 'delivered'],
    ['HTTP 200 + OCPI 2001', 200, envelope(2001, 'bad'), null, 'rejected'],
    ['HTTP 400 + OCPI 2001', 400, envelope(2001, 'total_cost'), null, 'rejected'],
    ['HTTP 400 without envelope (a proxy, not the IOP)', 400, undefined, null, 'retry'],
    ['HTTP 422 without envelope', 422, undefined, null, 'retry'],
    ['HTTP 422 + OCPI 2001', 422, envelope(2001), null, 'rejected'],
    ['HTTP 409 + OCPI 2000', 409, envelope(2000), null, 'rejected'],
    ['HTTP 200 + OCPI 3000', 200, envelope(3000), null, 'retry'],
    ['HTTP 200 with a non-OCPI body', 200, undefined, null, 'retry'],
    ['HTTP 500', 500, envelope(3000), null, 'retry'],
    ['HTTP 503 without body', 503, undefined, null, 'retry'],
    ['HTTP 401', 401, envelope(2000), null, 'retry'],
    ['HTTP 403', 403, undefined, null, 'retry'],
    // The receiver's own word about the CDR (an unknown location): it would never change.
    ['HTTP 404 + OCPI 2003', 404, envelope(2003), null, 'rejected'],
    ['HTTP 404 without envelope (a wrong URL, a proxy)', 404, undefined, null, 'retry'],
    ['HTTP 404 + OCPI 3000', 404, envelope(3000), null, 'retry'],
    ['HTTP 413 without envelope (a proxy body limit)', 413, '<html>413</html>', null, 'rejected'],
    ['HTTP 308 redirect', 308, undefined, 'https://elsewhere/cdrs', 'rejected'],
    ['HTTP 302 redirect', 302, undefined, null, 'rejected'],
    ['HTTP 408', 408, undefined, null, 'retry'],
    ['HTTP 429 + OCPI 2000', 429, envelope(2000), null, 'retry'],
    ['HTTP 409 without envelope', 409, undefined, null, 'retry'],
  ])('%s -> %s', (_name, httpStatus, body, location, kind) => {
    expect(classifyAnswer({ httpStatus, body, location }).kind).toBe(kind);
  });

  test('keeps the Location header of a delivered CDR', () => {
    expect(classifyAnswer({ httpStatus: 200, body: envelope(1000), location: 'https://iop/c/1' })).toEqual({
      kind: 'delivered',
      location: 'https://iop/c/1',
    });
  });

  test('keeps the IOP message of a rejection for the operator', () => {
    const outcome = classifyAnswer({ httpStatus: 400, body: envelope(2001, 'total_cost mismatch'), location: null });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'HTTP 400, OCPI 2001 total_cost mismatch' });
  });

  test('a redirect names where it pointed; a 413 says the CDR is too large', () => {
    expect(classifyAnswer({ httpStatus: 308, body: undefined, location: 'https://elsewhere/cdrs' })).toEqual({
      kind: 'rejected',
      reason: 'HTTP 308: a redirect to https://elsewhere/cdrs, never followed',
    });
    expect(classifyAnswer({ httpStatus: 413, body: undefined, location: null })).toEqual({
      kind: 'rejected',
      reason: 'HTTP 413: the CDR is larger than the receiver, or a proxy before it, takes',
    });
  });

  test('raises a credentials alert on 401 and 403, and retries', () => {
    for (const httpStatus of [401, 403]) {
      expect(classifyAnswer({ httpStatus, body: undefined, location: null })).toMatchObject({
        kind: 'retry',
        credentialsAlert: true,
      });
    }
  });

  test('an unparseable 2xx leaves the outcome unknown: the IOP may have stored it', () => {
    expect(classifyAnswer({ httpStatus: 200, body: undefined, location: null })).toMatchObject({ unknownOutcome: true });
  });

  test.each([
    ["a proxy's 502", { httpStatus: 502, body: undefined, location: null }],
    ["a proxy's 504", { httpStatus: 504, body: '<html>Gateway Timeout</html>', location: null }],
    ['a 502 with an OCPI 3000', { httpStatus: 502, body: envelope(3000, 'bad gateway'), location: null }],
    ["a hub's OCPI 4002 (forwarded, answer timed out)", { httpStatus: 200, body: envelope(4002, 'timeout'), location: null }],
    ['OCPI 4002 with HTTP 504', { httpStatus: 504, body: envelope(4002, 'timeout'), location: null }],
  ])('%s leaves the outcome unknown: the receiver may hold the CDR, so it is looked up before any re-POST', (_name, answer) => {
    expect(classifyAnswer(answer)).toMatchObject({ kind: 'retry', unknownOutcome: true });
  });

  test.each([200, 400, 404, 308, 413, 502])(
    'a hub status code with HTTP %i is never parked: the head is retried with the hub code',
    (httpStatus) => {
      for (const code of [4000, 4001, 4002, 4003]) {
        expect(classifyAnswer({ httpStatus, body: envelope(code, 'hub says'), location: null })).toMatchObject({
          kind: 'retry',
          hubStatus: code,
        });
      }
    },
  );

  test('4001 names what to check, and like 4003 says the CDR went nowhere; 4000 may have been forwarded', () => {
    const unknownReceiver = classifyAnswer({ httpStatus: 200, body: envelope(4001, 'unknown receiver'), location: null });
    expect(unknownReceiver).toMatchObject({ unknownOutcome: false });
    expect(unknownReceiver.kind === 'retry' && unknownReceiver.reason).toMatch(
      /OCPI 4001 unknown receiver: .*--to-party \(GIREVE: FR\*007, pre-production FR\*107\)/,
    );
    expect(classifyAnswer({ httpStatus: 200, body: envelope(4003, 'not connected'), location: null })).toMatchObject({
      unknownOutcome: false,
    });
    expect(classifyAnswer({ httpStatus: 500, body: envelope(4000, 'hub error'), location: null })).toMatchObject({ unknownOutcome: true });
  });

  test('a wrong To party alerts at once, a hub error once it lasts, a forwarded timeout never', () => {
    expect(raisesHubAlert(4001, 1)).toBe(true);
    expect(raisesHubAlert(4003, HUB_ALERT_AFTER_ATTEMPTS - 1)).toBe(false);
    expect(raisesHubAlert(4003, HUB_ALERT_AFTER_ATTEMPTS)).toBe(true);
    expect(raisesHubAlert(4000, HUB_ALERT_AFTER_ATTEMPTS)).toBe(true);
    expect(raisesHubAlert(4002, 50)).toBe(false);
    expect(raisesHubAlert(null, 50)).toBe(false);
  });

  test("quotes the receiver's status_message without control characters, at most STATUS_MESSAGE_MAX characters", () => {
    const hostile = `refused\r\n\u001b[31mFAKE LOG LINE\u001b[0m ${'x'.repeat(500)}`;
    const outcome = classifyAnswer({ httpStatus: 400, body: envelope(2001, hostile), location: null });
    expect(outcome.kind).toBe('rejected');
    const reason = outcome.kind === 'rejected' ? outcome.reason : '';
    expect(reason).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(reason.startsWith('HTTP 400, OCPI 2001 refused [31mFAKE LOG LINE [0m x')).toBe(true);
    expect(reason.length).toBeLessThanOrEqual('HTTP 400, OCPI 2001 '.length + STATUS_MESSAGE_MAX + 3);
    expect(printableMessage('fine as it is')).toBe('fine as it is');
  });

  test('a 500 or a 503 from the receiver itself is retried as not taken', () => {
    for (const httpStatus of [500, 503]) {
      expect(classifyAnswer({ httpStatus, body: envelope(3000, 'internal'), location: null })).toMatchObject({ unknownOutcome: false });
    }
  });
});

describe('classifyNetworkError', () => {
  test('a refused connection never reached the IOP', () => {
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toMatchObject({
      kind: 'retry',
      unknownOutcome: false,
    });
  });

  test.each([
    ['headers timeout', Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })],
    ['abort signal timeout', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })],
    ['reset', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })],
    ['wrapped reset', new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })],
  ])('a %s leaves the outcome unknown', (_name, error) => {
    expect(classifyNetworkError(error)).toMatchObject({ kind: 'retry', unknownOutcome: true });
  });
});
