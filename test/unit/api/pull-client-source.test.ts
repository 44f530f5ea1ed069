/**
 * The API's accepted tokens: OCPI_TOKENS plus the registered clients, read again once stale,
 * behind the requests (only the first read is waited for), one read at a time, the last list
 * kept through a failed read (logged once per outage). A fake pool stands in for Postgres.
 */
import type { Pool } from 'pg';
import { createPullClientSource } from '../../../src/api/pull-client-source';
import { tokenDigest } from '../../../src/api/transport/auth';

function fakePool() {
  const state = { rows: [] as { name: string; parties: string[]; token_sha256: Buffer }[], reads: 0, attempts: 0, failing: false };
  const pool = {
    query: async (sql: string) => {
      state.attempts++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (state.failing) throw new Error('connection refused');
      if (sql.includes('FROM registrations')) return { rows: [] };
      state.reads++;
      return { rows: state.rows };
    },
  } as unknown as Pool;
  return { pool, state };
}
const labels = async (source: ReturnType<typeof createPullClientSource>) => (await source.current()).map((token) => token.client.label);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('OCPI_TOKENS and the registered clients, the first read waited for, later ones behind the requests', async () => {
  const { pool, state } = fakePool();
  state.rows = [{ name: 'gireve', parties: ['FR*ABC'], token_sha256: tokenDigest('c-1') }];
  const source = createPullClientSource(pool, [{ label: 'entry 1', token: 'env-token', sees: 'all' }], { refreshMs: 50 });
  const [first, second] = await Promise.all([source.current(), source.current()]);
  expect(state.reads).toBe(1);
  expect(first.map((token) => token.client)).toEqual([
    { label: 'entry 1', sees: 'all', role: 'pull' },
    { label: 'pull-client gireve', sees: [{ country_code: 'FR', party_id: 'ABC' }], role: 'pull' },
  ]);
  expect(second).toEqual(first);
  expect(first[1]!.digest.equals(tokenDigest('c-1'))).toBe(true);

  state.rows = [];
  expect(await labels(source)).toEqual(['entry 1', 'pull-client gireve']); // fresh still
  await settle(60);
  expect(await labels(source)).toEqual(['entry 1', 'pull-client gireve']); // stale: refreshed behind this request
  await settle(20);
  expect(await labels(source)).toEqual(['entry 1']);
});

test('a failed read keeps the last list and is logged once per outage', async () => {
  const { pool, state } = fakePool();
  state.rows = [{ name: 'gireve', parties: ['FR*ABC'], token_sha256: tokenDigest('c-1') }];
  const logged: unknown[] = [];
  const source = createPullClientSource(pool, [], { refreshMs: 10, logError: (error) => logged.push(error) });
  expect(await labels(source)).toEqual(['pull-client gireve']);
  state.failing = true;
  const attemptsBefore = state.attempts;
  for (let i = 0; i < 4; i++) {
    await settle(20);
    expect(await labels(source)).toEqual(['pull-client gireve']);
  }
  expect(state.attempts - attemptsBefore).toBeGreaterThanOrEqual(4); // tried again at every stale request
  expect(logged).toHaveLength(1);
});
