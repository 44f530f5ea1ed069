/**
 * `connection disable` while a delivery run is under way, on the real activity, Postgres and a
 * slow mock receiver over HTTP: the run stops after the POSTs already claimed, the rest of its
 * CDRs stay queued and unclaimed, and `remove` waits for the POST on the wire.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeliveryActivities } from '../../activities/delivery-activities';
import { postClaimLeaseMs } from '../../src/delivery/claim-lease';
import { createReceiverRouter } from '../../src/delivery/receiver-router';
import { createIopClient } from '../../src/iop/iop-client';
import { insertCdr } from '../../src/store/cdr-repo';
import { addConnection, removeConnection, updateConnection } from '../../src/store/connection-repo';
import { recordHandIns } from '../../src/store/queue-repo';
import type { DeliverRun } from '../../workflows/definitions';
import { deliveryRow } from '../support/deliveries';
import { useStack } from '../support/stack';
import { waitFor } from '../support/temporal';

const REQUEST_TIMEOUT_MS = 2_000;
const LEASE_MS = postClaimLeaseMs(REQUEST_TIMEOUT_MS);
const stack = useStack();
const party = { country_code: 'FR', party_id: 'DIS' };
const ids = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];

test('a disable stops the run under way after the POSTs it had claimed; remove waits for the one on the wire', async () => {
  // IOP_* (unused here) is a client of its own: closing the router closes it.
  const fallback = createIopClient({
    cdrsUrl: stack.mockIop.cdrsUrl,
    token: stack.mockIop.token,
    checkUrlTemplate: `${stack.mockIop.cdrsUrl}/{cdr_id}`,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const router = createReceiverRouter(stack.db.pool, fallback, { requestTimeoutMs: REQUEST_TIMEOUT_MS, retireAfterMs: LEASE_MS });
  try {
    await addConnection(stack.db.pool, {
      party,
      name: 'emsp',
      enabled: true,
      ocpiVersion: '2.1.1',
      cdrsUrl: stack.mockIop.cdrsUrl,
      token: stack.mockIop.token,
      checkUrlTemplate: null,
    });
    await recordHandIns(
      stack.db.pool,
      party,
      ids.map((id) => ({ cdrId: id, sessionId: `s-${id}`, at: Date.now() })),
    );
    for (const id of ids) await insertCdr(stack.db.pool, { ...party, id, session_id: `s-${id}`, cdr: { id }, status: 'queued' });
    // Each POST takes a while: the disable lands while the first is on the wire.
    stack.mockIop.control({ behaviour: 'accept', latencyMs: 400 });
    const delivery = createDeliveryActivities({
      pool: stack.db.pool,
      router,
      retry: { initialMs: 10, maxMs: 10 },
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      checkSettleMs: 0,
    });
    const environment = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', () => undefined) });
    const running = environment.run<[], DeliverRun, () => Promise<DeliverRun>>(() =>
      delivery.deliverCdrs({ party, reported: [], maxPosts: 20, head: null }),
    );
    const posted = () => stack.mockIop.received.map((cdr) => cdr.id).filter((id) => ids.includes(id));
    await waitFor('the first POST on the wire', async () =>
      (await deliveryRow(stack.db.pool, { ...party, id: 'd1' }, 'emsp'))?.post_owner ? true : undefined,
    );
    await updateConnection(stack.db.pool, party, 'emsp', { enabled: false });
    const removal = await removeConnection(stack.db.pool, party, 'emsp', LEASE_MS);
    expect(removal.outcome).toBe('in-flight');

    const run = await running;
    expect(run.end).toMatchObject({ kind: 'retry', reason: expect.stringContaining('is disabled') });
    // The one on the wire, and at most the next one, claimed while it was on the wire.
    expect(posted().length).toBeLessThanOrEqual(2);
    expect(posted()).toEqual(ids.slice(0, posted().length));
    for (const id of ids.slice(posted().length)) {
      expect(await deliveryRow(stack.db.pool, { ...party, id }, 'emsp')).toMatchObject({ status: 'queued', post_owner: null });
    }
    // Every outcome is written: the removal goes through now, and drops only what was not sent.
    expect(await removeConnection(stack.db.pool, party, 'emsp', LEASE_MS)).toEqual({
      outcome: 'removed',
      movedToDefault: 6 - posted().length,
      dropped: 0,
    });
  } finally {
    stack.mockIop.control({ latencyMs: 0 });
    await router.close();
  }
});
