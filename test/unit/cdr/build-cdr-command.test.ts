/**
 * The dry run a CPO engineer types: `cdrflow build-cdr FILE.json`, as a real process.
 * No Temporal, no database, no network: only the file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const vector = (name: string, file: string) => join(ROOT, 'test', 'vectors', name, file);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function buildCdrCli(file: string, ...options: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'cdrflow.js'), 'build-cdr', file, ...options], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

it('prints the CDR it would send as JSON on stdout and exits 0', async () => {
  const run = await buildCdrCli(vector('ac-paid-energy-and-idle-fee', 'session-ended.json'));
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const expected = JSON.parse(readFileSync(vector('ac-paid-energy-and-idle-fee', 'expected-cdr.json'), 'utf8')) as object;
  expect(JSON.parse(run.stdout)).toEqual({ ...expected, last_updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/) });
});

it('prints each validation error on its own line on stderr and exits 1, printing no CDR', async () => {
  const run = await buildCdrCli(vector('backend-total-disagrees-with-tariff', 'session-ended.json'));
  const expected = JSON.parse(readFileSync(vector('backend-total-disagrees-with-tariff', 'expected-errors.json'), 'utf8')) as string[];
  expect(run).toEqual({ code: 1, stdout: '', stderr: `${expected.join('\n')}\n` });
});

it('names the field and the rule of an invalid SessionEnded, one per line', async () => {
  const input = JSON.parse(readFileSync(vector('ac-free-of-charge', 'session-ended.json'), 'utf8')) as {
    session: Record<string, unknown>;
  };
  input.session.status = 'ACTIVE';
  delete input.session.end_datetime;
  const file = join(mkdtempSync(join(tmpdir(), 'cdrflow-')), 'session-ended.json');
  writeFileSync(file, JSON.stringify(input));
  const run = await buildCdrCli(file);
  expect(run).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'session-ended session.end_datetime: is required: the session must have ended\nsession-ended session.status: must be COMPLETED for a CDR\n',
  });
});

describe('--ocpi 2.2.1', () => {
  it('prints the OCPI 2.2.1 CDR of an input that carries the token', async () => {
    const run = await buildCdrCli(vector('ac-paid-energy-and-idle-fee', 'session-ended-221.json'), '--ocpi', '2.2.1');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const expected = JSON.parse(readFileSync(vector('ac-paid-energy-and-idle-fee', 'expected-cdr-221.json'), 'utf8')) as object;
    expect(JSON.parse(run.stdout)).toEqual({
      ...expected,
      last_updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
  });

  it('names each field a 2.1.1-only input lacks, one per line, and exits 1', async () => {
    const run = await buildCdrCli(vector('ac-paid-energy-and-idle-fee', 'session-ended.json'), '--ocpi', '2.2.1');
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'cdr_token.country_code: is required for an OCPI 2.2.1 connection (the country code of the eMSP that owns the token; 2.1.1 input carries only auth_id)',
        'cdr_token.party_id: is required for an OCPI 2.2.1 connection (the party id of the eMSP that owns the token; 2.1.1 input carries only auth_id)',
        "cdr_token.uid: is required for an OCPI 2.2.1 connection (the token's uid; 2.1.1 input carries only auth_id)",
        'cdr_token.type: is required for an OCPI 2.2.1 connection (RFID, APP_USER, AD_HOC_USER or OTHER; 2.1.1 input carries only auth_id)',
        'vat_percentage: is required for an OCPI 2.2.1 connection (the VAT rate in percent, 0 when no VAT applies; without it a 2.2.1 tariff reads as "no VAT applicable")',
        '',
      ].join('\n'),
    });
  });

  it('prints the 2.1.1 CDR by default, and refuses a version it cannot build', async () => {
    const run = await buildCdrCli(vector('ac-paid-energy-and-idle-fee', 'session-ended-221.json'));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('auth_id', 'FR-GIR-C7K3M9Q2X');
    const refused = await buildCdrCli(vector('ac-paid-energy-and-idle-fee', 'session-ended-221.json'), '--ocpi', '2.2');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain("argument '2.2' is invalid. Allowed choices are 2.1.1, 2.2.1.");
  });

  it("with a GIREVE To party, applies GIREVE's RFID uid rule; toward an eMSP the same uid passes", async () => {
    const input = JSON.parse(readFileSync(vector('ac-paid-energy-and-idle-fee', 'session-ended-221.json'), 'utf8')) as {
      cdr_token: { uid: string };
    };
    input.cdr_token.uid = 'badge-0042';
    const file = join(mkdtempSync(join(tmpdir(), 'cdrflow-uid-')), 'session-ended.json');
    writeFileSync(file, JSON.stringify(input));
    const toGireve = await buildCdrCli(file, '--ocpi', '2.2.1', '--to-party', 'FR*107');
    expect(toGireve).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'OCPI 2.2.1 CDR cdr_token.uid: must be the RFID UID in hex, 8 or 14 characters (a 4- or 7-byte UID, zero-padded), ' +
        'got "BADGE-0042": GIREVE refuses a malformed RFID uid\n',
    });
    const toEmsp = await buildCdrCli(file, '--ocpi', '2.2.1', '--to-party', 'NL*EMS');
    expect(toEmsp).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(toEmsp.stdout)).toHaveProperty('cdr_token.uid', 'BADGE-0042');
    expect(await buildCdrCli(file, '--to-party', 'FR*107')).toMatchObject({
      code: 2,
      stderr: '--to-party: applies to an OCPI 2.2.1 CDR only (add --ocpi 2.2.1)\n',
    });
  });
});
