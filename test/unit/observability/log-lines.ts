/** A logger whose lines are kept in memory, for tests that read what would have been written. */
import type { LevelWithSilent } from 'pino';
import { createLogger, type Logger } from '../../../src/observability/logger';

export interface CapturedLogger {
  logger: Logger;
  /** Every line written so far, raw (what a log collector would receive). */
  text(): string;
  /** Every line parsed. */
  lines(): Array<Record<string, unknown>>;
}

export function captureLogger(secrets: string[] = [], level: LevelWithSilent = 'trace'): CapturedLogger {
  const written: string[] = [];
  const logger = createLogger({ name: 'test', level, secrets, destination: { write: (line: string) => void written.push(line) } });
  return {
    logger,
    text: () => written.join(''),
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
