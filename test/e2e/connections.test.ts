/**
 * Each CPO party delivers through its own connection (table `connections`, set up with the
 * CLI as an operator would): its own receiver, token and OCPI version; a party without one
 * uses the IOP_* receiver. Real dev server, Postgres, CLI processes and HTTP.
 */
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { findCdr } from '../../src/store/cdr-repo';
import { cdr221Schema } from '../../src/ocpi/v221/cdr';
import { operatorCliOf } from '../support/operator-cli';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

const suite = usePipeline();
let hubA: MockIop;
let hubB: MockIop;
const partyA = randomParty();
const partyB = randomParty();
const partyC = randomParty();
const operator = (party: { country_code: string; party_id: string }) => `${party.country_code}*${party.party_id}`;

beforeAll(async () => {
  hubA = await startMockIop({ token: 'token-of-party-a' });
  hubB = await startMockIop({ token: 'token-of-party-b', ocpiVersion: '2.2.1' });
});
afterAll(async () => {
  await hubA?.close();
  await hubB?.close();
});

const operators = operatorCliOf(suite);
const cli = (args: string[]) => operators.connection(args);
const operatorCli = (args: string[]) => operators.run(args);
const tokenFile = (name: string, token: string) => operators.tokenFile(name, token);

test('operators add a connection per party with the CLI; listings never show a token', async () => {
  const addA = await cli([
    'add',
    operator(partyA),
    '--name',
    'gireve',
    '--cdrs-url',
    hubA.cdrsUrl,
    '--token-file',
    tokenFile('a', hubA.token),
  ]);
  expect(addA.stderr).toBe('');
  expect(addA.code).toBe(0);
  const addB = await cli([
    'add',
    operator(partyB),
    '--name',
    'gireve',
    '--version',
    '2.2.1',
    '--cdrs-url',
    hubB.cdrsUrl,
    '--token-file',
    tokenFile('b', hubB.token),
    '--json',
  ]);
  expect(addB.code).toBe(0);
  expect(JSON.parse(addB.stdout)).toMatchObject({ name: 'gireve', ocpiVersion: '2.2.1', enabled: true, cdrsUrl: hubB.cdrsUrl });

  const list = await cli(['list']);
  expect(list.code).toBe(0);
  expect(list.stdout).toContain(`${operator(partyA)}/gireve`);
  expect(list.stdout).toMatch(new RegExp(`${operator(partyB).replace('*', '\\*')}/gireve\\s+OCPI 2\\.2\\.1\\s+enabled`));
  for (const output of [list.stdout, addA.stdout, addB.stdout]) {
    expect(output).not.toContain(hubA.token);
    expect(output).not.toContain(hubB.token);
  }

  // `default` names the IOP_* receiver: no connection may take it.
  const reserved = await cli([
    'add',
    operator(partyA),
    '--name',
    'default',
    '--cdrs-url',
    hubB.cdrsUrl,
    '--token-file',
    tokenFile('a2', 'other'),
  ]);
  expect(reserved.code).not.toBe(0);
  expect(reserved.stderr).toMatch(/--name: must not be "default"/);
});

test("each party's CDRs go to its own receiver with its own token, in order; a party without one uses IOP_*", async () => {
  const sessionsA = simulatedSessions(4, 'conn-a', partyA);
  const sessionsB = simulatedSessions(4, 'conn-b', partyB);
  const sessionsC = simulatedSessions(3, 'conn-c', partyC);
  const started = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, [...sessionsA, ...sessionsB, ...sessionsC]);
  const results = await resultsOf(suite.pipeline.client, started);
  expect(results.map((result) => result.status)).toEqual(Array(11).fill('delivered'));

  const [ofA, ofB, ofC] = [started.slice(0, 4), started.slice(4, 8), started.slice(8)];
  expectDeliveredOnceInOrder(hubA.received, ofA);
  expectDeliveredOnceInOrder(hubB.received, ofB);
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, ofC);
  expect(hubA.received).toHaveLength(4);
  expect(hubB.received).toHaveLength(4);
  expect(suite.pipeline.iop.received.filter((cdr) => [...ofA, ...ofB].some((s) => s.cdrId === cdr.id))).toEqual([]);

  // Party B's receiver speaks 2.2.1: it got 2.2.1 CDRs, with the request and routing headers.
  for (const received of hubB.received) {
    expect(cdr221Schema.safeParse(received.cdr).success).toBe(true);
    expect(received.cdr).toMatchObject({ country_code: partyB.country_code, party_id: partyB.party_id });
    expect(received.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.headers['ocpi-from-country-code']).toBe(partyB.country_code);
    expect(received.headers['ocpi-from-party-id']).toBe(partyB.party_id);
    // To the eMSP that owns the token (the session's cdr_token): the hub routes on it.
    expect([received.headers['ocpi-to-country-code'], received.headers['ocpi-to-party-id']]).toEqual(['FR', 'GIR']);
    expect(received.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  }
  // Checked back in the form that was sent.
  const rowB = await findCdr(suite.db.pool, { ...partyB, id: ofB[0]!.cdrId });
  expect(rowB?.check_status).toBe('match');
  expect(rowB?.cdr_221).toEqual(hubB.received[0]!.cdr);
});

test('a credit CDR cancels a sent 2.2.1 CDR: it reaches the receiver after it, once; 2.1.1 parties are refused', async () => {
  const original = hubB.received[0]!;
  const credited = await operatorCli(['credit', operator(partyB), original.id, '--reason', 'wrong tariff applied', '--json']);
  expect(credited.stderr).toBe('');
  const credit = JSON.parse(credited.stdout) as { creditCdrId: string; issued: boolean };
  expect(credit).toMatchObject({ creditCdrId: `${original.id}-C`, creditOf: original.id, issued: true });
  const arrived = await waitFor('the credit CDR at the 2.2.1 receiver', () => hubB.received.find((cdr) => cdr.id === credit.creditCdrId));
  expect(hubB.received.findIndex((cdr) => cdr.id === credit.creditCdrId)).toBeGreaterThan(
    hubB.received.findIndex((cdr) => cdr.id === original.id),
  );
  const totalCost = original.cdr.total_cost as { excl_vat: number; incl_vat?: number };
  expect(arrived.cdr).toMatchObject({
    credit: true,
    credit_reference_id: original.id,
    remark: 'wrong tariff applied',
    total_cost: { excl_vat: -totalCost.excl_vat },
  });
  expect(cdr221Schema.safeParse(arrived.cdr).success).toBe(true);
  await waitFor(
    'the credit to be recorded as sent',
    async () => (await findCdr(suite.db.pool, { ...partyB, id: credit.creditCdrId }))?.status === 'sent',
  );
  // Stored with no 2.1.1 form (SQL NULL), so the 2.1.1 pull never serves it.
  const forms = await suite.db.pool.query<{ no_211: boolean; credit_of: string }>(
    'SELECT cdr IS NULL AS no_211, credit_of FROM cdrs WHERE id = $1',
    [credit.creditCdrId],
  );
  expect(forms.rows).toEqual([{ no_211: true, credit_of: original.id }]);

  // Once: a second run of the command queues nothing.
  const again = await operatorCli(['credit', operator(partyB), original.id, '--reason', 'wrong tariff applied', '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ issued: false, status: 'sent' });
  // Nothing of it is left on the queue to be sent again.
  const drained = JSON.parse((await operatorCli(['queue', operator(partyB), '--json'])).stdout) as { depth: number };
  expect(drained.depth).toBe(0);
  expect(hubB.received.filter((cdr) => cdr.id === credit.creditCdrId)).toHaveLength(1);
  // The session's own CDR is still what status shows for it.
  const status = await operatorCli(['status', operator(partyB), String(original.cdr.session_id), '--json']);
  expect(JSON.parse(status.stdout)).toMatchObject({ cdrId: original.id, status: 'sent', connection: 'gireve, OCPI 2.2.1' });
  const queue = await operatorCli(['queue', operator(partyB), '--json']);
  expect(JSON.parse(queue.stdout)).toMatchObject({ connection: 'gireve, OCPI 2.2.1', depth: 0 });
  const queueC = await operatorCli(['queue', operator(partyC), '--json']);
  expect(JSON.parse(queueC.stdout)).toMatchObject({ connection: 'default (IOP_*), OCPI 2.1.1' });

  const refused = await operatorCli(['credit', operator(partyA), hubA.received[0]!.id, '--reason', 'wrong tariff']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/no OCPI 2\.2\.1 receiver took it, and OCPI 2\.1\.1 has no credit CDRs/);
});

test('a session without what 2.2.1 needs, for a party on 2.2.1, is an invalid CDR naming the missing fields', async () => {
  const [input] = simulatedSessions(1, 'conn-b-211-only', partyB);
  delete (input as { cdr_token?: unknown }).cdr_token;
  const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, [input!]);
  const [result] = await resultsOf(suite.pipeline.client, [started!]);
  expect(result).toMatchObject({ status: 'invalid' });
  expect((result as { errors: string[] }).errors.join('\n')).toMatch(/cdr_token.*required/);
  const row = await findCdr(suite.db.pool, { ...partyB, id: started!.cdrId });
  expect(row?.status).toBe('invalid');
});

test('a party whose connections are all disabled holds its CDRs (never the shared IOP_* receiver); removing the last hands it back to IOP_*', async () => {
  const disabled = await cli(['disable', operator(partyA), 'gireve']);
  expect(disabled.code).toBe(0);
  expect(disabled.stdout).toMatch(/with none left enabled they wait for its connections \(never the shared IOP_\* receiver\)/);
  const [held] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'conn-a-held', partyA));
  const report = await waitFor('the queue to say why it waits', async () => {
    const queue = JSON.parse((await operatorCli(['queue', operator(partyA), '--json'])).stdout) as {
      currentError: string | null;
      connection: string;
    };
    return queue.currentError?.includes('is disabled') ? queue : undefined;
  });
  expect(report.connection).toBe('gireve, OCPI 2.1.1, disabled: its CDRs wait');
  expect(hubA.received.map((cdr) => cdr.id)).not.toContain(held!.cdrId);
  expect(suite.pipeline.iop.received.map((cdr) => cdr.id)).not.toContain(held!.cdrId);

  const removed = await cli(['remove', operator(partyA), 'gireve']);
  expect(removed.stdout).toMatch(/the 1 CDRs that waited for it go through IOP_\* now/);
  const after = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'conn-a-after', partyA));
  await resultsOf(suite.pipeline.client, [held!, ...after]);
  expectDeliveredOnceInOrder(suite.pipeline.iop.received, [held!, ...after]);
  expect(hubA.received).toHaveLength(4);
});

test("a receiver added while a POST's outcome is unknown: the CDR is looked up where it went, and the new receiver gets only later CDRs", async () => {
  const partyD = randomParty();
  const [oldHub, newHub] = await Promise.all([startMockIop({ token: 'old-token' }), startMockIop({ token: 'new-token' })]);
  try {
    expect(
      (await cli(['add', operator(partyD), '--name', 'old', '--cdrs-url', oldHub.cdrsUrl, '--token-file', tokenFile('d1', 'old-token')]))
        .code,
    ).toBe(0);
    // The old receiver stores the CDR but never answers, and then answers lookups unclearly: the outcome stays unknown.
    oldHub.control({ behaviour: 'store-then-timeout', checkBehaviour: 'http500' });
    const [first] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'conn-d-first', partyD));
    await waitFor('the old receiver to hold the CDR', () => oldHub.received.some((cdr) => cdr.id === first!.cdrId));
    await waitFor('a lookup at the old receiver', () => oldHub.checkCount() > 0);

    const added = await cli([
      'add',
      operator(partyD),
      '--name',
      'new',
      '--cdrs-url',
      newHub.cdrsUrl,
      '--token-file',
      tokenFile('d2', 'new-token'),
      '--json',
    ]);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'new', enabled: true, backfilled: 0 });
    expect(JSON.parse((await cli(['list', operator(partyD), '--json'])).stdout)).toMatchObject([
      { name: 'new', enabled: true },
      { name: 'old', enabled: true },
    ]);
    oldHub.control({ behaviour: 'accept', checkBehaviour: 'normal' });

    const later = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'conn-d-later', partyD));
    const results = await resultsOf(suite.pipeline.client, [first!, ...later]);
    expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // The first was found at the old receiver (never POSTed twice), and the new one never got it.
    expect(oldHub.received.filter((cdr) => cdr.id === first!.cdrId)).toHaveLength(1);
    expectDeliveredOnceInOrder(oldHub.received, [first!, ...later]);
    expectDeliveredOnceInOrder(newHub.received, later);
    expect(newHub.received.map((cdr) => cdr.id)).not.toContain(first!.cdrId);
    const row = await findCdr(suite.db.pool, { ...partyD, id: first!.cdrId });
    expect(row).toMatchObject({ status: 'sent', post_connection: 'old', check_status: 'match' });
  } finally {
    await Promise.all([oldHub.close(), newHub.close()]);
  }
});
