/**
 * A very deep queue (issue 15, item 1): N CDRs of one CPO are queued in Postgres (as after
 * a long IOP outage), then the IOP comes back. Does the queue drain all of them, in
 * order, exactly once, and does its rate hold from the deepest point to the last CDR?
 * Prints the drain rate by depth beside a bare sequential POST loop, and how the queue
 * workflow's history behaved (runs, largest run, largest start input).
 *
 *   npx tsx scripts/bench/deep-queue.ts [--cdrs=100000] [--latency=0] [--live=200]
 *
 * The backlog is written straight into Postgres (hand-in order = queue order), as hand-ins
 * and stored CDRs; the last `--live` sessions are handed in through startCdr while the
 * queue drains, so the live path joins the tail of the deep queue.
 */
import { buildCdr } from '../../src/cdr/build/build-cdr';
import { cdrIdFor } from '../../src/cdr/build/cdr-id';
import { parseSessionEnded } from '../../src/cdr/session/parse-session-ended';
import { startCdr } from '../../src/client/start-cdr';
import { signalCdrStored } from '../../src/temporal/queue-signals';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { createIopClient } from '../../src/iop/iop-client';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { argNumber, fmt, startBenchEnv } from './bench-env';

const party = { country_code: 'FR', party_id: 'DEP' };
const base = Date.parse('2026-11-01T00:00:00Z');
const sessionAt = (index: number) => simulatedSessionEnded({ party, sessionId: `DEEP-${index}`, start: new Date(base + index * 1_000) });

async function main(): Promise<void> {
  const count = argNumber('cdrs', 100_000);
  const latencyMs = argNumber('latency', 0);
  const live = argNumber('live', 200);
  const backlog = count - live;
  const env = await startBenchEnv({ iopLatencyMs: latencyMs });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    log(`writing a backlog of ${backlog} queued CDRs for FR*DEP into Postgres ...`);
    const template = buildCdr(parseSessionEnded(sessionAt(0), new Date()), new Date());
    const ids = Array.from({ length: count }, (_, index) => cdrIdFor(party, `DEEP-${index}`));
    const loadStart = Date.now();
    for (let from = 0; from < backlog; from += 5_000) {
      const slice = ids.slice(from, Math.min(from + 5_000, backlog));
      const sessions = slice.map((_, offset) => `DEEP-${from + offset}`);
      await env.pool.query(
        `INSERT INTO cdrs (country_code, party_id, id, session_id, cdr, last_updated, status)
         SELECT $1, $2, id, session_id, jsonb_set($5::jsonb, '{id}', to_jsonb(id)), now(), 'queued'
         FROM unnest($3::text[], $4::text[]) AS backlog(id, session_id)`,
        [party.country_code, party.party_id, slice, sessions, JSON.stringify(template)],
      );
      await env.pool.query(
        `INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
         SELECT $1, $2, id, session_id, now() FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS backlog(id, session_id, n)
         ORDER BY n`,
        [party.country_code, party.party_id, slice, sessions],
      );
    }
    // As autovacuum would soon after such a load: without statistics the planner may read a
    // queue entry by key through the order index, one scan of the whole queue per CDR.
    await env.pool.query('ANALYZE cdrs; ANALYZE queue_entries');
    log(`  written in ${fmt((Date.now() - loadStart) / 1000)} s`);

    // Baseline: the same kind of body, POSTed one after the other with the same HTTP client.
    const bareCount = Math.min(5_000, count);
    const bare = createIopClient({
      cdrsUrl: env.iop.cdrsUrl,
      token: env.iop.token,
      checkUrlTemplate: '{cdr_id}',
      requestTimeoutMs: 10_000,
    });
    const bareStart = process.hrtime.bigint();
    for (let index = 0; index < bareCount; index++) await bare.postCdr({ ...template, id: `BARE-${index}` });
    const barePerCdr = Number(process.hrtime.bigint() - bareStart) / 1e6 / bareCount;
    await bare.close();
    env.iop.received.length = 0;

    log(`draining (IOP answers in ${latencyMs} ms) ...`);
    // The queue workflow starts on the notice that the first CDR is stored, and reads the rest from Postgres.
    await signalCdrStored(env.client, env.taskQueue, party, { cdrId: ids[0]!, sessionId: 'DEEP-0', valid: true });
    const drainStart = Date.now();
    const handingIn = (async () => {
      for (let index = backlog; index < count; index++) {
        await startCdr(env.client, sessionAt(index), { taskQueue: env.taskQueue });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const marks = [0.1, 0.5, 0.9, 1].map((share) => Math.max(1, Math.round(count * share)));
    const rows: string[] = [];
    let last = { received: 0, at: drainStart };
    for (const mark of marks) {
      await waitUntil(() => env.iop.received.length >= mark, 4 * 3_600_000);
      const now = Date.now();
      const perCdr = (now - last.at) / (mark - last.received);
      rows.push(`| ${count - last.received} → ${count - mark} | ${fmt(1000 / perCdr)} | ${fmt(barePerCdr / perCdr, 3)}x |`);
      last = { received: mark, at: now };
    }
    await handingIn;
    const drainSeconds = (Date.now() - drainStart) / 1000;

    const receivedIds = env.iop.received.map((r) => r.id);
    const inOrder = receivedIds.length === count && receivedIds.every((id, index) => id === ids[index]);
    const runs: { events: number; inputBytes: number }[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId = '${cpoQueueWorkflowId(party)}'` })) {
      const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data?.length ?? 0;
      runs.push({ events: history.events?.length ?? 0, inputBytes: input });
    }

    log('');
    log(`| queue depth (CDRs waiting) | drained CDRs/s | vs bare loop (${fmt(1000 / barePerCdr)}/s) |`);
    log('|---|---|---|');
    for (const row of rows) log(row);
    log('');
    log(
      `${count} CDRs (${backlog} queued up front, ${live} handed in live) drained in ${fmt(drainSeconds)} s: ${fmt(count / drainSeconds)} CDRs/s`,
    );
    log(`delivered exactly once, in hand-in order: ${inOrder ? 'yes' : 'NO'}`);
    log(
      `queue workflow: ${runs.length} runs, largest ${Math.max(...runs.map((r) => r.events))} events, ` +
        `largest start input ${Math.max(...runs.map((r) => r.inputBytes))} bytes`,
    );
    if (!inOrder) process.exitCode = 1;
  } finally {
    await env.close();
  }
}

async function waitUntil(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
