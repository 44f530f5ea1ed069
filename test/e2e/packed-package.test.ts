/**
 * cdrflow as a CPO backend in TypeScript gets it: the packed tarball (`npm pack`),
 * installed into a scratch project, imported with its types, and startCdr called against
 * the dev server. Only the compiled code ships: no TypeScript source, no tsx.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { runCli } from '../support/cli';
import { simulatedSessions } from '../support/sessions';
import { randomParty, temporalAddress } from '../support/temporal';

const root = join(__dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let scratch: string;

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'cdrflow-pack-'));
  // dist/ is built (jest's global setup checks it): pack it as it is.
  execFileSync('npm', ['pack', root, '--ignore-scripts', '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = join(
    work,
    readdirSync(work).find((name) => name.endsWith('.tgz'))!,
  );
  scratch = join(work, 'backend');
  mkdirSync(scratch);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'cpo-backend', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: scratch,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 240_000);

/** Type-checks `source` in the scratch project against the installed package's .d.ts. */
function compile(name: string, source: string): { ok: boolean; output: string } {
  writeFileSync(join(scratch, name), source);
  const config = {
    compilerOptions: { strict: true, target: 'es2022', module: 'commonjs', moduleResolution: 'node', types: [], skipLibCheck: true },
    files: [name],
  };
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratch, encoding: 'utf8' });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

test('the tarball ships compiled code and types, not TypeScript sources', () => {
  const installed = join(scratch, 'node_modules', 'cdrflow');
  expect(readdirSync(join(installed, 'dist', 'src'))).toContain('index.d.ts');
  expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'docs', 'package.json']);
  expect(readdirSync(join(scratch, 'node_modules'))).not.toContain('tsx');
});

test('a backend imports startCdr with its types and hands a session in against the dev server', async () => {
  const party = randomParty();
  const [input] = simulatedSessions(1, 'packed', party);
  writeFileSync(join(scratch, 'session.json'), JSON.stringify(input));
  const compiled = compile(
    'hand-in.ts',
    `import { readFileSync } from 'fs';
     import { connectTemporalClient, parseSessionEnded, startCdr, TemporalSetupError, type SessionEnded, type StartedCdr } from 'cdrflow';
     async function main(): Promise<void> {
       const session: SessionEnded = parseSessionEnded(JSON.parse(readFileSync('session.json', 'utf8')));
       const client = await connectTemporalClient();
       try {
         const started: StartedCdr = await startCdr(client, session, { taskQueue: 'packed-package' });
         process.stdout.write(JSON.stringify(started));
       } catch (error) {
         if (error instanceof TemporalSetupError) process.stderr.write(error.code);
         throw error;
       } finally {
         await client.connection.close();
       }
     }
     void main();`,
  );
  expect(compiled).toEqual({ ok: true, output: '' });
  const output = execFileSync(process.execPath, ['hand-in.js'], {
    cwd: scratch,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: temporalAddress() },
  });
  const started = JSON.parse(output) as { workflowId: string; cdrId: string; alreadyStarted: boolean };
  expect(started.workflowId).toBe(`cdr:${party.country_code}*${party.party_id}:packed-0`);
  const client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  try {
    const description = await client.workflow.getHandle(started.workflowId).describe();
    expect(description.type).toBe('cdrSessionWorkflow');
    await client.workflow.getHandle(started.workflowId).terminate('test: no worker on this task queue');
  } finally {
    await client.connection.close();
  }
});

test('the types are real: a wrong input does not compile', () => {
  const compiled = compile(
    'wrong.ts',
    `import { startCdr, type StartedCdr } from 'cdrflow';
     declare const client: Parameters<typeof startCdr>[0];
     async function main(): Promise<void> {
       const started: StartedCdr = await startCdr(client, {}, { taskQueue: 42 });
       const id: number = started.workflowId;
     }`,
  );
  expect(compiled.ok).toBe(false);
  // Line 4: taskQueue is a string; line 5: workflowId is a string.
  expect(compiled.output).toMatch(/wrong\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  expect(compiled.output).toMatch(/wrong\.ts\(5,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
});

test('the installed binary runs the compiled CLI', async () => {
  const result = await runCli(['--help'], {}, join(scratch, 'node_modules', 'cdrflow', 'bin', 'cdrflow.js'));
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('temporal-setup');
});
