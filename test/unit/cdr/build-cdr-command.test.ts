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

function buildCdrCli(file: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'cdrflow.js'), 'build-cdr', file], { cwd: ROOT }, (error, stdout, stderr) => {
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
    stderr: 'session-ended session.end_datetime: is required: the session must have ended\nsession-ended session.status: must be COMPLETED for a CDR\n',
  });
});
