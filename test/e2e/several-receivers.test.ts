/**
 * One party, several receivers (GIREVE on OCPI 2.1.1 and an eMSP on 2.2.1, each a
 * connection added with the CLI): every CDR reaches each receiver once, in hand-in order,
 * each in its own lane, so a receiver that is down delays no other. A credit CDR goes to
 * the 2.2.1 receiver after the CDR it cancels; a receiver added later gets only later CDRs,
 * unless it is backfilled. Real dev server, Postgres, CLI processes and HTTP.
 */
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { cdr221Schema } from '../../src/ocpi/v221/cdr';
import { cdrSchema } from '../../src/ocpi/v211/cdr';
import { findCdr } from '../../src/store/cdr-repo';
import { operatorCliOf } from '../support/operator-cli';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
import { randomParty, usePipeline, waitFor } from '../support/temporal';

const suite = usePipeline();
const party = randomParty();
const operator = `${party.country_code}*${party.party_id}`;
let gireve: MockIop;
let emsp: MockIop;
let late: MockIop;

beforeAll(async () => {
  [gireve, emsp, late] = await Promise.all([
    startMockIop({ token: 'gireve-token' }),
    startMockIop({ token: 'emsp-token', ocpiVersion: '2.2.1' }),
    startMockIop({ token: 'late-token' }),
  ]);
});
afterAll(async () => {
  await Promise.all([gireve?.close(), emsp?.close(), late?.close()]);
});

const operators = operatorCliOf(suite);
const connectionCli = (args: string[]) => operators.connection(args);
const operatorCli = (args: string[]) => operators.run(args);
const tokenFile = (name: string, token: string) => operators.tokenFile(name, token);

interface QueueLane {
  connection: string;
  depth: number;
  activity: string | null;
  currentError: string | null;
}

async function lanes(): Promise<QueueLane[]> {
  const queue = await operatorCli(['queue', operator, '--json']);
  return (JSON.parse(queue.stdout) as { lanes: QueueLane[] }).lanes;
}

let handedInAt: Date;
let firstCdrs: Awaited<ReturnType<typeof handIn>>;

test('two receivers of one party, one not answering: the other gets every CDR in order, undelayed; the down one gets them all once it is back', async () => {
  const addGireve = await connectionCli([
    'add',
    operator,
    '--name',
    'gireve',
    '--cdrs-url',
    gireve.cdrsUrl,
    '--token-file',
    tokenFile('g', gireve.token),
  ]);
  expect(addGireve.stderr).toBe('');
  const addEmsp = await connectionCli([
    'add',
    operator,
    '--name',
    'emsp',
    '--version',
    '2.2.1',
    '--cdrs-url',
    emsp.cdrsUrl,
    '--token-file',
    tokenFile('e', emsp.token),
  ]);
  expect(addEmsp.stderr).toBe('');
  expect((await connectionCli(['list', operator])).stdout.split('\n').filter((line) => line.includes('enabled'))).toHaveLength(2);

  // The eMSP never answers (each POST waits out the request timeout): its lane waits, GIREVE's does not.
  emsp.control({ behaviour: 'timeout' });
  handedInAt = new Date(Date.now() - 1_000);
  const sessions = simulatedSessions(5, 'fan-out', party);
  firstCdrs = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, sessions);

  // GIREVE gets all five, in order, while the eMSP keeps failing.
  await waitFor('GIREVE to hold the five CDRs', () => (gireve.received.length >= 5 ? true : undefined));
  expectDeliveredOnceInOrder(gireve.received, firstCdrs);
  expect(emsp.received).toEqual([]);
  for (const received of gireve.received) expect(cdrSchema.safeParse(received.cdr).success).toBe(true);

  // Operators see each lane: GIREVE drained, the eMSP retrying its head with all five waiting.
  const during = await waitFor('the eMSP lane to show its retries', async () => {
    const now = await lanes();
    return now.find((lane) => lane.connection === 'emsp')?.activity === 'retrying' ? now : undefined;
  });
  expect(during.find((lane) => lane.connection === 'gireve')).toMatchObject({ depth: 0 });
  expect(during.find((lane) => lane.connection === 'emsp')).toMatchObject({
    depth: 5,
    currentError: expect.stringMatching(/timed out|not re-sent yet|settling/),
  });
  // A session's CDR is settled once every receiver has it: still waiting for the eMSP.
  const waiting = await suite.pipeline.client.workflow.getHandle(firstCdrs[0]!.workflowId).describe();
  expect(waiting.status.name).toBe('RUNNING');
  expect((await findCdr(suite.db.pool, { ...party, id: firstCdrs[0]!.cdrId }))?.status).toBe('queued');

  emsp.control({ behaviour: 'accept' });
  const results = await resultsOf(suite.pipeline.client, firstCdrs);
  expect(results.map((result) => result.status)).toEqual(Array(5).fill('delivered'));
  expectDeliveredOnceInOrder(emsp.received, firstCdrs);
  expectDeliveredOnceInOrder(gireve.received, firstCdrs);
  expect(gireve.received).toHaveLength(5);
  expect(emsp.received).toHaveLength(5);
  // Each receiver in its own version (and with its own token: a mock IOP answers 401 to any other).
  for (const received of emsp.received) expect(cdr221Schema.safeParse(received.cdr).success).toBe(true);

  const status = JSON.parse((await operatorCli(['status', operator, sessions[0]!.session.id, '--json'])).stdout) as {
    status: string;
    deliveries: { connection: string; status: string }[];
  };
  expect(status.status).toBe('sent');
  expect(status.deliveries.map((delivery) => [delivery.connection, delivery.status])).toEqual([
    ['emsp', 'sent'],
    ['gireve', 'sent'],
  ]);
  const after = await lanes();
  // Oldest connection first.
  expect(after.map((lane) => [lane.connection, lane.depth])).toEqual([
    ['gireve', 0],
    ['emsp', 0],
  ]);
});

test('a credit CDR goes to the 2.2.1 receiver that took the CDR, after it, once; the 2.1.1 receiver gets none', async () => {
  const original = firstCdrs[0]!;
  const credited = await operatorCli(['credit', operator, original.cdrId, '--reason', 'wrong tariff', '--json']);
  expect(credited.stderr).toBe('');
  expect(JSON.parse(credited.stdout)).toMatchObject({
    creditCdrId: `${original.cdrId}-C`,
    issued: true,
    receivers: ['emsp'],
    notCredited: ['gireve'],
  });
  await waitFor('the credit at the eMSP', () => emsp.received.find((cdr) => cdr.id === `${original.cdrId}-C`));
  const ids = emsp.received.map((cdr) => cdr.id);
  expect(ids.indexOf(`${original.cdrId}-C`)).toBeGreaterThan(ids.indexOf(original.cdrId));
  await waitFor('the credit to be recorded as sent', async () =>
    (await findCdr(suite.db.pool, { ...party, id: `${original.cdrId}-C` }))?.status === 'sent' ? true : undefined,
  );
  expect(emsp.received.filter((cdr) => cdr.id === `${original.cdrId}-C`)).toHaveLength(1);
  expect(gireve.received.map((cdr) => cdr.id)).not.toContain(`${original.cdrId}-C`);
});

test('a receiver added later gets only the CDRs handed in after, unless backfilled: then the earlier ones first, in order', async () => {
  const bad = await connectionCli([
    'add',
    operator,
    '--name',
    'late',
    '--cdrs-url',
    late.cdrsUrl,
    '--token-file',
    tokenFile('l', late.token),
    '--backfill-from',
    'yesterday',
  ]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--backfill-from: must be an ISO 8601 date/);

  const added = await connectionCli([
    'add',
    operator,
    '--name',
    'late',
    '--cdrs-url',
    late.cdrsUrl,
    '--token-file',
    tokenFile('l', late.token),
    '--backfill-from',
    handedInAt.toISOString(),
  ]);
  expect(added.stderr).toBe('');
  // Four of the five CDRs: the first was credited (test above), and a credited CDR and its
  // credit cancel out, so a new receiver gets neither (a 2.1.1 one would bill a cancelled session).
  expect(added.stdout).toMatch(/4 CDRs stored since .* queued for it; 2 credit CDRs and CDRs they cancel, stored since, were left out/);
  const uncredited = firstCdrs.slice(1);
  expect((await operatorCli(['resume', operator])).code).toBe(0);
  await waitFor('the backfilled CDRs at the late receiver', () => (late.received.length >= 4 ? true : undefined));
  expectDeliveredOnceInOrder(late.received, uncredited);

  const later = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'fan-out-later', party));
  const results = await resultsOf(suite.pipeline.client, later);
  expect(results.map((result) => result.status)).toEqual(['delivered', 'delivered']);
  expectDeliveredOnceInOrder(late.received, [...uncredited, ...later]);
  expectDeliveredOnceInOrder(gireve.received, [...firstCdrs, ...later]);
  expect(late.received).toHaveLength(6);
  expect(gireve.received).toHaveLength(7);
  expect(emsp.received.filter((cdr) => !cdr.id.endsWith('-C'))).toHaveLength(7);
});

test('a disabled receiver gets no new CDRs and holds what waited for it; removed, what waited is not sent there and settles with the others', async () => {
  late.control({ behaviour: 'http500' });
  const [waited] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'fan-out-late-down', party));
  await waitFor('the others to take it', () =>
    gireve.received.some((cdr) => cdr.id === waited!.cdrId) && emsp.received.some((cdr) => cdr.id === waited!.cdrId) ? true : undefined,
  );
  expect((await connectionCli(['disable', operator, 'late'])).code).toBe(0);
  late.control({ behaviour: 'accept' });

  // Handed in while it is disabled: the other two take it, and its session is done.
  const [skipped] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'fan-out-no-late', party));
  expect(await resultsOf(suite.pipeline.client, [skipped!])).toMatchObject([{ status: 'delivered' }]);
  const held = await waitFor('the late lane to say why it holds', async () => {
    const lane = (await lanes()).find((one) => one.connection === 'late');
    return lane?.currentError?.includes('is disabled') ? lane : undefined;
  });
  expect(held.depth).toBe(1);
  expect(late.received.map((cdr) => cdr.id)).not.toContain(waited!.cdrId);

  const removed = await connectionCli(['remove', operator, 'late']);
  expect(removed.stdout).toMatch(
    new RegExp(`${operator.replace('*', '\\*')}/late removed; the 1 CDRs that waited for it will not be sent there`),
  );
  expect((await operatorCli(['resume', operator])).code).toBe(0);
  expect(await resultsOf(suite.pipeline.client, [waited!])).toMatchObject([{ status: 'delivered' }]);
  expect(late.received.map((cdr) => cdr.id)).not.toContain(waited!.cdrId);
  expect(late.received.map((cdr) => cdr.id)).not.toContain(skipped!.cdrId);
  expect((await lanes()).map((lane) => lane.connection)).toEqual(['gireve', 'emsp']);
  const row = await findCdr(suite.db.pool, { ...party, id: waited!.cdrId });
  expect(row?.status).toBe('sent');
});

test('a receiver enabled again with --backfill-from gets the CDRs handed in while it was disabled, once', async () => {
  expect((await connectionCli(['disable', operator, 'emsp'])).code).toBe(0);
  const disabledAt = new Date(Date.now() - 1_000);
  const [meanwhile] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'while-emsp-off', party));
  expect(await resultsOf(suite.pipeline.client, [meanwhile!])).toMatchObject([{ status: 'delivered' }]);
  expect(emsp.received.map((cdr) => cdr.id)).not.toContain(meanwhile!.cdrId);

  const enabled = await connectionCli(['enable', operator, 'emsp', '--backfill-from', disabledAt.toISOString()]);
  expect(enabled.stderr).toBe('');
  expect(enabled.stdout).toMatch(/1 CDRs stored since .* queued for it/);
  expect((await operatorCli(['recover', operator])).code).toBe(0);
  await waitFor('the backfilled CDR at the eMSP', () => emsp.received.find((cdr) => cdr.id === meanwhile!.cdrId));
  await waitFor('it to read sent again', async () =>
    (await findCdr(suite.db.pool, { ...party, id: meanwhile!.cdrId }))?.status === 'sent' ? true : undefined,
  );
  expect(emsp.received.filter((cdr) => cdr.id === meanwhile!.cdrId)).toHaveLength(1);
  expect(gireve.received.filter((cdr) => cdr.id === meanwhile!.cdrId)).toHaveLength(1);
});

test('refused by one receiver and taken by another: the session reads rejected, and the copy taken is checked back and creditable', async () => {
  gireve.control({ behaviour: 'reject' });
  try {
    const [mixed] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(1, 'half-refused', party));
    const [result] = await resultsOf(suite.pipeline.client, [mixed!]);
    expect(result).toMatchObject({ status: 'rejected', check: expect.stringMatching(/^match/) });
    const status = JSON.parse((await operatorCli(['status', operator, 'half-refused-0', '--json'])).stdout) as { takenBy: string[] };
    expect(status.takenBy).toEqual(['emsp']);
    const credit = await operatorCli(['credit', operator, mixed!.cdrId, '--reason', 'refused by gireve', '--json']);
    expect(credit.stderr).toBe('');
    expect(JSON.parse(credit.stdout)).toMatchObject({ issued: true, receivers: ['emsp'] });
    await waitFor('the credit at the eMSP', () => emsp.received.find((cdr) => cdr.id === `${mixed!.cdrId}-C`));
  } finally {
    gireve.control({ behaviour: 'accept' });
  }
});

test("a party's first connection gets the CDRs handed in after it; those that waited for IOP_* still go there", async () => {
  const partyF = randomParty();
  const operatorF = `${partyF.country_code}*${partyF.party_id}`;
  const own = await startMockIop({ token: 'own-token' });
  try {
    suite.pipeline.iop.control({ behaviour: 'http500' });
    const before = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'first-connection-before', partyF));
    await waitFor('IOP_* to be retried', async () => {
      const queue = JSON.parse((await operatorCli(['queue', operatorF, '--json'])).stdout) as { activity: string | null };
      return queue.activity === 'retrying' ? true : undefined;
    });
    const added = await connectionCli([
      'add',
      operatorF,
      '--name',
      'own',
      '--cdrs-url',
      own.cdrsUrl,
      '--token-file',
      tokenFile('f', own.token),
    ]);
    expect(added.stderr).toBe('');
    const after = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'first-connection-after', partyF));
    // The new receiver does not wait for IOP_*.
    await waitFor('its own receiver to hold the later CDRs', () => (own.received.length >= 2 ? true : undefined));
    expectDeliveredOnceInOrder(own.received, after);
    suite.pipeline.iop.control({ behaviour: 'accept' });
    expect((await resultsOf(suite.pipeline.client, [...before, ...after])).map((result) => result.status)).toEqual(
      Array(4).fill('delivered'),
    );
    expectDeliveredOnceInOrder(suite.pipeline.iop.received, before);
    expect(suite.pipeline.iop.received.map((cdr) => cdr.id)).not.toContain(after[0]!.cdrId);
    expect(own.received.map((cdr) => cdr.id)).not.toContain(before[0]!.cdrId);
  } finally {
    suite.pipeline.iop.control({ behaviour: 'accept' });
    await own.close();
  }
});
