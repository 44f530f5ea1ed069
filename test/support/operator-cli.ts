/**
 * The CLI as an operator of a test pipeline runs it: `connection ...` with the database
 * alone, the other commands with Temporal too; token files written where only tests look.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from './cli';
import { temporalAddress, type PipelineSuite } from './temporal';

export interface OperatorCli {
  connection(args: string[]): Promise<CliResult>;
  run(args: string[]): Promise<CliResult>;
  /** A file holding `token`, as `--token-file` takes it. */
  tokenFile(name: string, token: string): string;
}

export function operatorCliOf(suite: PipelineSuite): OperatorCli {
  const dir = mkdtempSync('/tmp/cdrflow-tokens-');
  return {
    connection: (args) => runCli(['connection', ...args], { DATABASE_URL: suite.db.url }),
    run: (args) =>
      runCli(args, { DATABASE_URL: suite.db.url, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_TASK_QUEUE: suite.pipeline.taskQueue }),
    tokenFile(name, token) {
      const file = join(dir, name);
      writeFileSync(file, `${token}\n`);
      return file;
    },
  };
}
