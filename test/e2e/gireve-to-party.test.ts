/**
 * GIREVE takes every OCPI 2.2.1 request addressed to itself (OCPI-to-* = FR*007, pre-production
 * FR*107) and answers 4001 to any other To. Two CPO parties on one GIREVE-mode receiver, set
 * up with the CLI: without --to-party the lane holds (nothing lost), with it every request
 * (POST and check-back) names the hub. Real dev server, Postgres, CLI processes and HTTP.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { findCdr } from '../../src/store/cdr-repo';
import { findPartyConnections } from '../../src/store/connection-repo';
import { operatorCliOf } from '../support/operator-cli';
import { HUB_ALERT_AFTER_ATTEMPTS } from '../../src/iop/delivery-outcome';
import { expectDeliveredOnceInOrder, handIn, resultOf, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

const suite = usePipeline();
let gireve: MockIop;
const [first, second] = [randomParty(), randomParty()];
const operator = (party: { country_code: string; party_id: string }) => `${party.country_code}*${party.party_id}`;
const operators = operatorCliOf(suite);

beforeAll(async () => {
  gireve = await startMockIop({ token: 'one-token-for-the-platform', ocpiVersion: '2.2.1', hubParty: 'FR*107' });
});
afterAll(() => gireve?.close());

const addGireve = (party: { country_code: string; party_id: string }, extra: string[] = []) =>
  operators.connection([
    'add',
    operator(party),
    '--name',
    'gireve',
    '--version',
    '2.2.1',
    '--cdrs-url',
    gireve.cdrsUrl,
    '--token-file',
    operators.tokenFile(`t-${party.party_id}`, gireve.token),
    ...extra,
  ]);

test('a --to-party that is not a party id is refused, naming the option and the rule', async () => {
  const bad = await addGireve(first, ['--to-party', 'GIREVE']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--to-party: must be a country code and a party id, like FR\*007/);
});

test('addressed to the eMSP, GIREVE answers 4001 and the lane holds; addressed to GIREVE, both parties drain in order', async () => {
  const added = await addGireve(first);
  expect(added.stderr).toBe('');
  expect(added.stdout).toMatch(/--to-party FR\*007 \(pre-production FR\*107\)/);
  const heldSessions = simulatedSessions(2, 'to-eMSP', first);
  const held = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, heldSessions);
  await waitFor('the lane to say the hub refused the To party', async () => {
    const queue = JSON.parse((await operators.run(['queue', operator(first), '--json'])).stdout) as { currentError: string | null };
    return queue.currentError?.includes('4001') ? true : undefined;
  });
  expect(gireve.received).toHaveLength(0);
  // The operator reads the hub's code and message, what to check, and that it is an alert.
  const holding = JSON.parse((await operators.run(['queue', operator(first), '--json'])).stdout) as { currentError: string };
  expect(holding.currentError).toMatch(
    /OCPI 4001 unknown receiver .*check the connection's --to-party \(GIREVE: FR\*007, pre-production FR\*107\) \[hub alert\]/,
  );
  const status = await operators.run(['status', operator(first), heldSessions[0]!.session.id]);
  expect(status.stdout).toMatch(/OCPI 4001 .*--to-party.*\[hub alert\]/);

  const updated = await operators.connection(['update', operator(first), 'gireve', '--to-party', 'FR*107']);
  expect(updated.stderr).toBe('');
  expect(updated.stdout).toMatch(/to FR\*107/);
  expect((await operators.run(['resume', operator(first)])).code).toBe(0);
  expect((await addGireve(second, ['--to-party', 'fr*107'])).code).toBe(0);
  const more = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'to-hub', second));

  const results = await resultsOf(suite.pipeline.client, [...held, ...more]);
  expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  expectDeliveredOnceInOrder(
    gireve.received.filter((cdr) => cdr.cdr.party_id === first.party_id),
    held,
  );
  expectDeliveredOnceInOrder(
    gireve.received.filter((cdr) => cdr.cdr.party_id === second.party_id),
    more,
  );
  for (const received of gireve.received) {
    expect([received.headers['ocpi-to-country-code'], received.headers['ocpi-to-party-id']]).toEqual(['FR', '107']);
    expect(received.headers['ocpi-from-party-id']).toBe(received.cdr.party_id);
  }
  // The check-back went to GIREVE too: addressed elsewhere it would have met 4001, not the CDR.
  for (const [party, started] of [
    [first, held[0]!],
    [second, more[0]!],
  ] as const) {
    expect((await findCdr(suite.db.pool, { ...party, id: started.cdrId }))?.check_status).toBe('match');
  }
  const queue = JSON.parse((await operators.run(['queue', operator(second), '--json'])).stdout) as { connection: string };
  expect(queue.connection).toBe('gireve, OCPI 2.2.1, to FR*107');
});

test('a 4002 after GIREVE stored the CDR: one look-up, no second POST; a 4003 that lasts raises a hub alert, and the lane drains in order', async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  const [postsBefore, checksBefore] = [gireve.postCount(), gireve.checkCount()];
  gireve.control({ failNext: 1, failNextBehaviour: 'store-then-4002' });
  const [forwarded] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'fwd-timeout', party));
  expect((await resultOf(suite.pipeline.client, forwarded!.workflowId)).status).toBe('delivered');
  await waitFor(
    'the check-back',
    async () => (await findCdr(suite.db.pool, { ...party, id: forwarded!.cdrId }))?.check_status ?? undefined,
  );
  expect(gireve.postCount() - postsBefore).toBe(1);
  // One look-up before the re-POST it made unnecessary, one check-back after delivery.
  expect(gireve.checkCount() - checksBefore).toBe(2);

  gireve.control({ failNext: HUB_ALERT_AFTER_ATTEMPTS, failNextBehaviour: 'hub4003' });
  const unreachable = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'not-connected', party));
  const results = await resultsOf(suite.pipeline.client, unreachable);
  expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered']);
  const stored = await findCdr(suite.db.pool, { ...party, id: unreachable[0]!.cdrId });
  expect(stored?.attempts).toBe(HUB_ALERT_AFTER_ATTEMPTS + 1);
  expect(stored?.last_error).toMatch(/OCPI 4003 .*cannot reach the receiving party.*\[hub alert\]/);
  // Every attempt is a request of its own, with a fresh X-Request-ID (retries included).
  const posts = gireve.requests.filter((request) => request.method === 'POST' && request.headers['ocpi-from-party-id'] === party.party_id);
  const requestIds = posts.map((request) => request.headers['x-request-id']);
  expect(requestIds.length).toBeGreaterThanOrEqual(HUB_ALERT_AFTER_ATTEMPTS + 1);
  expect(new Set(requestIds).size).toBe(requestIds.length);
  expectDeliveredOnceInOrder(
    gireve.received.filter((cdr) => cdr.cdr.party_id === party.party_id),
    [forwarded!, ...unreachable],
  );
});

test("toward GIREVE a malformed RFID uid makes the CDR invalid, stored with GIREVE's rule; the lane goes on in order", async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  const sessions = simulatedSessions(3, 'uid', party);
  sessions[1]!.cdr_token!.uid = 'BADGE 42';
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions);
  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((result) => result.status)).toEqual(['delivered', 'invalid', 'delivered']);
  const refused = await findCdr(suite.db.pool, { ...party, id: started[1]!.cdrId });
  expect(refused?.status).toBe('invalid');
  expect(refused?.validation_errors).toEqual([
    expect.stringMatching(/cdr_token\.uid: must be the RFID UID in hex, 8 or 14 characters.*GIREVE refuses a malformed RFID uid/),
  ]);
  expectDeliveredOnceInOrder(
    gireve.received.filter((cdr) => cdr.cdr.party_id === party.party_id),
    [started[0]!, started[2]!],
  );
});

test('a check-back that GIREVE answers with its own session id and authorization reference reads match (ids replaced by the hub)', async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  gireve.control({ replaceIdsOnCheck: true });
  try {
    const sessions = simulatedSessions(1, 'ids-replaced', party);
    const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions);
    expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('delivered');
    const checked = await waitFor(
      'the check-back',
      async () => (await findCdr(suite.db.pool, { ...party, id: started!.cdrId }))?.check_status ?? undefined,
    );
    expect(checked).toBe('match_ids_replaced');
    const status = JSON.parse((await operators.run(['status', operator(party), sessions[0]!.session.id, '--json'])).stdout) as {
      check: string;
    };
    expect(status.check).toMatch(/^match_ids_replaced: match \(ids replaced by the hub: .*session_id\)$/);
  } finally {
    gireve.control({ replaceIdsOnCheck: false });
  }
});

test('a credit toward GIREVE says first that GIREVE does not process credits yet, and still goes, once', async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'credited', party));
  expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('delivered');
  const credit = await operators.run(['credit', operator(party), started!.cdrId, '--reason', 'wrong tariff']);
  expect(credit.code).toBe(0);
  expect(credit.stderr).toMatch(
    /^warning: GIREVE does not process credit CDRs yet: the credit still goes to gireve \(once\), but tell the eMSP/,
  );
  const creditId = `${started!.cdrId}-C`;
  await waitFor('the credit at GIREVE', () => gireve.received.some((cdr) => cdr.id === creditId) || undefined);
  expect(gireve.received.filter((cdr) => cdr.id === creditId)).toHaveLength(1);
});

test('a second connection of a party to GIREVE is refused with the switch to make; --allow-same-hub allows it', async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  const again = await operators.connection([
    'add',
    operator(party),
    '--name',
    'gireve-again',
    '--version',
    '2.2.1',
    '--cdrs-url',
    gireve.cdrsUrl,
    '--token-file',
    operators.tokenFile(`again-${party.party_id}`, gireve.token),
    '--to-party',
    'FR*107',
  ]);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toMatch(
    /connection gireve \(OCPI 2\.2\.1\) already delivers to this hub .*Switch that connection instead \(cdrflow connection update/,
  );
  const listed = await operators.connection(['list', operator(party), '--json']);
  expect((JSON.parse(listed.stdout) as { name: string }[]).map((connection) => connection.name)).toEqual(['gireve']);
  const allowed = await operators.connection([
    'add',
    operator(party),
    '--name',
    'gireve-again',
    '--version',
    '2.2.1',
    '--cdrs-url',
    gireve.cdrsUrl,
    '--token-file',
    operators.tokenFile(`again2-${party.party_id}`, gireve.token),
    '--to-party',
    'FR*107',
    '--allow-same-hub',
  ]);
  expect(allowed.code).toBe(0);
});

test("rotate-token gives every party's connection to GIREVE the new token at once, no restart; other connections keep theirs", async () => {
  const [one, two, direct] = [randomParty(), randomParty(), randomParty()];
  for (const party of [one, two]) expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  expect((await addGireve(direct)).code).toBe(0); // addressed to each CDR's eMSP: not GIREVE's
  const rotate = (token: string) =>
    operators.connection(['rotate-token', '--to-party', 'FR*107', '--token-file', operators.tokenFile(`rotate-${token}`, token), '--json']);
  const rotated = await rotate('the-next-platform-token');
  expect(rotated.stderr).toBe('');
  const names = (JSON.parse(rotated.stdout) as { rotated: string[] }).rotated;
  expect(names).toEqual(expect.arrayContaining([`${operator(one)}/gireve`, `${operator(two)}/gireve`]));
  expect(names).not.toContain(`${operator(direct)}/gireve`);
  const tokenOf = async (party: { country_code: string; party_id: string }) => (await findPartyConnections(suite.db.pool, party))[0]!.token;
  expect(await tokenOf(one)).toBe('the-next-platform-token');
  expect(await tokenOf(two)).toBe('the-next-platform-token');
  expect(await tokenOf(direct)).toBe(gireve.token);

  // The running worker sends the new token (this mock still wants the old one: 401), then the old one again.
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'rotated', one));
  await waitFor('the new token refused', async () => {
    const queue = JSON.parse((await operators.run(['queue', operator(one), '--json'])).stdout) as { currentError: string | null };
    return queue.currentError?.includes('[credentials alert]') ? true : undefined;
  });
  expect((await rotate(gireve.token)).code).toBe(0);
  expect((await resultsOf(suite.pipeline.client, started)).map((result) => result.status)).toEqual(['delivered']);
  expect(
    (await operators.connection(['rotate-token', '--to-party', 'FR*999', '--token-file', operators.tokenFile('none', 'x')])).stderr,
  ).toMatch(/no connection is addressed to FR\*999/);
});

test('reissue sends the corrected CDR after its credit: the real session_id, a new stable id, once; refused before a credit and on OCPI 2.1.1', async () => {
  const party = randomParty();
  expect((await addGireve(party, ['--to-party', 'FR*107'])).code).toBe(0);
  const sessions = simulatedSessions(1, 'reissued', party);
  const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions);
  expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('delivered');
  const cdrId = started!.cdrId;
  expect((await operators.run(['reissue', operator(party), cdrId])).stderr).toMatch(/was not credited: cdrflow credit .* first/);

  expect((await operators.run(['credit', operator(party), cdrId, '--reason', 'wrong energy'])).code).toBe(0);
  const fixed = simulatedSessionEnded({ party, sessionId: sessions[0]!.session.id, start: new Date('2026-11-20T08:00:00Z'), kwh: 7.25 });
  const fixedFile = join(mkdtempSync(join(tmpdir(), 'cdrflow-reissue-')), 'fixed.json');
  writeFileSync(fixedFile, JSON.stringify(fixed));
  const reissued = await operators.run(['reissue', operator(party), cdrId, '--input', fixedFile, '--json']);
  expect(reissued.stderr).toBe('');
  const { reissueCdrId } = JSON.parse(reissued.stdout) as { reissueCdrId: string };
  expect(reissueCdrId).toMatch(/^[0-9a-f-]{36}$/);
  expect(reissueCdrId).not.toBe(cdrId);
  await waitFor('the re-issue at GIREVE', () => gireve.received.some((cdr) => cdr.id === reissueCdrId) || undefined);

  const ours = gireve.received.filter((cdr) => cdr.cdr.party_id === party.party_id);
  expect(ours.map((cdr) => cdr.id)).toEqual([cdrId, `${cdrId}-C`, reissueCdrId]);
  const corrected = ours[2]!.cdr;
  expect(corrected.session_id).toBe(sessions[0]!.session.id);
  expect(corrected.total_energy).toBe(7.25);
  expect(corrected.credit).toBeUndefined();

  const again = await operators.run(['reissue', operator(party), cdrId, '--input', fixedFile]);
  expect(again.stdout).toMatch(new RegExp(`re-issued before as ${reissueCdrId}`));
  await waitFor('the re-issue sent', async () =>
    (await findCdr(suite.db.pool, { ...party, id: reissueCdrId }))?.status === 'sent' ? true : undefined,
  );
  const status = JSON.parse((await operators.run(['status', operator(party), sessions[0]!.session.id, '--json'])).stdout) as {
    cdrId: string;
    chain: { id: string; kind: string; status: string }[];
  };
  expect(status.cdrId).toBe(cdrId);
  expect(status.chain).toEqual([
    { id: cdrId, kind: 'cdr', status: 'sent' },
    { id: `${cdrId}-C`, kind: 'credit', status: 'sent' },
    { id: reissueCdrId, kind: 'reissue', status: 'sent' },
  ]);
  expect(gireve.received.filter((cdr) => cdr.id === reissueCdrId)).toHaveLength(1);

  // A party on the OCPI 2.1.1 IOP_* receiver: no credit, hence no re-issue, and the error says why.
  const onIop211 = randomParty();
  const [plain] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'plain', onIop211));
  expect((await resultOf(suite.pipeline.client, plain!.workflowId)).status).toBe('delivered');
  expect((await operators.run(['reissue', operator(onIop211), plain!.cdrId])).stderr).toMatch(
    /OCPI 2\.1\.1 only, which has no credit CDRs/,
  );
});
