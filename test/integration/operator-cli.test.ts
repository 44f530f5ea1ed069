/**
 * Every operator command, run as a process against the real dev server and Postgres,
 * while a real worker delivers to the mock IOP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueStatusQuery } from '../../workflows/definitions';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { runCli } from '../support/cli';
import { handIn, resultOf, simulatedSessions } from '../support/sessions';
import { usePipeline, randomParty, temporalAddress, waitFor } from '../support/temporal';

const suite = usePipeline();
const dir = mkdtempSync(join(tmpdir(), 'cdrflow-cli-'));
const party = randomParty();
const operator = `${party.country_code}*${party.party_id}`;
const inputs = simulatedSessions(4, 'cli', party);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = async (...args: string[]) =>
  runCli(args, { DATABASE_URL: suite.db.url, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_TASK_QUEUE: suite.pipeline.taskQueue });
const json = async <T>(...args: string[]): Promise<T> => {
  const result = await cli(...args, '--json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
};
const writeInput = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

test('session-ended hands a session in; status shows where its CDR is; list shows it rejected', async () => {
  const started = await json<{ workflowId: string; cdrId: string }>('session-ended', writeInput('s0.json', inputs[0]));
  expect(started.workflowId).toBe(`cdr:${operator}:cli-0`);
  suite.pipeline.iop.control({ rejectIds: [started.cdrId] });
  expect((await resultOf(suite.pipeline.client, started.workflowId)).status).toBe('rejected');
  suite.pipeline.iop.control({ rejectIds: [] });

  const status = await json<{ status: string; cdrId: string; lastError: string; workflowStatus: string }>('status', operator, 'cli-0');
  expect(status).toMatchObject({ status: 'rejected', cdrId: started.cdrId, workflowStatus: 'COMPLETED' });
  expect(status.lastError).toMatch(/OCPI 2001/);

  const rejected = await json<Array<{ id: string }>>('list', '--status', 'rejected', '--operator', operator);
  expect(rejected.map((row) => row.id)).toEqual([started.cdrId]);
  const human = await cli('list', '--status', 'rejected', '--operator', operator);
  expect(human.stdout).toContain(`session cli-0  cdr ${started.cdrId}`);
});

test('resend puts the rejected CDR back in the queue and it is delivered', async () => {
  const { cdrId } = await json<{ cdrId: string }>('status', operator, 'cli-0');
  const resent = await json<{ requeued: boolean }>('resend', operator, cdrId);
  expect(resent.requeued).toBe(true);
  await waitFor('the re-sent CDR to be sent', async () =>
    (await json<{ status: string }>('status', operator, 'cli-0')).status === 'sent' ? true : undefined,
  );
  const again = await cli('resend', operator, cdrId);
  expect(again.code).toBe(1);
  expect(again.stdout).toMatch(/only a rejected CDR, or a sent one the IOP no longer has \(and no credit CDR cancels\), can be re-sent/);
});

test('pause holds a CPO queue, queue reports it, resume drains it', async () => {
  expect((await json<{ paused: boolean }>('pause', operator)).paused).toBe(true);
  await waitFor('the pause', async () =>
    (await suite.pipeline.client.workflow.getHandle(cpoQueueWorkflowId(party)).query(queueStatusQuery)).paused ? true : undefined,
  );
  const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, [inputs[1]!]);
  const report = await waitFor('the held CDR in the queue report', async () => {
    const current = await json<{
      depth: number;
      paused: boolean;
      head: string;
      oldestAgeSeconds: number;
      lanes: { depth: number; oldestWaitingSince: string | null }[];
    }>('queue', operator);
    return current.depth === 1 ? current : undefined;
  });
  expect(report).toMatchObject({ paused: true, head: started!.cdrId });
  expect(report.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
  // Each lane says since when its oldest CDR waits: the --backfill-from of a replacement receiver.
  expect(report.lanes[0]?.depth).toBe(1);
  expect(Date.now() - Date.parse(report.lanes[0]?.oldestWaitingSince ?? '')).toBeLessThan(120_000);
  expect((await cli('queue', operator)).stdout).toMatch(/depth\s+1/);

  expect((await json<{ paused: boolean }>('resume', operator)).paused).toBe(false);
  expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('delivered');
  const after = await json<{ depth: number; storedByStatus: Record<string, number> }>('queue', operator);
  expect(after).toMatchObject({ depth: 0, storedByStatus: { sent: 2 } });
});

test('replay rebuilds an invalid CDR from a corrected input, and refuses a CDR already sent', async () => {
  // kwh contradicts the periods (which add up to 7 kWh) yet stays deliverable in the hour charged: an invalid CDR.
  const broken = { ...inputs[2]!, session: { ...inputs[2]!.session, kwh: 30 } };
  const [started] = await handIn(suite.pipeline.client, suite.pipeline.taskQueue, [broken]);
  expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('invalid');
  const invalid = await json<Array<{ id: string; validation_errors: string[] }>>('list', '--status', 'invalid', '--operator', operator);
  expect(invalid[0]?.validation_errors.join()).toMatch(/total_energy/);

  const replayed = await json<{ workflowId: string }>('replay', operator, 'cli-2', '--input', writeInput('fixed.json', inputs[2]));
  expect(replayed.workflowId).toBe(started!.workflowId);
  expect((await resultOf(suite.pipeline.client, started!.workflowId)).status).toBe('delivered');

  const elsewhere = await cli('replay', operator, 'cli-2', '--input', writeInput('other.json', inputs[3]));
  expect(elsewhere.code).toBe(1);
  expect(elsewhere.stderr).toMatch(/the input must be for .* session cli-2/);

  const refused = await cli('replay', operator, 'cli-2');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/is sent: a CDR cannot be changed once queued or sent/);
});

test('commands name a bad operator id and a missing variable', async () => {
  const bad = await cli('queue', 'FRANCE');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/"FRANCE" is not an operator id/);
  const missing = await runCli(['queue', operator], { TEMPORAL_ADDRESS: temporalAddress() });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/DATABASE_URL: is required/);
});
