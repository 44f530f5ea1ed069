/**
 * The 2.2.1 pull reads behind the same barrier as the 2.1.1 one (PULL_BARRIER_LOCK): a
 * pull that arrives while an insert is uncommitted waits for it and hands its 2.2.1 CDR
 * over. (The full set of late-commit rules is tested on the 2.1.1 pull, which shares the
 * read: cdrs-pull-late-commits.test.ts.)
 */
import { CDRS_221_PATH } from '../../../src/api/paths';
import { insertCdr } from '../../../src/store/cdr-repo';
import { CPO, plausibleCdr, startTestApi, type TestApi } from './api-harness';
import { plausibleCdr221, walk221 } from './api-harness-221';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ defaultLimit: 10, maxLimit: 10 });
});
afterAll(async () => {
  await api.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a 2.2.1 pull that arrives while an insert is uncommitted waits for it and hands the CDR over', async () => {
  const client = await api.db.pool.connect();
  try {
    await client.query('BEGIN');
    const now = new Date();
    const stored = await insertCdr(client, {
      ...CPO,
      id: 'LATE-221',
      session_id: 'S-LATE-221',
      cdr: plausibleCdr('LATE-221', now),
      cdr_221: plausibleCdr221('LATE-221', now),
      status: 'queued',
    });
    const pulledFrom = new Date(Date.now() - 60_000).toISOString();
    const pulling = walk221(`${api.url}${CDRS_221_PATH}?date_from=${encodeURIComponent(pulledFrom)}`);
    await sleep(300);
    await client.query('COMMIT');
    const { pages, ids } = await pulling;
    expect(ids).toEqual(['LATE-221']);
    // The store stamped the 2.2.1 body with the row's own last_updated, as it does the 2.1.1 one.
    const served = (pages[0]!.body.data as { last_updated: string }[])[0]!;
    expect(served.last_updated).toBe(stored.last_updated.toISOString());
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
});
