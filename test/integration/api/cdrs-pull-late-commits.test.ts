/**
 * No pull misses a CDR that commits late. An insert's transaction may stay open after it
 * stamped `last_updated` (a slow commit, a busy server); a hub that pulls meanwhile and
 * next asks `date_from` = its previous pull's time (its own clock, or the newest
 * `last_updated` it saw: both are in use) must still get that CDR. Transactions are held
 * open on purpose here, on the real Postgres, through the real HTTP API.
 */
import type { PoolClient } from 'pg';
import { CDRS_PATH } from '../../../src/api/paths';
import type { Cdr } from '../../../src/ocpi/v211/cdr';
import { insertCdr, PULL_BARRIER_LOCK } from '../../../src/store/cdr-repo';
import { CPO, plausibleCdr, startTestApi, walkPages, type TestApi } from './api-harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 10, maxLimit: 10 });
});
afterAll(async () => {
  await api.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pullUrl = (dateFrom?: string) => `${api.url}${CDRS_PATH}${dateFrom ? `?date_from=${encodeURIComponent(dateFrom)}` : ''}`;

/** Inserts a CDR as the pipeline does (the store stamps last_updated) inside a transaction left open. */
async function insertLeftOpen(id: string): Promise<{ client: PoolClient; commit(): Promise<void> }> {
  const client = await api.db.pool.connect();
  await client.query('BEGIN');
  await insertCdr(client, { ...CPO, id, session_id: `S-${id}`, cdr: plausibleCdr(id, new Date()), status: 'queued' });
  return {
    client,
    async commit() {
      await client.query('COMMIT');
      client.release();
    },
  };
}

async function lastUpdatedOf(id: string): Promise<Date> {
  const result = await api.db.pool.query<{ last_updated: Date }>('SELECT last_updated FROM cdrs WHERE id = $1', [id]);
  return result.rows[0]!.last_updated;
}

test('a pull that arrives while an insert is uncommitted waits for it and hands the CDR over', async () => {
  const insert = await insertLeftOpen('LATE-HELD');
  const pulledFrom = new Date(Date.now() - 60_000).toISOString();
  const pulling = walkPages(pullUrl(pulledFrom));
  await sleep(300);
  await insert.commit();
  const { ids } = await pulling;
  expect(ids).toContain('LATE-HELD');
});

test('an insert that starts while a pull reads is stamped after that read', async () => {
  // A pull reading: it holds the barrier as findPullPage does.
  const reader = await api.db.pool.connect();
  await reader.query(`BEGIN; SELECT pg_advisory_xact_lock(${PULL_BARRIER_LOCK})`);
  const readEndsAt = await (async () => {
    const inserting = insertCdr(api.db.pool, {
      ...CPO,
      id: 'LATE-AFTER-READ',
      session_id: 'S-LATE-AFTER-READ',
      cdr: plausibleCdr('LATE-AFTER-READ', new Date()),
      status: 'queued',
    });
    await sleep(300);
    const endsAt = (await reader.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
    await reader.query('COMMIT');
    reader.release();
    const stored = await inserting;
    // The body carries the same stamp as the row: what the hub compares its date_from with.
    expect((stored.cdr as Cdr).last_updated).toBe(stored.last_updated.toISOString());
    return endsAt;
  })();
  expect((await lastUpdatedOf('LATE-AFTER-READ')).getTime()).toBeGreaterThanOrEqual(Math.floor(readEndsAt.getTime()));
});

test('hubs pulling incrementally while inserts commit late miss nothing, by their own clock or by the newest last_updated seen', async () => {
  const ids = Array.from({ length: 48 }, (_, i) => `RACE-${String(i).padStart(3, '0')}`);
  let writing = true;
  // Four writers; each leaves its transaction open 0-90 ms after stamping, in a fixed pattern.
  const writers = [0, 1, 2, 3].map(async (writer) => {
    for (let i = writer; i < ids.length; i += 4) {
      const insert = await insertLeftOpen(ids[i]!);
      await sleep((i * 37) % 91);
      await insert.commit();
    }
  });
  void Promise.all(writers).then(() => (writing = false));

  /** A hub: pulls every few ms from `next(previous)`, walking every page; returns what each pull saw. */
  async function hub(
    nextFrom: (sentAt: Date, newestSeen: string | undefined) => string | undefined,
  ): Promise<{ seen: string[]; repeatsJustified: boolean }> {
    let from: string | undefined;
    let newest: string | undefined;
    const seen: string[] = [];
    let repeatsJustified = true;
    for (let lastRound = false; ;) {
      const sentAt = new Date();
      const walk = await walkPages(pullUrl(from));
      const cdrs = walk.pages.flatMap((page) => page.body.data as Cdr[]).filter((cdr) => cdr.id.startsWith('RACE-'));
      // Within one walk a CDR comes once; across pulls only as OCPI's inclusive date_from implies.
      expect(new Set(cdrs.map((cdr) => cdr.id)).size).toBe(cdrs.length);
      for (const cdr of cdrs) {
        if (seen.includes(cdr.id) && from !== undefined && cdr.last_updated < from) repeatsJustified = false;
        seen.push(cdr.id);
        if (newest === undefined || cdr.last_updated > newest) newest = cdr.last_updated;
      }
      from = nextFrom(sentAt, newest);
      if (lastRound) break;
      lastRound = !writing;
      await sleep(7);
    }
    return { seen, repeatsJustified };
  }

  const [byOwnClock, byNewestSeen] = await Promise.all([hub((sentAt) => sentAt.toISOString()), hub((_sentAt, newest) => newest)]);
  await Promise.all(writers);
  for (const result of [byOwnClock, byNewestSeen]) {
    expect([...new Set(result.seen)].sort()).toEqual(ids);
    expect(result.repeatsJustified).toBe(true);
  }
}, 60_000);
