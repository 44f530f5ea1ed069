/**
 * Pull clients registered in Postgres with `cdrflow pull-client` (real CLI processes) count
 * at the running API within seconds, no restart: an API started without OCPI_TOKENS serves
 * registered clients only, each within its parties; a revoke locks the token out; only the
 * token's SHA-256 is stored, and nothing the CLI prints holds a token.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDRS_221_PATH, CDRS_PATH } from '../../../src/api/paths';
import { PULL_CLIENTS_REFRESH_MS } from '../../../src/api/pull-client-source';
import { waitFor } from '../../support/temporal';
import { cdrIds, ocpiGet, startTestApi, storeCdr, type TestApi } from './api-harness';
import { get221 } from './api-harness-221';

const ROOT = join(__dirname, '..', '..', '..');
const HUB_TOKEN = 'hub-token-c-registered-5e0a';
const ABC = { country_code: 'FR', party_id: 'ABC' };
const DEF = { country_code: 'FR', party_id: 'DEF' };

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { OCPI_TOKENS: '' } });
  await storeCdr(api.db.pool, 'ABC-1', new Date('2024-05-01T00:00:00Z'), 'queued', ABC);
  await storeCdr(api.db.pool, 'DEF-1', new Date('2024-05-01T00:01:00Z'), 'queued', DEF);
});
afterAll(() => api?.stop());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'cdrflow.js'), 'pull-client', ...args],
      { env: { ...process.env, DATABASE_URL: api.db.url } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const tokenFile = (token: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'cdrflow-pull-')), 'token');
  writeFileSync(file, `${token}\n`);
  return file;
};

test('without OCPI_TOKENS nobody pulls; a client added with the CLI pulls its parties within seconds, revoked it is refused again', async () => {
  expect((await ocpiGet(`${api.url}${CDRS_PATH}`, HUB_TOKEN)).status).toBe(401);

  const added = await cli(['add', 'gireve', '--parties', 'FR*ABC', '--token-file', tokenFile(HUB_TOKEN), '--json']);
  expect(added.stderr).toBe('');
  expect(added.stdout).not.toContain(HUB_TOKEN);
  expect(JSON.parse(added.stdout)).toMatchObject({ name: 'gireve', parties: ['FR*ABC'], revokedAt: null });

  const pulled = await waitFor(
    'the API to accept the new token',
    async () => {
      const answer = await ocpiGet(`${api.url}${CDRS_PATH}`, HUB_TOKEN);
      return answer.status === 200 ? answer : undefined;
    },
    PULL_CLIENTS_REFRESH_MS * 3,
  );
  expect(cdrIds(pulled.body.data)).toEqual(['ABC-1']);
  // 2.2.1 reads the token Base64-encoded, as GIREVE sends it.
  expect((await get221(`${api.url}${CDRS_221_PATH}`, HUB_TOKEN)).status).toBe(200);

  const stored = await api.db.pool.query<{ token_sha256: Buffer }>("SELECT token_sha256 FROM pull_clients WHERE name = 'gireve'");
  expect(stored.rows[0]!.token_sha256.toString('utf8')).not.toContain(HUB_TOKEN);
  expect(stored.rows[0]!.token_sha256).toHaveLength(32);
  const listed = await cli(['list']);
  expect(listed.stdout).toMatch(/^gireve {2}FR\*ABC {2}live$/m);
  expect(listed.stdout).not.toContain(HUB_TOKEN);

  expect((await cli(['revoke', 'gireve'])).code).toBe(0);
  await waitFor(
    'the API to refuse the revoked token',
    async () => ((await ocpiGet(`${api.url}${CDRS_PATH}`, HUB_TOKEN)).status === 401 ? true : undefined),
    PULL_CLIENTS_REFRESH_MS * 3,
  );
  expect((await cli(['revoke', 'gireve'])).stderr).toMatch(/no live pull client named gireve/);
});

test('bad input names the option and the rule and stores nothing; a token or a name registered before is refused', async () => {
  const bad = await cli(['add', 'hub two', '--parties', 'FR-ABC', '--token-file', '/nonexistent/token']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/name: /);
  expect(bad.stderr).toMatch(/--parties: must be CPO parties \(eMI3 operator ids\) joined by \+, like FR\*ABC\+FR\*DEF/);
  expect(bad.stderr).toMatch(/--token-file: cannot read \/nonexistent\/token/);
  expect((await cli(['add', 'second', '--parties', 'FR*DEF', '--token-file', tokenFile(HUB_TOKEN)])).stderr).toMatch(
    /this token is registered already/,
  );
  expect((await cli(['add', 'gireve', '--parties', 'FR*DEF', '--token-file', tokenFile('another-token-77')])).stderr).toMatch(
    /a pull client named gireve exists already/,
  );
  const count = await api.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM pull_clients');
  expect(Number(count.rows[0]!.n)).toBe(1);
});
