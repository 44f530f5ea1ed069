/**
 * One receiver per hub per party: a second enabled connection to the same host, or to the
 * same To party, would send the hub every CDR twice with the same id. Refused in the
 * change's transaction (nothing is left half-made), unless the hub is known to de-duplicate.
 */
import { addConnection, ConnectionError, findPartyConnections, updateConnection } from '../../../src/store/connection-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let partyCount = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const newParty = () => ({ country_code: 'FR', party_id: `H${String(partyCount++).padStart(2, '0')}` });
const GIREVE_TO = { country_code: 'FR', party_id: '107' };
const connection = (name: string, ocpiVersion: '2.1.1' | '2.2.1', cdrsUrl: string, enabled = true) => ({
  name,
  enabled,
  ocpiVersion,
  cdrsUrl,
  token: 'token-of-the-test',
  checkUrlTemplate: null,
  toParty: ocpiVersion === '2.2.1' ? GIREVE_TO : null,
});
const names = async (party: ReturnType<typeof newParty>) =>
  (await findPartyConnections(db.pool, party)).map((c) => `${c.name}:${c.enabled}`);

test('a second connection to the same host is refused, naming the one there and the switch to make; the first stays as it was', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...connection('gireve', '2.1.1', 'https://iop.gireve.test/ocpi/emsp/2.1.1/cdrs') });
  const second = addConnection(db.pool, { party, ...connection('gireve-221', '2.2.1', 'https://IOP.gireve.test/ocpi/2.2.1/cdrs') });
  await expect(second).rejects.toThrow(ConnectionError);
  await expect(second).rejects.toThrow(
    /FR\*H00\/gireve-221: connection gireve \(OCPI 2\.1\.1\) already delivers to this hub \(iop\.gireve\.test\): every CDR would reach it twice with the same id\. Switch that connection instead \(cdrflow connection update FR\*H00 gireve --version 2\.2\.1 .*\), or add --allow-same-hub/,
  );
  expect(await names(party)).toEqual(['gireve:true']);
});

test('the same To party on another host is the same hub; a disabled second connection is allowed, enabling it is refused', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...connection('gireve', '2.2.1', 'https://iop-a.gireve.test/cdrs') });
  await expect(addConnection(db.pool, { party, ...connection('gireve-b', '2.2.1', 'https://iop-b.gireve.test/cdrs') })).rejects.toThrow(
    /already delivers to this hub \(iop-a\.gireve\.test, to FR\*107\)/,
  );
  await addConnection(db.pool, { party, ...connection('standby', '2.2.1', 'https://iop-b.gireve.test/cdrs', false) });
  await expect(updateConnection(db.pool, party, 'standby', { enabled: true })).rejects.toThrow(/already delivers to this hub/);
  expect(await names(party)).toEqual(['gireve:true', 'standby:false']);
  // The switch: off the old one, on the new one.
  await updateConnection(db.pool, party, 'gireve', { enabled: false });
  expect(await updateConnection(db.pool, party, 'standby', { enabled: true })).toMatchObject({ enabled: true });
});

test('--allow-same-hub lets a hub known to de-duplicate have two; other hosts and To parties never conflict', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...connection('gireve', '2.1.1', 'https://iop.gireve.test/cdrs') });
  await addConnection(db.pool, { party, ...connection('gireve-221', '2.2.1', 'https://iop.gireve.test/2.2.1/cdrs') }, undefined, {
    allowSameHub: true,
  });
  await addConnection(db.pool, { party, ...connection('emsp', '2.1.1', 'https://emsp.example.test/cdrs') });
  expect(await names(party)).toEqual(['gireve:true', 'gireve-221:true', 'emsp:true']);
  // Changing a connection's own settings never conflicts with itself.
  expect(await updateConnection(db.pool, party, 'emsp', { cdrsUrl: 'https://emsp.example.test/v2/cdrs' })).toMatchObject({ enabled: true });
});

test('a change that cannot point a connection at another hub (a new token) is never refused', async () => {
  const party = newParty();
  await addConnection(db.pool, { party, ...connection('gireve', '2.1.1', 'https://iop.gireve.test/cdrs') });
  await addConnection(db.pool, { party, ...connection('gireve-221', '2.2.1', 'https://iop.gireve.test/2.2.1/cdrs') }, undefined, {
    allowSameHub: true,
  });
  expect(await updateConnection(db.pool, party, 'gireve', { token: 'rotated-token' })).toMatchObject({ name: 'gireve' });
  await expect(updateConnection(db.pool, party, 'gireve', { cdrsUrl: 'https://iop.gireve.test/v2/cdrs' })).rejects.toThrow(
    /already delivers/,
  );
});
