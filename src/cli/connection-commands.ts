/**
 * `cdrflow connection add|list|update|disable|enable`: the receivers of each CPO party's
 * CDRs (table `connections`). Needs only the database (DATABASE_URL); a running worker
 * picks a change up at its next delivery run. No command prints a token.
 */
import type { Command } from 'commander';
import type { Pool } from 'pg';
import type { ConnectionOptions } from '../connections/connection-input';
import type { ConnectionListing } from '../store/connection-repo';
import { parseOperatorId } from '../operator/party-arg';

async function withStore<T>(run: (pool: Pool) => Promise<T>): Promise<T> {
  const [{ databaseConfig }, { createPool }, { migrate }] = await Promise.all([
    import('../config'),
    import('../store/pool'),
    import('../store/migrate'),
  ]);
  const pool = createPool(databaseConfig().DATABASE_URL, 2);
  try {
    // The table may not exist yet when connections are set up before the first worker start.
    await migrate(pool);
    return await run(pool);
  } finally {
    await pool.end();
  }
}

function describe(connection: ConnectionListing): string {
  const operator = `${connection.party.country_code}*${connection.party.party_id}`;
  return [
    `${operator}/${connection.name}`.padEnd(24),
    `OCPI ${connection.ocpiVersion}`,
    connection.enabled ? 'enabled ' : 'disabled',
    connection.cdrsUrl,
  ].join('  ');
}

interface JsonOption {
  json?: boolean;
}

function print(value: ConnectionListing | ConnectionListing[], options: JsonOption): void {
  const list = Array.isArray(value) ? value : [value];
  process.stdout.write(
    options.json
      ? `${JSON.stringify(value, null, 2)}\n`
      : `${list.length === 0 ? 'no connections: every party delivers through IOP_CDRS_URL / IOP_TOKEN' : list.map(describe).join('\n')}\n`,
  );
}

const load = {
  input: () => import('../connections/connection-input'),
  repo: () => import('../store/connection-repo'),
};

export function registerConnectionCommands(program: Command): void {
  const connection = program
    .command('connection')
    .description("the receivers of a CPO party's CDRs (GIREVE, an eMSP): endpoint, token, OCPI version");

  connection
    .command('add')
    .description("add a receiver for a CPO party: its queue delivers there from the next run (queued CDRs included)")
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .requiredOption('--name <name>', 'a name for the connection, like gireve')
    .option('--version <version>', 'OCPI version the receiver speaks: 2.1.1 or 2.2.1', '2.1.1')
    .requiredOption('--cdrs-url <url>', "the receiver's CDR endpoint (https)")
    .requiredOption('--token-file <file>', 'file holding the token the receiver gave for this party')
    .option('--check-url-template <template>', 'where one CDR is looked up, {cdr_id} replaced (default: <cdrs-url>/{cdr_id})')
    .option('--disabled', 'add it disabled')
    .option('--json', 'JSON output')
    .action(async (operator: string, options: ConnectionOptions & JsonOption & { name: string; disabled?: boolean }) => {
      const party = parseOperatorId(operator);
      const { connectionNameSchema, readConnectionOptions } = await load.input();
      const name = connectionNameSchema.safeParse(options.name);
      if (!name.success) throw new Error(`invalid connection:\n  --name: ${name.error.issues[0]?.message ?? 'invalid'}`);
      const settings = readConnectionOptions(options, process.env, ['cdrsUrl', 'tokenFile']);
      const { addConnection } = await load.repo();
      const added = await withStore((pool) =>
        addConnection(pool, {
          party,
          name: name.data,
          ocpiVersion: settings.ocpiVersion ?? '2.1.1',
          cdrsUrl: settings.cdrsUrl!,
          token: settings.token!,
          checkUrlTemplate: settings.checkUrlTemplate ?? null,
          enabled: options.disabled !== true,
        }),
      );
      print(added, options);
    });

  connection
    .command('list')
    .description('list the receivers (of one CPO party, or all); never prints a token')
    .argument('[operator]', 'CPO operator id, e.g. FR*ABC')
    .option('--json', 'JSON output')
    .action(async (operator: string | undefined, options: JsonOption) => {
      const party = operator ? parseOperatorId(operator) : undefined;
      const { listConnections } = await load.repo();
      print(await withStore((pool) => listConnections(pool, party)), options);
    });

  connection
    .command('update')
    .description("change a receiver's endpoint, token, OCPI version or check URL (the next delivery run uses it)")
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .option('--version <version>', 'OCPI version: 2.1.1 or 2.2.1')
    .option('--cdrs-url <url>', "the receiver's CDR endpoint (https)")
    .option('--token-file <file>', 'file holding the new token')
    .option('--check-url-template <template>', 'where one CDR is looked up, {cdr_id} replaced')
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: ConnectionOptions & JsonOption) => {
      const party = parseOperatorId(operator);
      const { readConnectionOptions } = await load.input();
      const changes = readConnectionOptions(options);
      if (Object.keys(changes).length === 0) throw new Error('nothing to update: give --version, --cdrs-url, --token-file or --check-url-template');
      const { updateConnection } = await load.repo();
      const updated = await withStore((pool) => updateConnection(pool, party, name, changes));
      if (!updated) throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      print(updated, options);
    });

  connection
    .command('enable')
    .description("make this the party's receiver: the one enabled before is disabled in the same step (no gap, no overlap)")
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: JsonOption) => {
      const party = parseOperatorId(operator);
      const { switchToConnection } = await load.repo();
      const enabled = await withStore((pool) => switchToConnection(pool, party, name));
      if (!enabled) throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      print(enabled, options);
    });

  connection
    .command('disable')
    .description("stop delivering through this receiver: the party's CDRs wait (queued, in order) until one is enabled")
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: JsonOption) => {
      const party = parseOperatorId(operator);
      const { updateConnection } = await load.repo();
      const disabled = await withStore((pool) => updateConnection(pool, party, name, { enabled: false }));
      if (!disabled) throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      print(disabled, options);
      if (!options.json) {
        process.stdout.write(
          `${operator}'s CDRs now wait until a connection is enabled (never the shared IOP_* receiver while it has connections); ` +
            '`cdrflow connection remove` of its last connection hands it back to IOP_*\n',
        );
      }
    });

  connection
    .command('remove')
    .description('delete a disabled connection; a party left without any delivers through IOP_* again')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .action(async (operator: string, name: string) => {
      const party = parseOperatorId(operator);
      const { removeConnection } = await load.repo();
      const outcome = await withStore((pool) => removeConnection(pool, party, name));
      if (outcome === 'enabled') throw new Error(`${operator}/${name} is enabled: disable it first, or enable another one`);
      if (outcome === 'unknown') throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      process.stdout.write(`${operator}/${name} removed\n`);
    });
}
