/**
 * Pipeline benchmark (issue 9): N ended sessions over M CPOs, handed in with a bounded
 * concurrency, against an IOP answering in 50 ms. CDRs delivered per second and p50/p99
 * from session end (the startCdr call) to IOP acceptance; baseline in the same run: the
 * same number of minimal workflows (one no-op activity) on the same server.
 *
 *   npx tsx scripts/bench/pipeline.ts [--sessions=600] [--cpos=10] [--concurrency=8] [--latency=50]
 */
import { randomBytes } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startCdr } from '../../src/client/start-cdr';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { argNumber, fmt, percentile, startBenchEnv } from './bench-env';

async function runWithConcurrency<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

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

    // cdrflow: N sessions over M CPOs, session end -> IOP acceptance.
    const parties = Array.from({ length: cpos }, (_, i) => ({ country_code: 'FR', party_id: `P${String(i).padStart(2, '0')}` }));
    const handedInAt = new Map<string, number>();
    const runStart = Date.now();
    await runWithConcurrency(sessions, concurrency, async (index) => {
      const input = simulatedSessionEnded({
        party: parties[index % cpos]!,
        sessionId: `PIPE-${index}`,
        start: new Date(Date.parse('2026-11-01T00:00:00Z') + index * 60_000),
      });
      const t0 = Date.now();
      const { cdrId } = await startCdr(env.client, input, { taskQueue: env.taskQueue });
      handedInAt.set(cdrId, t0);
    });
    while (env.iop.received.length < sessions) await new Promise((resolve) => setTimeout(resolve, 50));
    const lastAccepted = Math.max(...env.iop.received.map((r) => r.receivedAt.getTime()));
    const latencies = env.iop.received.map((r) => r.receivedAt.getTime() - handedInAt.get(r.id)!);
    const pipeline = summary(`cdrflow: session end -> IOP acceptance (${cpos} CPOs)`, latencies, lastAccepted - runStart);

    log('');
    log(`| ${sessions} sessions, concurrency ${concurrency}, IOP ${latencyMs} ms | per second | p50 ms | p99 ms |`);
    log('|---|---|---|---|');
    log(baseline.line);
    log(pipeline.line);
    log(`throughput ratio cdrflow/minimal: ${fmt(pipeline.rate / baseline.rate, 3)}x (goal >= 0.5x); p99 ${fmt(pipeline.p99, 0)} ms (goal < 1000 ms)`);
    log(`each CDR delivered once: ${new Set(env.iop.received.map((r) => r.id)).size === sessions ? 'yes' : 'NO'}`);
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
