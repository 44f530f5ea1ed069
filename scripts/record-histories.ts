/**
 * Records real workflow histories for the replay test (test/replay): runs a few scenarios
 * on a fresh dev server, Postgres database and mock IOP, and writes each workflow's
 * history to test/replay/histories/<label>-<scenario>-<workflow>.json.
 *
 *   npx tsx scripts/record-histories.ts LABEL
 *
 * Record a new set (with a new LABEL) whenever the workflow code changes on purpose, and
 * keep the old sets: the replay test proves that workflows started by an older release
 * still run on the new code (or the change belongs behind `patched()`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { startCdr } from '../src/client/start-cdr';
import { simulatedSessionEnded } from '../src/dev/simulated-session';
import { startBenchEnv, type BenchEnv } from './bench/bench-env';
import { temporalCliPath } from '../src/temporal/dev-server';
import { cpoQueueWorkflowId } from '../workflows/ids';
import { pauseSignal, resumeSignal } from '../workflows/definitions';

const OUT_DIR = join(__dirname, '..', 'test', 'replay', 'histories');

interface Scenario {
  name: string;
  /** Runs on its own party; returns the ids of the workflows to keep, once they are settled. */
  run(env: BenchEnv, party: { country_code: string; party_id: string }): Promise<string[]>;
}

const session = (party: { country_code: string; party_id: string }, id: string, minutes: number) =>
  simulatedSessionEnded({ party, sessionId: id, start: new Date(Date.UTC(2026, 10, 20, 8, minutes)) });

async function settled(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).result();
}

/** Waits until the queue workflow has nothing left to do for now (its history stops growing). */
async function quiet(client: Client, workflowId: string): Promise<void> {
  let last = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    if (events === last) return;
    last = events;
  }
}

const scenarios: Scenario[] = [
  {
    name: 'delivered',
    async run(env, party) {
      const started = [];
      for (let index = 0; index < 3; index++) {
        started.push(await startCdr(env.client, session(party, `rec-ok-${index}`, index), { taskQueue: env.taskQueue }));
      }
      for (const one of started) await settled(env.client, one.workflowId);
      await quiet(env.client, cpoQueueWorkflowId(party));
      return [...started.map((one) => one.workflowId), cpoQueueWorkflowId(party)];
    },
  },
  {
    name: 'invalid',
    async run(env, party) {
      const input = session(party, 'rec-invalid', 0);
      input.session.kwh = 30; // the periods add up to less: the CDR is built invalid
      const started = await startCdr(env.client, input, { taskQueue: env.taskQueue });
      await settled(env.client, started.workflowId);
      return [started.workflowId];
    },
  },
  {
    name: 'retried-paused-rejected',
    async run(env, party) {
      env.iop.control({ failNext: 2, failNextBehaviour: 'http500' });
      const first = await startCdr(env.client, session(party, 'rec-retry-0', 0), { taskQueue: env.taskQueue });
      await settled(env.client, first.workflowId);
      const queue = env.client.workflow.getHandle(cpoQueueWorkflowId(party));
      await queue.signal(pauseSignal);
      const second = await startCdr(env.client, session(party, 'rec-retry-1', 1), { taskQueue: env.taskQueue });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      env.iop.control({ rejectIds: [second.cdrId] });
      await queue.signal(resumeSignal);
      await settled(env.client, second.workflowId);
      env.iop.control({ rejectIds: [] });
      await quiet(env.client, cpoQueueWorkflowId(party));
      return [first.workflowId, second.workflowId, cpoQueueWorkflowId(party)];
    },
  },
];

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^[a-z0-9.-]+$/.test(label)) throw new Error('usage: record-histories.ts LABEL (lowercase letters, digits, dots, dashes)');
  mkdirSync(OUT_DIR, { recursive: true });
  const env = await startBenchEnv({ iopLatencyMs: 0 });
  try {
    for (const [index, scenario] of scenarios.entries()) {
      const party = { country_code: 'RR', party_id: `R${String(index).padStart(2, '0')}` };
      const workflowIds = await scenario.run(env, party);
      for (const workflowId of workflowIds) {
        // The CLI writes the same JSON form as the Temporal UI's download and `historyFromJSON` reads.
        const json = execFileSync(
          temporalCliPath(),
          ['workflow', 'show', '--workflow-id', workflowId, '--address', env.server.address, '--output', 'json'],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        );
        const kind = workflowId.startsWith('cdr-queue:') ? 'queue' : `session-${workflowId.split(':').pop()}`;
        const file = join(OUT_DIR, `${label}-${scenario.name}-${kind}.json`);
        writeFileSync(file, json.endsWith('\n') ? json : `${json}\n`);
        console.log(`recorded ${file} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`);
      }
    }
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
