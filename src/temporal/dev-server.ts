/**
 * Starts the real Temporal CLI dev server (installed by scripts/setup) as a child process
 * and waits until it answers. Used by the demo and by the tests; production uses a real
 * cluster (docker-compose.yml).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeRegistrations } from '../../workflows/search-attributes';
import { packageRoot } from '../package-root';

const PROJECT_ROOT = packageRoot();

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  headless?: boolean;
  /** Register cdrflow's search attributes at start (default); false: a plain `start-dev`. */
  searchAttributes?: boolean;
  /** Server settings (`--dynamic-config-value`), e.g. a test's low per-run signal limit. */
  dynamicConfig?: Record<string, number | string>;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function temporalCliPath(): string {
  return execFileSync(join(PROJECT_ROOT, 'scripts', 'temporal-path'), { encoding: 'utf8' }).trim();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (options.headless ?? true) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort ?? 8233));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {}))
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  for (const [name, type] of options.searchAttributes === false ? [] : Object.entries(searchAttributeRegistrations)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 200) output.shift();
    options.log?.(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child, output);
  return {
    address,
    uiUrl: options.headless === false ? `http://127.0.0.1:${options.uiPort ?? 8233}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`temporal dev server exited with ${child.exitCode}:\n${output.join('')}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`temporal dev server at ${address} did not answer within 60 s: ${String(lastError)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
