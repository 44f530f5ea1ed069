import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConnectionOptions } from '../../../src/operator/connection-input';

const dir = mkdtempSync('/tmp/cdrflow-connection-input-');
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, 'abc-123\n');

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

test('reads the token from its file (trailing newline dropped) and keeps the settings given', () => {
  const settings = readConnectionOptions({ version: '2.2.1', cdrsUrl: 'https://hub.example/ocpi/2.2.1/cdrs', tokenFile }, {});
  expect(settings).toEqual({ ocpiVersion: '2.2.1', cdrsUrl: 'https://hub.example/ocpi/2.2.1/cdrs', token: 'abc-123' });
});

test('each problem names its option and the rule, and no token is echoed', () => {
  const message = messageOf(() =>
    readConnectionOptions(
      { version: '2.2', cdrsUrl: 'ftp://hub.example/cdrs', checkUrlTemplate: 'https://hub.example/cdrs/', tokenFile },
      {},
      ['cdrsUrl', 'tokenFile'],
    ),
  );
  expect(message).not.toContain('abc-123');
  expect(message).toMatch(/--version: must be one of 2\.1\.1, 2\.2\.1/);
  expect(message).toMatch(/--cdrs-url: must be an http\(s\) URL/);
  expect(message).toMatch(/--check-url-template: must contain \{cdr_id\}/);
});

test('a required option left out is named', () => {
  expect(messageOf(() => readConnectionOptions({}, {}, ['cdrsUrl', 'tokenFile']))).toMatch(
    /--cdrs-url: is required\n.*--token-file: is required/,
  );
});

test('plain http only to loopback, unless IOP_ALLOW_INSECURE_HTTP says otherwise', () => {
  expect(messageOf(() => readConnectionOptions({ cdrsUrl: 'http://hub.example/cdrs' }, {}))).toMatch(/--cdrs-url: must use https/);
  expect(readConnectionOptions({ cdrsUrl: 'http://127.0.0.1:9/cdrs' }, {})).toEqual({ cdrsUrl: 'http://127.0.0.1:9/cdrs' });
  expect(readConnectionOptions({ cdrsUrl: 'http://hub.example/cdrs' }, { IOP_ALLOW_INSECURE_HTTP: 'true' })).toEqual({
    cdrsUrl: 'http://hub.example/cdrs',
  });
});

test('a token file that is missing, empty or holds more than a token is refused by name', () => {
  const empty = join(dir, 'empty');
  writeFileSync(empty, '\n');
  const two = join(dir, 'two');
  writeFileSync(two, 'token one\n');
  expect(messageOf(() => readConnectionOptions({ tokenFile: join(dir, 'none') }, {}))).toMatch(
    /--token-file: cannot read .*none \(ENOENT\)/,
  );
  expect(messageOf(() => readConnectionOptions({ tokenFile: empty }, {}))).toMatch(/--token-file: .*empty is empty/);
  expect(messageOf(() => readConnectionOptions({ tokenFile: two }, {}))).toMatch(/--token-file: .* must hold the token alone/);
});
