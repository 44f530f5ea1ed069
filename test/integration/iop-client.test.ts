/** The IOP client against a real HTTP mock on loopback: headers, deadlines, outcomes. */
import { createIopClient, type IopClient } from '../../src/iop/iop-client';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { iopConfig } from '../../src/config/index';
import { answerOcpiSuccess, startHttpRecorder, type HttpRecorder } from '../support/http-recorder';

let mock: MockIop;
let iop: IopClient;
beforeAll(async () => {
  mock = await startMockIop();
  iop = createIopClient({
    cdrsUrl: mock.cdrsUrl,
    token: mock.token,
    checkUrlTemplate: `${mock.cdrsUrl}/{cdr_id}`,
    requestTimeoutMs: 300,
  });
});
afterAll(async () => {
  await iop.close();
  await mock.close();
});
beforeEach(() => mock.control({ behaviour: 'accept', failNext: 0, latencyMs: 0, withLocation: false, rejectIds: [] }));

const cdr = (id: string) => ({ id, total_cost: 1.5 });

test('POSTs with the token and counts HTTP 200 + OCPI 1000 as delivered', async () => {
  expect(await iop.postCdr(cdr('c1'))).toEqual({ kind: 'delivered', location: null });
  expect(mock.received.at(-1)?.cdr).toEqual(cdr('c1'));
});

test('keeps the Location the IOP returns', async () => {
  mock.control({ withLocation: true });
  expect(await iop.postCdr(cdr('c2'))).toEqual({ kind: 'delivered', location: `${mock.cdrsUrl}/c2` });
});

test('a wrong token gets a credentials alert, not a rejection', async () => {
  const wrong = createIopClient({ cdrsUrl: mock.cdrsUrl, token: 'wrong', checkUrlTemplate: '{cdr_id}', requestTimeoutMs: 300 });
  try {
    expect(await wrong.postCdr(cdr('c3'))).toMatchObject({ kind: 'retry', credentialsAlert: true });
  } finally {
    await wrong.close();
  }
});

test.each([
  ['http500', { kind: 'retry', unknownOutcome: false }],
  ['ocpi3000', { kind: 'retry', unknownOutcome: false }],
  ['timeout', { kind: 'retry', unknownOutcome: true }],
  ['store-then-timeout', { kind: 'retry', unknownOutcome: true }],
  ['drop', { kind: 'retry', unknownOutcome: true }],
  ['reject', { kind: 'rejected' }],
] as const)('an IOP answering %s gives %o', async (behaviour, expected) => {
  mock.control({ behaviour });
  expect(await iop.postCdr(cdr(`b-${behaviour}`))).toMatchObject(expected);
});

test('gives up on a slow IOP at the deadline', async () => {
  mock.control({ latencyMs: 1_000 });
  const started = Date.now();
  expect(await iop.postCdr(cdr('slow'))).toMatchObject({ kind: 'retry', unknownOutcome: true });
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('a refused connection is retried without doubt about the outcome', async () => {
  const closed = createIopClient({
    cdrsUrl: 'http://127.0.0.1:1/cdrs',
    token: 't',
    checkUrlTemplate: 'http://127.0.0.1:1/cdrs/{cdr_id}',
    requestTimeoutMs: 300,
  });
  try {
    expect(await closed.postCdr(cdr('x'))).toMatchObject({ kind: 'retry', unknownOutcome: false });
    expect(await closed.getCdr('http://127.0.0.1:1/cdrs/x')).toBeUndefined();
  } finally {
    await closed.close();
  }
});

test('reads a CDR back at its check URL', async () => {
  await iop.postCdr(cdr('check-me'));
  const answer = await iop.getCdr(iop.checkUrl('check-me', null));
  expect(answer).toMatchObject({ httpStatus: 200, body: { status_code: 1000, data: cdr('check-me') } });
  expect(iop.checkUrl('a/b', null)).toBe(`${mock.cdrsUrl}/a%2Fb`);
});

describe('the configured IOP URL', () => {
  test('POSTs exactly to IOP_CDRS_URL, a trailing slash included, and checks at {cdr_id} below it', async () => {
    // Like many web frameworks, this receiver routes only `/cdrs/` and redirects `/cdrs` there.
    const receiver = await startHttpRecorder((req, res, baseUrl) => {
      if (req.url === '/cdrs') return void res.writeHead(307, { location: `${baseUrl}/cdrs/` }).end();
      answerOcpiSuccess(res, req.method === 'GET' ? { id: 'slash-1' } : {});
    });
    const client = createIopClient(iopConfig({ IOP_CDRS_URL: `${receiver.baseUrl}/cdrs/`, IOP_TOKEN: 'slash-token' }));
    try {
      expect(await client.postCdr(cdr('slash-1'))).toEqual({ kind: 'delivered', location: null });
      expect(client.checkUrl('slash-1', null)).toBe(`${receiver.baseUrl}/cdrs/slash-1`);
      expect(await client.getCdr(client.checkUrl('slash-1', null))).toMatchObject({ httpStatus: 200 });
      expect(receiver.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /cdrs/', 'GET /cdrs/slash-1']);
    } finally {
      await client.close();
      await receiver.close();
    }
  });
});

describe('Location and redirects: the token goes to the configured IOP origin only', () => {
  let otherHost: HttpRecorder;
  const warnings: Array<{ message: string; meta: Record<string, unknown> | undefined }> = [];
  let watched: IopClient;
  beforeAll(async () => {
    otherHost = await startHttpRecorder((_req, res) => answerOcpiSuccess(res, { id: 'stolen' }));
    watched = createIopClient(
      { cdrsUrl: mock.cdrsUrl, token: mock.token, checkUrlTemplate: `${mock.cdrsUrl}/{cdr_id}`, requestTimeoutMs: 300 },
      { log: { warn: (message, meta) => void warnings.push({ message, meta }) } },
    );
  });
  afterAll(async () => {
    await watched?.close();
    await otherHost?.close();
  });
  beforeEach(() => {
    warnings.length = 0;
  });

  test('a Location on the IOP origin is where the CDR is checked, a relative one resolved against IOP_CDRS_URL', async () => {
    mock.control({ withLocation: true });
    const outcome = await watched.postCdr(cdr('here'));
    expect(outcome).toEqual({ kind: 'delivered', location: `${mock.cdrsUrl}/here` });
    expect(watched.checkUrl('here', `${mock.cdrsUrl}/here`)).toBe(`${mock.cdrsUrl}/here`);
    expect(watched.checkUrl('here', '/ocpi/emsp/2.1.1/cdrs/here')).toBe(`${mock.cdrsUrl}/here`);
    expect(warnings).toEqual([]);
  });

  test.each([
    ['another port', () => `${otherHost.baseUrl}/cdrs/elsewhere`],
    ['another scheme', () => `${mock.baseUrl.replace('http:', 'https:')}/ocpi/emsp/2.1.1/cdrs/elsewhere`],
    ['another host', () => 'https://iop.attacker.example/cdrs/elsewhere'],
    ['no URL at all', () => 'http://[not a url'],
  ])('a Location on %s is not used: the check goes to the template, and a warning says why without the token', (_name, location) => {
    expect(watched.checkUrl('elsewhere', location())).toBe(`${mock.cdrsUrl}/elsewhere`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/Location .*not on the IOP's origin/);
    expect(warnings[0]?.meta).toMatchObject({ cdrId: 'elsewhere', checkUrl: `${mock.cdrsUrl}/elsewhere` });
    expect(JSON.stringify(warnings)).not.toContain(mock.token);
  });

  test('never sends the token to a URL on another origin, even when asked to GET it', async () => {
    expect(await watched.getCdr(`${otherHost.baseUrl}/cdrs/x`)).toBeUndefined();
    expect(otherHost.requests).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/not on the IOP's origin/)]);
    expect(JSON.stringify(warnings)).not.toContain(mock.token);
  });

  test("the check URL template's origin is the IOP's too", async () => {
    const split = createIopClient({
      cdrsUrl: mock.cdrsUrl,
      token: mock.token,
      checkUrlTemplate: `${otherHost.baseUrl}/check/{cdr_id}`,
      requestTimeoutMs: 300,
    });
    try {
      expect(split.checkUrl('c', `${otherHost.baseUrl}/loc/c`)).toBe(`${otherHost.baseUrl}/loc/c`);
      expect(await split.getCdr(split.checkUrl('c', null))).toMatchObject({ httpStatus: 200 });
      expect(otherHost.requests).toEqual([{ method: 'GET', path: '/check/c', authorization: `Token ${mock.token}` }]);
    } finally {
      await split.close();
      otherHost.requests.length = 0;
    }
  });

  // A redirect would meet every POST of the CDR unchanged: it parks the CDR (rejected, naming
  // where it pointed, re-sendable) instead of holding its lane forever (issue 23, item 4).
  test('a 307 to another origin is not followed: the CDR is parked naming the redirect, and that host never sees the token', async () => {
    const redirecting = await startHttpRecorder((_req, res) => {
      res.writeHead(307, { location: `${otherHost.baseUrl}/cdrs` }).end();
    });
    const client = createIopClient({
      cdrsUrl: `${redirecting.baseUrl}/cdrs`,
      token: 'redirect-token',
      checkUrlTemplate: `${redirecting.baseUrl}/cdrs/{cdr_id}`,
      requestTimeoutMs: 300,
    });
    try {
      expect(await client.postCdr(cdr('r1'))).toEqual({
        kind: 'rejected',
        reason: `HTTP 307: a redirect to ${otherHost.baseUrl}/cdrs, never followed`,
      });
      expect(await client.getCdr(client.checkUrl('r1', null))).toMatchObject({ httpStatus: 307 });
      expect(redirecting.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /cdrs', 'GET /cdrs/r1']);
      expect(otherHost.requests).toEqual([]);
    } finally {
      await client.close();
      await redirecting.close();
    }
  });
});

describe('cancelling a request (an AbortSignal from the caller, e.g. a cancelled activity)', () => {
  let patient: IopClient;
  beforeAll(() => {
    patient = createIopClient({
      cdrsUrl: mock.cdrsUrl,
      token: mock.token,
      checkUrlTemplate: `${mock.cdrsUrl}/{cdr_id}`,
      requestTimeoutMs: 5_000,
    });
  });
  afterAll(async () => {
    await patient?.close();
  });
  const abortAfter = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    return controller.signal;
  };

  test('a POST cancelled on the wire stops at once and is retried as cancelled, its outcome unknown', async () => {
    mock.control({ latencyMs: 2_000 });
    const started = Date.now();
    expect(await patient.postCdr(cdr('cancelled'), abortAfter(100))).toEqual({
      kind: 'retry',
      reason: 'cancelled',
      unknownOutcome: true,
      credentialsAlert: false,
      hubStatus: null,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('a POST whose signal was aborted before it started sends nothing', async () => {
    const posts = mock.postCount();
    expect(await patient.postCdr(cdr('never-sent'), AbortSignal.abort())).toMatchObject({ kind: 'retry', reason: 'cancelled' });
    expect(mock.postCount()).toBe(posts);
  });

  test('the deadline still counts as a timeout when the caller passes a signal', async () => {
    mock.control({ latencyMs: 1_000 });
    const outcome = await iop.postCdr(cdr('late'), new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'timed out waiting for the IOP', unknownOutcome: true });
  });

  test('a check GET cancelled on the wire stops at once with no answer', async () => {
    await patient.postCdr(cdr('to-check'));
    mock.control({ latencyMs: 2_000 });
    const started = Date.now();
    expect(await patient.getCdr(patient.checkUrl('to-check', null), abortAfter(100))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
