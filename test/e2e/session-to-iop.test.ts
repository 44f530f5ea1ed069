/**
 * End to end on real parts: real Temporal dev server, real Postgres, real HTTP to a mock
 * IOP. Ended sessions become CDRs delivered to the IOP in hand-in order.
 */
import { startCdr } from '../../src/client/start-cdr';
import {
  handIn as handInSessions,
  partyOfWorkflow,
  resultOf as resultOfWorkflow,
  simulatedSessions,
  type SessionEndedInputs,
} from '../support/sessions';
import { findCdr } from '../../src/store/cdr-repo';
import { validateCdr } from '../../src/cdr/validate/validate-cdr';
import { startApiServer } from '../../src/api/server';
import { apiConfig } from '../../src/config/index';
import { usePipeline, waitFor } from '../support/temporal';

const suite = usePipeline();

beforeEach(() => suite.pipeline.iop.control({ behaviour: 'accept', failNext: 0, rejectIds: [], latencyMs: 0 }));

const sessions = (count: number, prefix: string) => simulatedSessions(count, prefix);
const handIn = (inputs: SessionEndedInputs) => handInSessions(suite.pipeline.client, suite.pipeline.taskQueue, inputs);
const resultOf = (workflowId: string) => resultOfWorkflow(suite.pipeline.client, workflowId);

test('delivers N valid CDRs to the IOP in the order the sessions were handed in', async () => {
  const started = await handIn(sessions(12, 'e2e'));
  const results = await Promise.all(started.map((s) => resultOf(s.workflowId)));
  expect(results.map((r) => r.status)).toEqual(Array(12).fill('delivered'));

  const receivedIds = suite.pipeline.iop.received.map((r) => r.id).filter((id) => started.some((s) => s.cdrId === id));
  expect(receivedIds).toEqual(started.map((s) => s.cdrId));
  for (const received of suite.pipeline.iop.received) expect(validateCdr(received.cdr).valid).toBe(true);

  const row = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[0]!.workflowId), id: started[0]!.cdrId });
  expect(row?.status).toBe('sent');
  expect(row?.sent_at).toBeInstanceOf(Date);

  // GIREVE pulls the same CDRs back, 5 per page, following Link until there is none.
  const config = apiConfig({ API_PORT: '0', OCPI_TOKENS: 'pull-token' });
  const api = await startApiServer({ pool: suite.db.pool, config });
  config.baseUrl = api.url; // known once it listens; used in Link
  try {
    const pulled: Array<{ id: string; total_energy: number }> = [];
    let next: string | undefined = `${api.url}/ocpi/cpo/2.1.1/cdrs?limit=5`;
    let pages = 0;
    while (next) {
      const response = await fetch(next, {
        headers: { authorization: 'Token pull-token' },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: Array<{ id: string; total_energy: number }>; status_code: number };
      expect(body.status_code).toBe(1000);
      pulled.push(...body.data);
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      pages++;
    }
    expect(pages).toBe(3);
    expect(pulled.map((cdr) => cdr.id).sort()).toEqual(started.map((s) => s.cdrId).sort());
    const sentById = new Map(suite.pipeline.iop.received.map((r) => [r.id, r.cdr]));
    for (const cdr of pulled) expect(cdr).toEqual(sentById.get(cdr.id));
  } finally {
    await api.close();
  }
});

test('holds CDRs while the IOP fails, then delivers them in FIFO order, none lost or duplicated', async () => {
  suite.pipeline.iop.control({ failNext: 6, failNextBehaviour: 'http500' });
  const first = await handIn(sessions(3, 'outage-a'));
  await waitFor('the IOP to refuse a few POSTs', () => suite.pipeline.iop.postCount() > 0 && true);
  suite.pipeline.iop.control({ failNext: 4, failNextBehaviour: 'timeout' });
  const second = await handIn(sessions(3, 'outage-b'));
  const all = [...first, ...second];
  const results = await Promise.all(all.map((s) => resultOf(s.workflowId)));
  expect(results.map((r) => r.status)).toEqual(Array(6).fill('delivered'));

  const ids = new Set(all.map((s) => s.cdrId));
  const received = suite.pipeline.iop.received.map((r) => r.id).filter((id) => ids.has(id));
  // Each party's CDRs arrive in hand-in order; the two parties' queues are independent.
  expect(received.filter((id) => first.some((s) => s.cdrId === id))).toEqual(first.map((s) => s.cdrId));
  expect(received.filter((id) => second.some((s) => s.cdrId === id))).toEqual(second.map((s) => s.cdrId));
  expect(received).toHaveLength(6);
  const headRow = await findCdr(suite.db.pool, { ...partyOfWorkflow(first[0]!.workflowId), id: first[0]!.cdrId });
  expect(headRow?.attempts).toBeGreaterThan(1);
});

test('starting the same session twice yields one CDR', async () => {
  const [input] = sessions(1, 'twice');
  const once = await startCdr(suite.pipeline.client, input, { taskQueue: suite.pipeline.taskQueue });
  const again = await startCdr(suite.pipeline.client, input, { taskQueue: suite.pipeline.taskQueue });
  expect(again).toEqual({ ...once, alreadyStarted: true });
  await resultOf(once.workflowId);
  const afterFirstResult = await startCdr(suite.pipeline.client, input, { taskQueue: suite.pipeline.taskQueue });
  expect(afterFirstResult.alreadyStarted).toBe(true);
  const count = await suite.db.pool.query('SELECT count(*) FROM cdrs WHERE id = $1', [once.cdrId]);
  expect(count.rows[0].count).toBe(1);
  expect(suite.pipeline.iop.received.filter((r) => r.id === once.cdrId)).toHaveLength(1);
});

test('a terminated session workflow does not block its queue: its CDR is still delivered in its place', async () => {
  suite.pipeline.iop.control({ behaviour: 'http500' });
  const started = await handIn(sessions(3, 'terminated'));
  const middle = started[1]!;
  const party = partyOfWorkflow(middle.workflowId);
  await waitFor('the middle CDR to be stored', async () => (await findCdr(suite.db.pool, { ...party, id: middle.cdrId })) !== undefined);
  await suite.pipeline.client.workflow.getHandle(middle.workflowId).terminate('operator test');
  suite.pipeline.iop.control({ behaviour: 'accept' });

  const last = await resultOf(started[2]!.workflowId);
  expect(last.status).toBe('delivered');
  const ids = new Set(started.map((s) => s.cdrId));
  expect(suite.pipeline.iop.received.map((r) => r.id).filter((id) => ids.has(id))).toEqual(started.map((s) => s.cdrId));
  expect((await findCdr(suite.db.pool, { ...party, id: middle.cdrId }))?.status).toBe('sent');
});

test('an invalid CDR is stored with its reasons, never posted, and the queue moves on', async () => {
  const [bad, good] = sessions(2, 'invalid');
  // 30 kWh in total (within what the connector can deliver in the hour it charged, so the
  // edge takes it), but the periods add up to 5 kWh: the totals contradict each other.
  const broken = { ...bad!, session: { ...bad!.session, kwh: 30 } };
  const [badStarted, goodStarted] = await handIn([broken, good!]);
  const badResult = await resultOf(badStarted!.workflowId);
  expect(badResult.status).toBe('invalid');
  expect(badResult.status === 'invalid' && badResult.errors.join('\n')).toMatch(/^total_energy: must equal the sum/m);
  expect((await resultOf(goodStarted!.workflowId)).status).toBe('delivered');
  const row = await findCdr(suite.db.pool, { ...partyOfWorkflow(badStarted!.workflowId), id: badStarted!.cdrId });
  expect(row?.status).toBe('invalid');
  expect(row?.validation_errors?.[0]).toMatch(/total_energy/);
  expect(suite.pipeline.iop.received.some((r) => r.id === badStarted!.cdrId)).toBe(false);
});

test('a CDR the IOP rejects is parked as rejected and does not block the CDRs behind it', async () => {
  const inputs = sessions(3, 'rejected');
  const started = await handIn(inputs);
  suite.pipeline.iop.control({ rejectIds: [started[1]!.cdrId] });
  const results = await Promise.all(started.map((s) => resultOf(s.workflowId)));
  expect(results.map((r) => r.status)).toEqual(['delivered', 'rejected', 'delivered']);
  const row = await findCdr(suite.db.pool, { ...partyOfWorkflow(started[1]!.workflowId), id: started[1]!.cdrId });
  expect(row?.status).toBe('rejected');
  expect(row?.last_error).toMatch(/OCPI 2001/);
});
