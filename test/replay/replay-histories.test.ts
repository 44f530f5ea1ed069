/**
 * Workflows started by an earlier release keep running on this code: each recorded history
 * (scripts/record-histories.ts) replays without a nondeterminism error. A change that
 * breaks one belongs behind `patched()` (see docs/architecture.md, "Workflow code changes").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../support/temporal';

const HISTORIES = join(__dirname, 'histories');
const files = readdirSync(HISTORIES)
  .filter((file) => file.endsWith('.json'))
  .sort();

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  bundle = await bundleWorkflows();
});

test('there are recorded histories of both workflows to replay', () => {
  expect(files.some((file) => file.includes('-queue'))).toBe(true);
  expect(files.some((file) => file.includes('-session-'))).toBe(true);
});

test.each(files)('replays %s on the current workflow code', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, file);
});
