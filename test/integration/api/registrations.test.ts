/**
 * Registration tokens (OCPI token A), made with `cdrflow registration create` (real CLI
 * processes), as a hub meets them: printed once with the versions URL, good on the version
 * endpoints (2.1.1 as is, 2.2.1 Base64) within seconds and nowhere else, until revoked or
 * expired; stored as SHA-256 only, never listed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { CDRS_221_PATH, CDRS_PATH, VERSION_DETAILS_221_PATH, VERSIONS_PATH } from '../../../src/api/paths';
import { PULL_CLIENTS_REFRESH_MS } from '../../../src/api/pull-client-source';
import { waitFor } from '../../support/temporal';
import { ocpiGet, startTestApi, type TestApi } from './api-harness';
import { get221 } from './api-harness-221';

const ROOT = join(__dirname, '..', '..', '..');
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { OCPI_TOKENS: '' } });
});
afterAll(() => api?.stop());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'cdrflow.js'), 'registration', ...args],
      { env: { ...process.env, DATABASE_URL: api.db.url, OCPI_BASE_URL: api.url } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const soon = PULL_CLIENTS_REFRESH_MS * 3;

test('a registration token opens the version endpoints within seconds and no CDR, until it is revoked', async () => {
  const created = await cli(['create', '--name', 'gireve', '--parties', 'FR*ABC+FR*DEF', '--version', '2.2.1', '--json']);
  expect(created.stderr).toBe('');
  const { token, versions_url: versionsUrl } = JSON.parse(created.stdout) as { token: string; versions_url: string };
  expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(versionsUrl).toBe(`${api.url}${VERSIONS_PATH}`);

  await waitFor(
    'token A accepted on the versions',
    async () => ((await get221(versionsUrl, token)).status === 200 ? true : undefined),
    soon,
  );
  expect((await get221(`${api.url}${VERSION_DETAILS_221_PATH}`, token)).status).toBe(200);
  expect((await get221(`${api.url}${CDRS_221_PATH}`, token)).status).toBe(401);
  expect((await ocpiGet(`${api.url}${CDRS_PATH}`, token)).status).toBe(401);

  const stored = await api.db.pool.query<{ token_sha256: Buffer }>('SELECT token_sha256 FROM registrations');
  expect(stored.rows.map((row) => row.token_sha256.length)).toEqual([32]);
  const listed = await cli(['list']);
  expect(listed.stdout).toMatch(/^gireve {2}OCPI 2\.2\.1 {2}FR\*ABC\+FR\*DEF {2}open {2}expires /m);
  expect(listed.stdout).not.toContain(token);

  expect((await cli(['revoke', 'gireve'])).code).toBe(0);
  await waitFor('token A refused once revoked', async () => ((await get221(versionsUrl, token)).status === 401 ? true : undefined), soon);
  expect((await cli(['list'])).stdout).toMatch(/gireve .* revoked /);
});

test('an expired token is refused and listed expired; the text output prints the token once', async () => {
  const created = await cli(['create', '--name', 'short', '--parties', 'FR*ABC', '--version', '2.1.1', '--expires', '3s']);
  const token = /token {8}(\S+)/.exec(created.stdout)?.[1];
  expect(token).toBeDefined();
  expect(created.stdout).toContain('(this token is not shown again)');
  await waitFor(
    'token A accepted',
    async () => ((await ocpiGet(`${api.url}${VERSIONS_PATH}`, token!)).status === 200 ? true : undefined),
    soon,
  );
  await waitFor(
    'token A expired',
    async () => ((await ocpiGet(`${api.url}${VERSIONS_PATH}`, token!)).status === 401 ? true : undefined),
    3_000 + soon,
  );
  expect((await cli(['list'])).stdout).toMatch(/^short .* expired /m);
});

test('bad input names the option and the rule, and stores nothing', async () => {
  const before = Number((await api.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM registrations')).rows[0]!.n);
  const twoOn211 = await cli(['create', '--name', 'gireve', '--parties', 'FR*ABC+FR*DEF', '--version', '2.1.1']);
  expect(twoOn211.stderr).toMatch(/--parties: OCPI 2\.1\.1 registers one CPO operation per handshake/);
  const bad = await cli(['create', '--name', 'no spaces', '--parties', 'FR-ABC', '--version', '2.2', '--expires', '90d']);
  expect(bad.code).not.toBe(0);
  for (const rule of [/--name: /, /--version: must be 2\.1\.1 or 2\.2\.1/, /--parties: must be CPO parties/, /--expires: .* at most 30d/]) {
    expect(bad.stderr).toMatch(rule);
  }
  expect(bad.stdout).toBe('');
  expect(Number((await api.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM registrations')).rows[0]!.n)).toBe(before);
  expect((await cli(['revoke', 'nobody'])).stderr).toMatch(/no open registration named nobody/);
});
