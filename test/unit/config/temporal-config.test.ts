/** Reaching a secured Temporal: the TLS and API key variables, checked at start. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalConfig } from '../../../src/config/index';
import { configErrorMessage } from './config-error-message';
import { temporalConnectionOptions } from '../../../src/temporal/temporal-connection';

const dir = mkdtempSync(join(tmpdir(), 'cdrflow-tls-config-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const ca = file('ca.pem', 'CA');
const cert = file('client.pem', 'CERT');
const key = file('client.key', 'KEY');

const messageOf = configErrorMessage;

test('mTLS: the CA, the client pair and the server name become the connection options', () => {
  const config = temporalConfig({
    TEMPORAL_ADDRESS: 'temporal.cpo.internal:7233',
    TEMPORAL_TLS_CA: ca,
    TEMPORAL_TLS_CERT: cert,
    TEMPORAL_TLS_KEY: key,
    TEMPORAL_TLS_SERVER_NAME: 'frontend.cpo.internal',
  });
  expect(config.tls).toEqual({ caFile: ca, certFile: cert, keyFile: key, serverName: 'frontend.cpo.internal' });
  expect(temporalConnectionOptions(config)).toEqual({
    address: 'temporal.cpo.internal:7233',
    tls: {
      serverNameOverride: 'frontend.cpo.internal',
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    },
  });
});

test('an API key (Temporal Cloud) implies TLS with the system CAs', () => {
  const config = temporalConfig({
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'ns.acct',
    TEMPORAL_API_KEY: 'key-123',
  });
  expect(temporalConnectionOptions(config)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'key-123' });
  expect(temporalConnectionOptions(temporalConfig({ TEMPORAL_TLS: 'true' }))).toEqual({ address: '127.0.0.1:7233', tls: true });
});

test('half a key pair names the missing variable', () => {
  expect(messageOf(() => temporalConfig({ TEMPORAL_TLS_CERT: cert }))).toMatch(/TEMPORAL_TLS_KEY: is required with TEMPORAL_TLS_CERT/);
  expect(messageOf(() => temporalConfig({ TEMPORAL_TLS_KEY: key }))).toMatch(/TEMPORAL_TLS_CERT: is required with TEMPORAL_TLS_KEY/);
});

test('a file that cannot be read names its variable and path', () => {
  const message = messageOf(() =>
    temporalConfig({ TEMPORAL_TLS_CA: join(dir, 'missing.pem'), TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key }),
  );
  expect(message).toMatch(/TEMPORAL_TLS_CA: cannot read file .*missing\.pem/);
});

test('TLS switched off while TLS settings are given is a contradiction, named', () => {
  expect(messageOf(() => temporalConfig({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }))).toMatch(/TEMPORAL_TLS: is false, but/);
  expect(messageOf(() => temporalConfig({ TEMPORAL_TLS: 'yes' }))).toMatch(/TEMPORAL_TLS: must be true or false/);
});

test('the API key is never echoed', () => {
  const message = messageOf(() => temporalConfig({ TEMPORAL_API_KEY: 'secret key with spaces' }));
  expect(message).toMatch(/TEMPORAL_API_KEY: must not contain spaces/);
  expect(message).not.toContain('secret');
});
