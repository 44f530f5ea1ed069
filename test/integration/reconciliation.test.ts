/**
 * Reconciliation with the hub (OCPI issue 332): sent CDRs of the recent window are looked
 * up at the IOP again; one the IOP no longer has is flagged and can be re-sent. Real
 * Postgres, the mock IOP over loopback HTTP.
 */
import { singleReceiverRouter } from '../../src/delivery/receiver-router';
import type { ReconcileVerdict } from '../../src/observability/delivery-observer';
import { findCdr, insertCdr, requeueRejectedCdr } from '../../src/store/cdr-repo';
import { markSent, readQueueHead } from '../support/deliveries';
import { startReconciliation, type ReconcileLog } from '../../src/worker/reconciliation';
import { useStack } from '../support/stack';

const stack = useStack({ iopClient: { requestTimeoutMs: 1_000 } });
let partyCount = 0;
const quiet: ReconcileLog = { warn: () => undefined, info: () => undefined };

beforeEach(async () => {
  stack.mockIop.control({ checkBehaviour: 'normal', latencyMs: 0 });
  // Each test walks only its own CDRs.
  await stack.db.pool.query(`UPDATE cdrs SET sent_at = now() - interval '30 days' WHERE status = 'sent'`);
});

const newParty = () => ({ country_code: 'FR', party_id: `R${String(partyCount++).padStart(2, '0')}` });

/** A CDR delivered `hoursAgo`; `heldByIop` puts it in the mock IOP's store. */
async function sentCdr(party: { country_code: string; party_id: string }, id: string, heldByIop: boolean, hoursAgo = 1): Promise<void> {
  const cdr = { id, total_cost: 1 };
  await insertCdr(stack.db.pool, { ...party, id, session_id: `s-${id}`, cdr, status: 'queued' });
  await markSent(stack.db.pool, { ...party, id }, null);
  await stack.db.pool.query(`UPDATE cdrs SET sent_at = now() - make_interval(hours => $2) WHERE id = $1`, [id, hoursAgo]);
  if (heldByIop) stack.mockIop.received.push({ id, cdr, receivedAt: new Date(), headers: {} });
}

function reconciliation(perSecond = 50) {
  const verdicts: Array<[string, ReconcileVerdict]> = [];
  const job = startReconciliation({
    pool: stack.db.pool,
    router: singleReceiverRouter(stack.iopClient),
    settings: { everyMs: 0, windowMs: 24 * 3_600_000, perSecond },
    log: quiet,
    observer: { attemptEnded: () => undefined, reconciled: (operator, verdict) => verdicts.push([operator, verdict]) },
  });
  return { job, verdicts };
}

test('a CDR the IOP no longer has is flagged missing and counted; CDRs it holds, or sent before the window, are left alone', async () => {
  const party = newParty();
  await sentCdr(party, 'kept-1', true);
  await sentCdr(party, 'lost-1', false);
  await sentCdr(party, 'kept-2', true);
  await sentCdr(party, 'old-lost', false, 48);
  const { job, verdicts } = reconciliation();
  const checksBefore = stack.mockIop.checkCount();

  expect(await job.runOnce()).toEqual({ walked: true, checked: 3, missing: 1, unclear: 0 });
  await job.stop();
  expect(stack.mockIop.checkCount() - checksBefore).toBe(3);
  expect(verdicts).toEqual([
    ['FR*R00', 'held'],
    ['FR*R00', 'missing'],
    ['FR*R00', 'held'],
  ]);
  expect(await findCdr(stack.db.pool, { ...party, id: 'lost-1' })).toMatchObject({ status: 'sent', check_status: 'missing' });
  expect((await findCdr(stack.db.pool, { ...party, id: 'lost-1' }))?.check_detail).toMatch(/cdrflow resend/);
  for (const id of ['kept-1', 'kept-2', 'old-lost']) {
    expect((await findCdr(stack.db.pool, { ...party, id }))?.check_status).toBeNull();
  }
});

test('an unclear answer (the IOP offers no GET, or fails) flags nothing', async () => {
  const party = newParty();
  await sentCdr(party, 'unclear-1', false);
  for (const checkBehaviour of ['bare404', 'http500', 'http429'] as const) {
    stack.mockIop.control({ checkBehaviour });
    const { job } = reconciliation();
    expect(await job.runOnce()).toMatchObject({ walked: true, checked: 1, missing: 0, unclear: 1 });
    await job.stop();
  }
  expect((await findCdr(stack.db.pool, { ...party, id: 'unclear-1' }))?.check_status).toBeNull();
});

test('one worker walks at a time, however many run the job', async () => {
  const party = newParty();
  for (let i = 0; i < 4; i++) await sentCdr(party, `both-${i}`, true);
  // Slow lookups, so the two walks would overlap.
  stack.mockIop.control({ latencyMs: 100 });
  const first = reconciliation();
  const second = reconciliation();
  const passes = await Promise.all([first.job.runOnce(), second.job.runOnce()]);
  await Promise.all([first.job.stop(), second.job.stop()]);
  expect(passes.map((pass) => pass.walked).sort()).toEqual([false, true]);
  expect(passes.find((pass) => pass.walked)?.checked).toBe(4);
});

test('a CDR flagged missing is re-sent by an operator: queued again at the tail, its flag cleared', async () => {
  const party = newParty();
  await sentCdr(party, 'gone', false);
  const { job } = reconciliation();
  await job.runOnce();
  await job.stop();
  expect(await requeueRejectedCdr(stack.db.pool, { ...party, id: 'gone' })).toEqual({ sessionId: 's-gone' });
  expect(await findCdr(stack.db.pool, { ...party, id: 'gone' })).toMatchObject({ status: 'queued', check_status: null });
  expect((await readQueueHead(stack.db.pool, party, 10)).map((entry) => entry.cdrId)).toEqual(['gone']);
  // A CDR the IOP still has is not re-sendable.
  await sentCdr(party, 'there', true);
  expect(await requeueRejectedCdr(stack.db.pool, { ...party, id: 'there' })).toBeUndefined();
});
