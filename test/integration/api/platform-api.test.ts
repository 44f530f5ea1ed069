/**
 * A platform that owns the OCPI handshake hands cdrflow what it learnt, through the package's
 * own exports: the hub's receiver for every party at once (all or nothing), and the token the
 * hub pulls with, issued, rotated and retired without a restart of the running API.
 */
import { connectHub, issuePullClient, retirePullClient, rotatePullClient } from '../../../src/index';
import { CDRS_PATH } from '../../../src/api/paths';
import { PULL_CLIENTS_REFRESH_MS } from '../../../src/api/pull-client-source';
import { findPartyConnections } from '../../../src/store/connection-repo';
import { waitFor } from '../../support/temporal';
import { cdrIds, ocpiGet, startTestApi, storeCdr, type TestApi } from './api-harness';

const ABC = { country_code: 'FR', party_id: 'ABC' };
const DEF = { country_code: 'FR', party_id: 'DEF' };
const GIREVE = { country_code: 'FR', party_id: '107' };
const hub = (token: string) => ({
  name: 'gireve',
  ocpiVersion: '2.2.1' as const,
  cdrsUrl: 'https://iop.gireve.test/ocpi/2.2.1/cdrs',
  token,
  checkUrlTemplate: null,
  toParty: GIREVE,
});

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ env: { OCPI_TOKENS: '' } });
  await storeCdr(api.db.pool, 'ABC-1', new Date('2024-05-01T00:00:00Z'), 'queued', ABC);
  await storeCdr(api.db.pool, 'DEF-1', new Date('2024-05-01T00:01:00Z'), 'queued', DEF);
});
afterAll(() => api?.stop());

const status = async (token: string) => (await ocpiGet(`${api.url}${CDRS_PATH}`, token)).status;

test('connectHub connects every party in one transaction, and again after an unregister; a party with another connection to that hub stops it all', async () => {
  const listed = await connectHub(api.db.pool, [ABC, DEF], hub('token-b-1'));
  expect(listed.map((connection) => [connection.party.party_id, connection.name, connection.enabled])).toEqual([
    ['ABC', 'gireve', true],
    ['DEF', 'gireve', true],
  ]);
  expect(JSON.stringify(listed)).not.toContain('token-b-1');
  expect((await findPartyConnections(api.db.pool, DEF))[0]).toMatchObject({ token: 'token-b-1', toParty: GIREVE });
  // Registered again (a new token B): updated, enabled again, nothing added.
  await connectHub(api.db.pool, [ABC, DEF], hub('token-b-2'));
  expect((await findPartyConnections(api.db.pool, ABC)).map((connection) => connection.token)).toEqual(['token-b-2']);

  const XYZ = { country_code: 'FR', party_id: 'XYZ' };
  await connectHub(api.db.pool, [XYZ], { ...hub('token-b-3'), name: 'gireve-old' });
  await expect(connectHub(api.db.pool, [{ country_code: 'FR', party_id: 'NEW' }, XYZ], hub('token-b-3'))).rejects.toThrow(
    /already delivers to this hub/,
  );
  expect(await findPartyConnections(api.db.pool, { country_code: 'FR', party_id: 'NEW' })).toEqual([]);
});

test('issuePullClient, rotatePullClient and retirePullClient change who may pull within seconds', async () => {
  await issuePullClient(api.db.pool, { name: 'gireve', parties: [DEF], token: 'token-c-1' });
  await waitFor('token C accepted', async () => ((await status('token-c-1')) === 200 ? true : undefined), PULL_CLIENTS_REFRESH_MS * 3);
  expect(cdrIds((await ocpiGet(`${api.url}${CDRS_PATH}`, 'token-c-1')).body.data)).toEqual(['DEF-1']);

  expect(await rotatePullClient(api.db.pool, 'gireve', 'token-c-2')).toBe(true);
  await waitFor(
    'the new token C accepted',
    async () => ((await status('token-c-2')) === 200 ? true : undefined),
    PULL_CLIENTS_REFRESH_MS * 3,
  );
  expect(await status('token-c-1')).toBe(401);

  expect(await retirePullClient(api.db.pool, 'gireve')).toBe(true);
  await waitFor('token C refused', async () => ((await status('token-c-2')) === 401 ? true : undefined), PULL_CLIENTS_REFRESH_MS * 3);
  expect(await rotatePullClient(api.db.pool, 'gireve', 'token-c-3')).toBe(false);
});
