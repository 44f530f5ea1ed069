/**
 * What a CLI call costs a backend that hands sessions in through it (issue 12): wall time
 * (median of N runs) and peak memory of `cdrflow build-cdr` on a test vector and of
 * `cdrflow session-ended` against a running dev server, beside `node -e 0` in the same run.
 *
 *   npx tsx scripts/bench/cli-startup.ts [--runs=10]
 *
 * Runs the compiled CLI (bin/cdrflow.js -> dist/): build it first (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import { startDevServer } from '../../src/temporal/dev-server';
import { argNumber, fmt } from './bench-env';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'cdrflow.js');

interface Measured {
  wallMs: number;
  maxRssMb: number;
}

/** One run under /usr/bin/time: wall time and peak resident memory of the process. */
function measure(args: string[], env: Record<string, string>): Measured {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const maxRssKb = Number(run.stderr.trim().split('\n').pop());
  return { wallMs, maxRssMb: maxRssKb / 1024 };
}

function summary(label: string, runs: Measured[], baseline?: number): string {
  const walls = runs.map((run) => run.wallMs).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)]!;
  const rss = Math.max(...runs.map((run) => run.maxRssMb));
  return `| ${label} | ${fmt(median, 0)} ms | ${baseline ? `${fmt(median / baseline, 2)}x` : '1x'} | ${fmt(rss, 0)} MiB |`;
}

async function main(): Promise<void> {
  const runs = argNumber('runs', 10);
  const server = await startDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'cdrflow-cli-bench-'));
  try {
    const vector = join(root, 'test', 'vectors', 'ac-paid-energy-and-idle-fee', 'session-ended.json');
    const times = (count: number, make: (index: number) => string[], env: Record<string, string> = {}) =>
      Array.from({ length: count }, (_, index) => measure(make(index), env));

    const node = times(runs, () => ['-e', '0']);
    const nodeMedian = node.map((run) => run.wallMs).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    const buildCdr = times(runs, () => [bin, 'build-cdr', vector]);
    const sessionEnded = times(
      runs,
      (index) => {
        const file = join(dir, `session-${index}.json`);
        const input = simulatedSessionEnded({
          party: { country_code: 'FR', party_id: 'CLI' },
          sessionId: `CLI-${Date.now()}-${index}`,
          start: new Date(Date.now() - 3 * 3_600_000),
        });
        writeFileSync(file, JSON.stringify(input));
        return [bin, 'session-ended', file];
      },
      { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: 'cli-bench' },
    );

    process.stdout.write(`| command (median of ${runs}) | wall | vs node -e 0 | peak memory |\n|---|---|---|---|\n`);
    process.stdout.write(`${summary('node -e 0', node)}\n`);
    process.stdout.write(`${summary('cdrflow build-cdr (test vector)', buildCdr, nodeMedian)}\n`);
    process.stdout.write(`${summary('cdrflow session-ended (dev server)', sessionEnded, nodeMedian)}\n`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
