/**
 * The one way cdrflow processes log: JSON lines through pino, on stderr (stdout belongs to
 * the CLI commands' own output, e.g. `--json`), with tokens redacted (log-redaction.ts).
 * Fields worth searching by: `operator` (FR*ABC), `cdrId`, `sessionId`, `workflowId`.
 */
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { createLineScrubber, redactCredentialFields } from './log-redaction';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Names the process in every line: `cdrflow-worker`, `cdrflow-api`. */
  name: string;
  level: LevelWithSilent;
  /** Token values this process knows (IOP_TOKEN, OCPI_TOKENS entries, METRICS_TOKEN): never written. */
  secrets: readonly (string | null | undefined)[];
  /** Where lines go; stderr, synchronously, unless a test collects them. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = createLineScrubber(options.secrets);
  return pino(
    {
      name: options.name,
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // "warn" reads better than 40 in a terminal and in a log search.
      // The redaction serializes every Error it meets (as `err`, as Temporal's `error`, or
      // deeper), so pino's own error serializer must leave them as they are.
      formatters: { level: (label) => ({ level: label }), log: redactCredentialFields },
      serializers: { err: (serialized: unknown) => serialized },
      hooks: { streamWrite: scrub },
    },
    // Synchronous: the process may exit right after a line (shutdown, fatal error) and must not lose it.
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
