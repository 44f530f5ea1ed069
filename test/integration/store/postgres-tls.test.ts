/**
 * DATABASE_URL with sslmode: cdrflow's store reaches a Postgres that demands TLS, checks
 * its certificate and host name (verify-full with the CA in sslrootcert), and refuses a
 * server whose certificate it cannot verify.
 */
import { readFileSync } from 'node:fs';
import { databaseConfig } from '../../../src/config/index';
import { migrate } from '../../../src/store/migrate';
import { createPool } from '../../../src/store/pool';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from '../../support/db';
import { startPostgresTlsProxy, type PostgresTlsProxy } from '../../support/postgres-tls-proxy';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates';

let db: TestDatabase;
let certs: TestCertificates;
let proxy: PostgresTlsProxy;

beforeAll(async () => {
  // node-postgres gives Node no server name for an IP host, and Node then checks the name "localhost".
  certs = makeTestCertificates({ dns: ['localhost'], ip: ['127.0.0.1'] });
  db = await createTestDatabase({ migrate: false });
  proxy = await startPostgresTlsProxy({
    upstreamPort: Number(new URL(ADMIN_DATABASE_URL).port || 5432),
    key: readFileSync(certs.serverKey),
    cert: readFileSync(certs.serverCert),
  });
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

/** The test database's URL, through the TLS proxy, with these query parameters. */
const urlWith = (query: string) => {
  const url = new URL(db.url);
  url.port = String(proxy.port);
  return `${url.toString()}?${query}`;
};

test('verify-full with the server CA in sslrootcert: migrations run and queries answer over TLS', async () => {
  const { DATABASE_URL } = databaseConfig({ DATABASE_URL: urlWith(`sslmode=verify-full&sslrootcert=${certs.caCert}`) });
  const pool = createPool(DATABASE_URL, 2);
  try {
    expect(await migrate(pool)).toContain('004_queue_entries');
    const result = await pool.query<{ count: number }>('SELECT count(*) AS count FROM queue_entries');
    expect(result.rows[0]?.count).toBe(0);
  } finally {
    await pool.end();
  }
});

test('a server certificate the given CA did not sign is refused', async () => {
  const pool = createPool(urlWith(`sslmode=verify-full&sslrootcert=${certs.strangerCert}`), 1);
  try {
    await expect(pool.query('SELECT 1')).rejects.toThrow(/certificate/i);
  } finally {
    await pool.end();
  }
});

test('without sslmode the TLS-only server turns the connection away', async () => {
  const pool = createPool(urlWith('sslmode=disable'), 1);
  try {
    await expect(pool.query('SELECT 1')).rejects.toThrow();
  } finally {
    await pool.end();
  }
});
