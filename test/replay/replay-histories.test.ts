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

/** The ids of the `patched()` markers a recorded history holds. */
function patchesIn(file: string): string[] {
  const { events } = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as {
    events: { markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: { data: string }[] }> } }[];
  };
  return events.flatMap(({ markerRecordedEventAttributes: marker }) => {
    if (marker?.markerName !== 'core_patch') return [];
    const payload = marker.details['patch-data']?.payloads[0]?.data ?? '';
    return [(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { id: string }).id];
  });
}

test('histories recorded since the compatibility patches carry their markers, older ones none', () => {
  const recordedSince = files.filter((file) => /^v0\.[45]-/.test(file));
  expect(recordedSince.length).toBeGreaterThan(0);
  for (const file of recordedSince) {
    expect(patchesIn(file)).toContain(file.includes('-queue') ? 'queue-lanes' : 'session-connection');
  }
  // A queue run keeps its pause in Postgres since v0.5; v0.4's runs do not.
  for (const file of files.filter((file) => file.includes('-queue'))) {
    expect(patchesIn(file).includes('pause-in-postgres')).toBe(file.startsWith('v0.5-'));
  }
  for (const file of files.filter((file) => /^v0\.[123]-/.test(file))) expect(patchesIn(file)).toEqual([]);
});
