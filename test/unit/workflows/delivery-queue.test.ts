import { initialQueueState } from '../../../workflows/definitions';
import { DeliveryQueue, RECENTLY_FINISHED_LIMIT } from '../../../workflows/delivery-queue';

const party = { country_code: 'FR', party_id: 'ABC' };
const newQueue = () => new DeliveryQueue(initialQueueState(party));
const ids = (queue: DeliveryQueue) => queue.snapshot().entries.map((entry) => entry.cdrId);

describe('DeliveryQueue', () => {
  test('keeps CDRs in the order they were enqueued', () => {
    const queue = newQueue();
    for (const id of ['a', 'b', 'c']) queue.enqueue({ cdrId: id, sessionId: `s-${id}` }, 1);
    expect(ids(queue)).toEqual(['a', 'b', 'c']);
  });

  test('a CDR enqueued twice is queued once', () => {
    const queue = newQueue();
    expect(queue.enqueue({ cdrId: 'a', sessionId: 's' }, 1)).toBe(true);
    expect(queue.enqueue({ cdrId: 'a', sessionId: 's' }, 2)).toBe(false);
    expect(ids(queue)).toEqual(['a']);
  });

  test('a stored notice does not move a CDR: a slow build keeps its place', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'slow', sessionId: 's1' }, 1);
    queue.enqueue({ cdrId: 'fast', sessionId: 's2' }, 2);
    queue.markStored({ cdrId: 'fast', sessionId: 's2', valid: true }, 3);
    expect(queue.headReady).toBe(false);
    expect(queue.head?.cdrId).toBe('slow');
    queue.markStored({ cdrId: 'slow', sessionId: 's1', valid: true }, 4);
    expect(queue.headReady).toBe(true);
    expect(ids(queue)).toEqual(['slow', 'fast']);
  });

  test('a stored notice for a CDR never enqueued queues it at the tail, ready', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'a', sessionId: 's1' }, 1);
    queue.markStored({ cdrId: 'orphan', sessionId: 's2', valid: true }, 2);
    expect(ids(queue)).toEqual(['a', 'orphan']);
    expect(queue.snapshot().entries[1]?.stored).toBe(true);
  });

  test('an invalid CDR leaves the queue and is never sent', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'bad', sessionId: 's1' }, 1);
    queue.enqueue({ cdrId: 'good', sessionId: 's2' }, 1);
    queue.markStored({ cdrId: 'bad', sessionId: 's1', valid: false }, 2);
    expect(ids(queue)).toEqual(['good']);
  });

  test('a finished CDR enqueued again late is ignored', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'a', sessionId: 's' }, 1);
    queue.finish('a');
    expect(queue.enqueue({ cdrId: 'a', sessionId: 's' }, 2)).toBe(false);
    queue.markStored({ cdrId: 'a', sessionId: 's', valid: true }, 3);
    expect(ids(queue)).toEqual([]);
  });

  test('offers the run of stored CDRs from the head, stopping at the first one not stored', () => {
    const queue = newQueue();
    for (const id of ['a', 'b', 'c', 'd']) queue.enqueue({ cdrId: id, sessionId: `s-${id}` }, 1);
    for (const id of ['a', 'b', 'd']) queue.markStored({ cdrId: id, sessionId: `s-${id}`, valid: true }, 2);
    expect(queue.readyRun(10).map((e) => e.cdrId)).toEqual(['a', 'b']);
    expect(queue.readyRun(1).map((e) => e.cdrId)).toEqual(['a']);
    queue.paused = true;
    expect(queue.readyRun(10)).toEqual([]);
  });

  test('a dropped entry (its session never got a workflow) is queued again when handed in again', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'orphan', sessionId: 's1' }, 1);
    queue.recordHeadFailure('x', false);
    queue.drop('orphan');
    expect(queue.status()).toMatchObject({ depth: 0, headAttempts: 0 });
    expect(queue.enqueue({ cdrId: 'orphan', sessionId: 's1' }, 2)).toBe(true);
  });

  test('pausing holds a ready head', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'a', sessionId: 's' }, 1);
    queue.markStored({ cdrId: 'a', sessionId: 's', valid: true }, 1);
    queue.paused = true;
    expect(queue.headReady).toBe(false);
    queue.paused = false;
    expect(queue.headReady).toBe(true);
  });

  test('failures count against the head only, and reset when it leaves', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'a', sessionId: 's1' }, 1);
    queue.enqueue({ cdrId: 'b', sessionId: 's2' }, 1);
    queue.recordHeadFailure('HTTP 500', false);
    queue.recordHeadFailure('timed out', true);
    expect(queue.status()).toMatchObject({ headAttempts: 2, headLastError: 'timed out' });
    expect(queue.headOutcomeUnknown).toBe(true);
    queue.finish('a');
    expect(queue.status()).toMatchObject({ depth: 1, headAttempts: 0, headLastError: null });
    expect(queue.headOutcomeUnknown).toBe(false);
  });

  test('a re-sent CDR goes back to the tail, ready', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'rejected', sessionId: 's1' }, 1);
    queue.enqueue({ cdrId: 'next', sessionId: 's2' }, 1);
    queue.finish('rejected');
    queue.requeue({ cdrId: 'rejected', sessionId: 's1' }, 5);
    expect(ids(queue)).toEqual(['next', 'rejected']);
    expect(queue.snapshot().recentlyFinished).not.toContain('rejected');
  });

  test('remembers a bounded number of finished ids', () => {
    const queue = newQueue();
    for (let i = 0; i < RECENTLY_FINISHED_LIMIT + 10; i++) {
      queue.enqueue({ cdrId: `c${i}`, sessionId: `s${i}` }, i);
      queue.finish(`c${i}`);
    }
    expect(queue.snapshot().recentlyFinished).toHaveLength(RECENTLY_FINISHED_LIMIT);
    expect(queue.enqueue({ cdrId: 'c0', sessionId: 's0' }, 0)).toBe(true);
  });

  test('a snapshot rebuilds the same queue after continue-as-new', () => {
    const queue = newQueue();
    queue.enqueue({ cdrId: 'a', sessionId: 's1' }, 1);
    queue.enqueue({ cdrId: 'b', sessionId: 's2' }, 2);
    queue.finish('a');
    const next = new DeliveryQueue(JSON.parse(JSON.stringify(queue.snapshot())));
    expect(ids(next)).toEqual(['b']);
    expect(next.enqueue({ cdrId: 'a', sessionId: 's1' }, 3)).toBe(false);
    expect(next.enqueue({ cdrId: 'b', sessionId: 's2' }, 3)).toBe(false);
  });
});
