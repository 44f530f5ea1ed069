/**
 * GIREVE takes every OCPI 2.2.1 request addressed to itself (OCPI-to-* = FR*007, pre-production
 * FR*107) and answers 4001 to any other To. Two CPO parties on one GIREVE-mode receiver, set
 * up with the CLI: without --to-party the lane holds (nothing lost), with it every request
 * (POST and check-back) names the hub. Real dev server, Postgres, CLI processes and HTTP.
 */
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { findCdr } from '../../src/store/cdr-repo';
import { operatorCliOf } from '../support/operator-cli';
import { expectDeliveredOnceInOrder, handIn, resultsOf, simulatedSessions } from '../support/sessions';
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
  const held = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, simulatedSessions(2, 'to-eMSP', first));
  await waitFor('the lane to say the hub refused the To party', async () => {
    const queue = JSON.parse((await operators.run(['queue', operator(first), '--json'])).stdout) as { currentError: string | null };
    return queue.currentError?.includes('4001') ? true : undefined;
  });
  expect(gireve.received).toHaveLength(0);

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
