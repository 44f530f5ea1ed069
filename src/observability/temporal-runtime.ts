/**
 * Installs the Temporal Runtime of a worker process with our logger. Called once, by the
 * worker command, before the first connection: Runtime.install fails once a Runtime exists,
 * which is why createCdrWorker never calls it (tests install a quiet one of their own).
 */
import type { LogLevel } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { LevelWithSilent, Logger } from 'pino';
import { PinoTemporalLogger } from './temporal-logger';

/**
 * Core's (Rust) own log level for our LOG_LEVEL. Core's INFO narrates every poll and
 * connection, so it is forwarded only when debugging; the SDK's TS side logs at the
 * pino level as is.
 */
const CORE_LEVEL = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'WARN',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
} as const satisfies Record<LevelWithSilent, LogLevel>;

export function installTemporalRuntime(logger: Logger): void {
  const core = CORE_LEVEL[logger.level as LevelWithSilent] ?? 'WARN';
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    // `forward`: Core's lines go through the same logger, so they are JSON too.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core, other: 'ERROR' }), forward: {} } },
  });
}
