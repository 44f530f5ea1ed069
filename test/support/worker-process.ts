/**
 * cdrflow's long-running commands in their own process (`node bin/cdrflow.js worker`), so
 * a test can kill the worker with SIGKILL mid-POST, as a crash or an OOM kill would, start
 * a new one, or read what a process writes on its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'cdrflow.js');

export interface CdrflowProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}
export type WorkerProcess = CdrflowProcess;

/** Starts `cdrflow <command>` and resolves once its stderr shows `readyText`. */
export async function spawnCdrflow(command: string, env: Record<string, string>, readyText: string): Promise<CdrflowProcess> {
  const child = spawn(process.execPath, [BIN, command], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  return spawnCdrflow('worker', env, 'cdrflow worker: task queue');
}
