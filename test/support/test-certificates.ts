/**
 * A throwaway PKI for TLS tests, made with the openssl command: a CA, a server certificate
 * for the names given, a client certificate signed by the CA, and a client certificate
 * signed by nobody the server trusts. Files in a fresh temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `serverNames`: DNS names and IPs the server certificate carries (subjectAltName). */
export function makeTestCertificates(serverNames: { dns?: string[]; ip?: string[] }): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'cdrflow-certs-'));
  const key = (name: string) => openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name]);
  const signed = (name: string, subject: string, extensions: string, ca: { cert: string; key: string }) => {
    key(`${name}.key`);
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ]);
  };
  const selfSignedCa = (name: string, subject: string) => {
    key(`${name}.key`);
    openssl(dir, [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      subject,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      `${name}.crt`,
    ]);
  };

  selfSignedCa('ca', '/CN=cdrflow test CA');
  selfSignedCa('stranger-ca', '/CN=someone else');
  const alt = [...(serverNames.dns ?? []).map((name) => `DNS:${name}`), ...(serverNames.ip ?? []).map((ip) => `IP:${ip}`)].join(',');
  const leaf = (usage: string) => `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\n`;
  signed('server', '/CN=temporal frontend', `${leaf('serverAuth')}subjectAltName=${alt}\n`, { cert: 'ca.crt', key: 'ca.key' });
  signed('client', '/CN=cdrflow worker', leaf('clientAuth'), { cert: 'ca.crt', key: 'ca.key' });
  signed('stranger', '/CN=cdrflow worker', leaf('clientAuth'), { cert: 'stranger-ca.crt', key: 'stranger-ca.key' });
  const file = (name: string) => join(dir, name);
  return {
    dir,
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    strangerCert: file('stranger.crt'),
    strangerKey: file('stranger.key'),
  };
}
