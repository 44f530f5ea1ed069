/**
 * The `cdrflow` command: one binary for the processes and the tools around them. Each
 * command loads its own modules when it runs, so a quick one (build-cdr, --help) does not
 * pay for the Temporal SDK, pg or the HTTP servers.
 */
import { Command, Option } from 'commander';
import { ConfigError } from '../config/index';
import type { BuildCdrOcpiVersion } from './build-cdr-command';
import { registerConnectionCommands } from './connection-commands';
import { registerOperatorCommands } from './operator-commands';
import { registerPullClientCommands } from './pull-client-commands';
import { registerRegistrationCommands } from './registration-commands';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('cdrflow')
    .description('Durable OCPI 2.1.1 CDR pipeline: ended sessions -> CDRs delivered to the GIREVE IOP, in order')
    .showHelpAfterError();

  program
    .command('worker')
    .description('run the Temporal worker (session and CPO queue workflows, POSTs to the IOP)')
    .action(async () => (await import('./worker-command')).runWorkerCommand());
  program
    .command('session-ended')
    .description('hand in one ended session (SessionEnded JSON) and print its workflow id')
    .argument('<file>', 'SessionEnded JSON file')
    .option('--json', 'print {workflowId, cdrId, alreadyStarted} as JSON')
    .action(async (file: string, options: { json?: boolean }) =>
      (await import('./session-ended-command')).runSessionEndedCommand(file, options),
    );
  program
    .command('build-cdr')
    .description('dry run: print the CDR a SessionEnded JSON file would give, or its validation errors')
    .argument('<file>', 'SessionEnded JSON file')
    .addOption(
      new Option('--ocpi <version>', 'OCPI version of the CDR (2.2.1 needs cdr_token in the input)')
        .choices(['2.1.1', '2.2.1'])
        .default('2.1.1'),
    )
    .option('--to-party <party>', "2.2.1: the receiver's To party; FR*007 or FR*107 (GIREVE) adds GIREVE's own rules")
    .action(async (file: string, options: { ocpi: BuildCdrOcpiVersion; toParty?: string }) => {
      process.exitCode = await (await import('./build-cdr-command')).runBuildCdrCommand(file, options);
    });
  program
    .command('mock-iop')
    .description('run a mock GIREVE IOP CDR receiver on loopback')
    .option('--port <port>', 'port to listen on', '8090')
    .option('--token <token>', 'token the mock expects from cdrflow', 'mock-iop-token')
    .action(async (options: { port: string; token: string }) => (await import('./mock-iop-command')).runMockIopCommand(options));
  program
    .command('api')
    .description('run the GIREVE-facing OCPI HTTP service (versions, CDR pull and check)')
    .action(async () => (await import('./api-command')).runApiCommand());
  program
    .command('intake')
    .description('run the intake for CPO backends: POST /sessions/ended (INTAKE_TOKENS, INTAKE_PORT)')
    .action(async () => (await import('./intake-command')).runIntakeCommand());
  program
    .command('demo')
    .description('run the whole pipeline locally: dev server + UI, worker, API, mock IOP, a few sessions')
    .option('--sessions <count>', 'ended sessions to simulate per party', '5')
    .option('--no-stay', 'stop when the CDRs are delivered (default when not on a terminal)')
    .action(async (options: { sessions: string; stay: boolean }) =>
      (await import('./demo-command')).runDemoCommand({
        ...options,
        stay: options.stay && process.stdout.isTTY === true && !process.env.CI,
      }),
    );
  registerOperatorCommands(program);
  registerConnectionCommands(program);
  registerPullClientCommands(program);
  registerRegistrationCommands(program);
  program
    .command('temporal-setup')
    .description(
      "add the search attributes cdrflow's workflows use to the Temporal namespace (idempotent; the worker also does it at start)",
    )
    .action(async () => (await import('./temporal-setup-command')).runTemporalSetupCommand());
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => (await import('./migrate-command')).runMigrateCommand());
  program
    .command('json-schema')
    .description('print the JSON Schema of the SessionEnded input')
    .action(async () => {
      const { sessionEndedJsonSchema } = await import('./json-schema-command');
      process.stdout.write(`${JSON.stringify(sessionEndedJsonSchema(), null, 2)}\n`);
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`cdrflow: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
