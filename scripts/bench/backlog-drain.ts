/**
 * Backlog drain benchmark (issue 9): K CDRs of one CPO queue up while the IOP is down;
 * when it comes back (answering in 50 ms), how fast does the queue drain, in strict FIFO,
 * against a bare sequential POST loop of the same bodies to the same mock IOP?
 *
 * With --receivers=2 the CPO has two connections (two mock IOPs, both down, then back):
 * each lane's drain is measured, to see that a second receiver costs the first nothing.
 *
 *   npx tsx scripts/bench/backlog-drain.ts [--cdrs=10000] [--latency=50] [--receivers=1|2]
 */
import { createIopClient } from '../../src/iop/iop-client';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { startCdr } from '../../src/client/start-cdr';
import { cpoQueueWorkflowId } from '../../workflows/ids';
import { pauseSignal, queueStatusQuery, resumeSignal } from '../../workflows/definitions';
import { summarizeQueue } from '../../src/store/queue-repo';
import { addConnection } from '../../src/store/connection-repo';
import { startMockIop, type MockIop } from '../../src/dev/mock-iop';
import { argNumber, fmt, runWithConcurrency, startBenchEnv } from './bench-env';

const party = { country_code: 'FR', party_id: 'BNC' };

async function main(): Promise<void> {
  const count = argNumber('cdrs', 10_000);
  const latencyMs = argNumber('latency', 50);
  // POST round trips as the delivery activity measured them: the rest of a CDR's cycle is ours.
  const postMs: number[] = [];
  const env = await startBenchEnv({
    iopLatencyMs: latencyMs,
    deliveryObserver: { attemptEnded: (attempt) => void (attempt.postSeconds !== null && postMs.push(attempt.postSeconds * 1000)) },
  });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const receivers: MockIop[] = [env.iop];
  try {
    // A second receiver: both it and the IOP_* mock become connections of the party.
    if (argNumber('receivers', 1) >= 2) {
      receivers.push(await startMockIop({ token: 'second-token', control: { latencyMs } }));
      for (const [index, mock] of receivers.entries()) {
        const name = index === 0 ? 'first' : 'second';
        await addConnection(env.pool, {
          party,
          name,
          ocpiVersion: '2.1.1',
          cdrsUrl: mock.cdrsUrl,
          token: mock.token,
          checkUrlTemplate: null,
          enabled: true,
        });
      }
    }
    for (const mock of receivers) mock.control({ behaviour: 'http500' });
    log(`handing in ${count} ended sessions for FR*BNC while the IOP answers 500 ...`);
    const handInStart = Date.now();
    const base = Date.parse('2026-11-01T00:00:00Z');
    // One caller: 8 at once to one party is a storm of ~150 signals/s in which the queue's
    // hand-over to a new run waits for a quiet moment (see src/temporal/queue-signals.ts). The
    // FIFO order to check is the queue's own, as Postgres recorded it at hand-in.
    await runWithConcurrency(count, 1, async (index) => {
      const input = simulatedSessionEnded({ party, sessionId: `BENCH-${index}`, start: new Date(base + index * 60_000) });
      await startCdr(env.client, input, { taskQueue: env.taskQueue });
    });
    log(`  handed in at ${fmt(count / ((Date.now() - handInStart) / 1000))} sessions/s`);
    await waitUntil(async () => {
      const stored = await env.pool.query("SELECT count(*) FROM cdrs WHERE status = 'queued'");
      const entries = await env.pool.query('SELECT count(*) FROM queue_entries');
      return Number(stored.rows[0].count) === count && Number(entries.rows[0].count) === count;
    });
    const order = await env.pool.query<{ cdr_id: string }>('SELECT cdr_id FROM queue_entries ORDER BY seq');
    const started = order.rows.map((row) => row.cdr_id);
    const queue = env.client.workflow.getHandle(cpoQueueWorkflowId(party));
    await queue.signal(pauseSignal);
    // Every lane stopped (a run under way finishes first): nothing reaches a receiver during the baseline.
    await waitUntil(async () => {
      const status = await queue.query(queueStatusQuery);
      const lanes = status.lanes ?? [];
      return status.paused && lanes.length === receivers.length && lanes.every((lane) => lane.activity === 'paused');
    });
    log(`  all ${count} stored; queue depth ${(await summarizeQueue(env.pool, party)).depth}, paused for the baseline`);

    // Baseline: the same bodies, POSTed one after the other with the same HTTP client.
    for (const mock of receivers) mock.control({ behaviour: 'accept' });
    const bodies = await env.pool.query<{ cdr: unknown }>('SELECT cdr FROM cdrs ORDER BY created_at');
    const bare = createIopClient({
      cdrsUrl: env.iop.cdrsUrl,
      token: env.iop.token,
      checkUrlTemplate: '{cdr_id}',
      requestTimeoutMs: 10_000,
    });
    const bareStart = process.hrtime.bigint();
    for (const row of bodies.rows) await bare.postCdr(row.cdr);
    const bareMs = Number(process.hrtime.bigint() - bareStart) / 1e6;
    await bare.close();
    for (const mock of receivers) mock.received.length = 0;
    postMs.length = 0;

    await queue.signal(resumeSignal);
    await waitUntil(async () => receivers.every((mock) => mock.received.length >= count), 3_600_000);
    for (const mock of receivers.slice(1)) {
      const drained = (mock.received[count - 1]!.receivedAt.getTime() - mock.received[0]!.receivedAt.getTime()) / (count - 1);
      const ordered = mock.received.map((r) => r.id).join() === started.join() && mock.received.length === count;
      log(
        `second receiver's lane: ${fmt(1000 / drained)} CDRs/s, ${fmt(drained, 2)} ms per CDR; exactly once, in FIFO order: ${ordered ? 'yes' : 'NO'}`,
      );
    }
    const first = env.iop.received[0]!.receivedAt.getTime();
    const last = env.iop.received[count - 1]!.receivedAt.getTime();
    const drainMs = last - first;
    const inOrder = env.iop.received.map((r) => r.id).join() === started.join();
    const barePerCdr = bareMs / count;
    const drainPerCdr = drainMs / (count - 1);
    log('');
    log(`| backlog of ${count} CDRs, IOP ${latencyMs} ms | CDRs/s | ms per CDR |`);
    log('|---|---|---|');
    log(`| bare sequential POST loop | ${fmt(1000 / barePerCdr)} | ${fmt(barePerCdr, 2)} |`);
    log(`| cdrflow queue drain (first to last acceptance) | ${fmt(1000 / drainPerCdr)} | ${fmt(drainPerCdr, 2)} |`);
    log(`ratio drain/bare: ${fmt(barePerCdr / drainPerCdr, 3)}x (goal >= 0.9x)`);
    // Where a CDR's time goes: gaps between acceptances inside a run, the gaps between runs
    // (activity completes, workflow task, next activity starts), and the POST itself.
    const gaps = env.iop.received.slice(1, count).map((r, i) => r.receivedAt.getTime() - env.iop.received[i]!.receivedAt.getTime());
    const sortedGaps = [...gaps].sort((a, b) => a - b);
    const typical = sortedGaps[Math.floor(sortedGaps.length / 2)]!;
    const between = gaps.filter((gap) => gap > typical + 100);
    const sortedPosts = [...postMs].sort((a, b) => a - b);
    log(
      `profile: median POST round trip ${fmt(sortedPosts[Math.floor(sortedPosts.length / 2)] ?? 0, 2)} ms (bare loop ${fmt(barePerCdr, 2)} ms per CDR);`,
    );
    log(
      `  median gap between acceptances ${fmt(typical, 2)} ms; ${between.length} gaps between runs, ${fmt(between.reduce((a, b) => a + b, 0))} ms in all (${fmt(between.reduce((a, b) => a + b, 0) / count, 2)} ms per CDR)`,
    );
    log(`delivered exactly once, in FIFO order: ${inOrder && env.iop.received.length === count ? 'yes' : 'NO'}`);
  } finally {
    await Promise.all(receivers.slice(1).map((mock) => mock.close()));
    await env.close();
  }
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 1_800_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
