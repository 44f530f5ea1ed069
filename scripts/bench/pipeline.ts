/**
 * Pipeline benchmark (issue 9), against an IOP answering in 50 ms, all on this machine:
 * 1. capacity: N ended sessions over M CPOs handed in as fast as `concurrency` callers
 *    can; CDRs delivered per second from the first hand-in to the last IOP acceptance,
 *    against the same number of minimal workflows (one no-op activity) on the same server;
 * 2. latency at a load the server holds: sessions handed in at a steady rate (half the
 *    measured capacity), p50/p99 from session end (the startCdr call) to IOP acceptance.
 *
 *   npx tsx scripts/bench/pipeline.ts [--sessions=600] [--cpos=10] [--concurrency=8] [--latency=50]
 */
import { randomBytes } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startCdr } from '../../src/client/start-cdr';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { argNumber, fmt, percentile, runWithConcurrency, startBenchEnv } from './bench-env';

function summary(label: string, latencies: number[], elapsedMs: number): { rate: number; p50: number; p99: number; line: string } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const rate = latencies.length / (elapsedMs / 1000);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  return { rate, p50, p99, line: `| ${label} | ${fmt(rate)} | ${fmt(p50, 0)} | ${fmt(p99, 0)} |` };
}

async function main(): Promise<void> {
  const sessions = argNumber('sessions', 600);
  const cpos = argNumber('cpos', 10);
  const concurrency = argNumber('concurrency', 8);
  const latencyMs = argNumber('latency', 50);
  const env = await startBenchEnv({ iopLatencyMs: latencyMs });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    // Baseline: minimal workflows on the same server, handed in the same way.
    const noopConnection = await NativeConnection.connect({ address: env.server.address });
    const noopWorker = await Worker.create({
      connection: noopConnection,
      taskQueue: 'bench-noop',
      workflowsPath: require.resolve('./noop-workflow'),
      activities: { noop: async () => undefined },
    });
    const noopRunning = noopWorker.run();
    const baseStart = Date.now();
    const baseLatencies = await runWithConcurrency(sessions, concurrency, async (index) => {
      const t0 = Date.now();
      const handle = await env.client.workflow.start('benchNoopWorkflow', {
        taskQueue: 'bench-noop',
        workflowId: `noop-${index}-${randomBytes(3).toString('hex')}`,
      });
      await handle.result();
      return Date.now() - t0;
    });
    const baseline = summary('minimal workflow (one no-op activity)', baseLatencies, Date.now() - baseStart);
    noopWorker.shutdown();
    await noopRunning;
    await noopConnection.close();

    // cdrflow capacity: N sessions over M CPOs, as fast as the callers go.
    const parties = Array.from({ length: cpos }, (_, i) => ({ country_code: 'FR', party_id: `P${String(i).padStart(2, '0')}` }));
    const handedInAt = new Map<string, number>();
    const handInMs = new Map<string, number>();
    const handIn = async (index: number, prefix: string) => {
      const input = simulatedSessionEnded({
        party: parties[index % cpos]!,
        sessionId: `${prefix}-${index}`,
        start: new Date(Date.parse('2026-11-01T00:00:00Z') + index * 60_000),
      });
      const t0 = Date.now();
      const { cdrId } = await startCdr(env.client, input, { taskQueue: env.taskQueue });
      handedInAt.set(cdrId, t0);
      handInMs.set(cdrId, Date.now() - t0);
    };
    const acceptedSince = async (from: number, count: number) => {
      while (env.iop.received.length < from + count) await new Promise((resolve) => setTimeout(resolve, 20));
      return env.iop.received.slice(from, from + count);
    };
    const runStart = Date.now();
    await runWithConcurrency(sessions, concurrency, (index) => handIn(index, 'CAP'));
    const capacityRun = await acceptedSince(0, sessions);
    const capacityElapsed = Math.max(...capacityRun.map((r) => r.receivedAt.getTime())) - runStart;
    const capacity = summary(
      `cdrflow: ${cpos} CPOs, session end -> IOP acceptance`,
      capacityRun.map((r) => r.receivedAt.getTime() - handedInAt.get(r.id)!),
      capacityElapsed,
    );

    // Latency at a steady load the server holds: half the capacity just measured.
    const rate = Math.max(1, capacity.rate / 2);
    const paced = Math.min(sessions, Math.round(rate * 20));
    const pacedStart = Date.now();
    await Promise.all(
      Array.from({ length: paced }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, pacedStart + (index * 1000) / rate - Date.now()));
        await handIn(index, 'PACED');
      }),
    );
    const pacedRun = await acceptedSince(sessions, paced);
    const steady = summary(
      `cdrflow at a steady ${fmt(rate)} sessions/s`,
      pacedRun.map((r) => r.receivedAt.getTime() - handedInAt.get(r.id)!),
      Math.max(...pacedRun.map((r) => r.receivedAt.getTime())) - pacedStart,
    );

    log('');
    log(`| ${sessions} sessions, concurrency ${concurrency}, IOP ${latencyMs} ms | per second | p50 ms | p99 ms |`);
    log('|---|---|---|---|');
    log(baseline.line);
    log(capacity.line);
    log(steady.line);
    // Where a CDR's time goes at the steady load: the hand-in call, until it is stored, until the IOP has it.
    const stored = await env.pool.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM cdrs WHERE id = ANY($1)', [
      pacedRun.map((r) => r.id),
    ]);
    const storedAt = new Map(stored.rows.map((row) => [row.id, row.created_at.getTime()]));
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    log(
      `steady-load hops (p50): startCdr call ${fmt(median(pacedRun.map((r) => handInMs.get(r.id)!)), 0)} ms; ` +
        `session end -> CDR stored ${fmt(median(pacedRun.map((r) => storedAt.get(r.id)! - handedInAt.get(r.id)!)), 0)} ms; ` +
        `stored -> IOP acceptance ${fmt(median(pacedRun.map((r) => r.receivedAt.getTime() - storedAt.get(r.id)!)), 0)} ms (IOP ${latencyMs} ms)`,
    );
    log(`throughput ratio cdrflow/minimal: ${fmt(capacity.rate / baseline.rate, 3)}x (goal >= 0.5x)`);
    log(`p99 at a steady ${fmt(rate)} sessions/s: ${fmt(steady.p99, 0)} ms (goal < 1000 ms)`);
    const ids = env.iop.received.map((r) => r.id);
    log(`each CDR delivered once: ${new Set(ids).size === ids.length && ids.length === sessions + paced ? 'yes' : 'NO'}`);
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
