/**
 * `cdrflow connection add|list|update|disable|enable`: the receivers of each CPO party's
 * CDRs (table `connections`). Needs only the database (DATABASE_URL); a running worker
 * picks a change up at its next delivery run. No command prints a token.
 */
import type { Command } from 'commander';
import type { SameHubPolicy } from '../store/connection-repo';
import type { ConnectionOptions } from '../operator/connection-input';
import { type ConnectionListing } from '../receivers/receiver';
import { withStore } from './with-store';
import { registerRotateTokenCommand } from './rotate-token-command';
import { parseOperatorId } from '../operator/party-arg';
import { operatorId } from '../ocpi/party';

function describe(connection: ConnectionListing): string {
  const operator = `${connection.party.country_code}*${connection.party.party_id}`;
  return [
    `${operator}/${connection.name}`.padEnd(24),
    `OCPI ${connection.ocpiVersion}`,
    connection.enabled ? 'enabled ' : 'disabled',
    connection.cdrsUrl,
    ...(connection.toParty ? [`to ${operatorId(connection.toParty)}`] : []),
  ].join('  ');
}

interface JsonOption {
  json?: boolean;
}

/** `--allow-same-hub`: a second enabled connection to one hub, for a hub known to de-duplicate. */
interface SameHubOption {
  allowSameHub?: boolean;
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
  input: () => import('../operator/connection-input'),
  repo: () => import('../store/connection-repo'),
};

export function registerConnectionCommands(program: Command): void {
  const connection = program
    .command('connection')
    .description("the receivers of a CPO party's CDRs (GIREVE, an eMSP): endpoint, token, OCPI version");

  connection
    .command('add')
    .description('add a receiver for a CPO party: it gets the CDRs handed in from now on, in its own FIFO lane')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .requiredOption('--name <name>', 'a name for the connection, like gireve')
    .option('--version <version>', 'OCPI version the receiver speaks: 2.1.1 or 2.2.1', '2.1.1')
    .requiredOption('--cdrs-url <url>', "the receiver's CDR endpoint (https)")
    .requiredOption('--token-file <file>', 'file holding the token the receiver gave for this party')
    .option('--check-url-template <template>', 'where one CDR is looked up, {cdr_id} replaced (default: <cdrs-url>/{cdr_id})')
    .option(
      '--to-party <party>',
      'OCPI 2.2.1: the party every request is addressed to, a hub itself (GIREVE: FR*007, pre-production FR*107)',
    )
    .option('--disabled', 'add it disabled')
    .option('--backfill-from <date>', 'also deliver the CDRs stored since this ISO 8601 date, in hand-in order')
    .option(
      '--allow-same-hub',
      'allow a second enabled connection to the same hub (host or To party): only for a hub known to de-duplicate',
    )
    .option('--json', 'JSON output')
    .action(
      async (
        operator: string,
        options: ConnectionOptions & JsonOption & SameHubOption & { name: string; disabled?: boolean; backfillFrom?: string },
      ) => {
        const party = parseOperatorId(operator);
        const { connectionNameSchema, readConnectionOptions } = await load.input();
        const name = connectionNameSchema.safeParse(options.name);
        if (!name.success) throw new Error(`invalid connection:\n  --name: ${name.error.issues[0]?.message ?? 'invalid'}`);
        const settings = readConnectionOptions(options, process.env, ['cdrsUrl', 'tokenFile']);
        const backfillFrom = options.backfillFrom === undefined ? undefined : parseBackfillDate(options.backfillFrom);
        const { addConnection } = await load.repo();
        const added = await withStore((pool) =>
          addConnection(
            pool,
            {
              party,
              name: name.data,
              ocpiVersion: settings.ocpiVersion ?? '2.1.1',
              cdrsUrl: settings.cdrsUrl!,
              token: settings.token!,
              checkUrlTemplate: settings.checkUrlTemplate ?? null,
              toParty: settings.toParty ?? null,
              enabled: options.disabled !== true,
            },
            backfillFrom,
            { allowSameHub: options.allowSameHub === true },
          ),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(added, null, 2)}\n`);
          return;
        }
        const { backfilled: _backfilled, creditedLeftOut: _creditedLeftOut, ...listing } = added;
        print(listing, options);
        if (listing.ocpiVersion === '2.2.1' && !listing.toParty) {
          process.stdout.write(
            `its requests name each CDR's eMSP in OCPI-to-* (right for a direct eMSP connection); toward GIREVE, ` +
              `address them to GIREVE itself: connection update ${operator} ${listing.name} --to-party FR*007 (pre-production FR*107)\n`,
          );
        }
        if (backfillFrom) process.stdout.write(backfillReport(operator, backfillFrom, added));
      },
    );

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
    .option('--to-party <party>', "OCPI 2.2.1: the party every request is addressed to (FR*007 for GIREVE); none: each CDR's eMSP")
    .option(
      '--allow-same-hub',
      'allow a second enabled connection to the same hub (host or To party): only for a hub known to de-duplicate',
    )
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: ConnectionOptions & JsonOption & SameHubOption) => {
      const party = parseOperatorId(operator);
      const { readConnectionOptions } = await load.input();
      const { allowSameHub, ...settings } = options;
      const changes = readConnectionOptions(settings);
      if (Object.keys(changes).length === 0)
        throw new Error('nothing to update: give --version, --cdrs-url, --token-file, --check-url-template or --to-party');
      const { updateConnection } = await load.repo();
      const updated = await withStore((pool) =>
        updateConnection(pool, party, name, changes, undefined, { allowSameHub: allowSameHub === true }),
      );
      if (!updated) throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      const { backfilled: _backfilled, creditedLeftOut: _creditedLeftOut, ...listing } = updated;
      print(listing, options);
    });

  connection
    .command('enable')
    .description(
      'deliver to this receiver again: it takes the CDRs that waited for it and every CDR handed in from now on (the other receivers keep what waits for them)',
    )
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .option(
      '--backfill-from <date>',
      'also deliver the CDRs stored since this ISO 8601 date that it did not get (handed in while it was disabled)',
    )
    .option(
      '--allow-same-hub',
      'allow a second enabled connection to the same hub (host or To party): only for a hub known to de-duplicate',
    )
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: JsonOption & SameHubOption & { backfillFrom?: string }) => {
      const backfillFrom = options.backfillFrom === undefined ? undefined : parseBackfillDate(options.backfillFrom);
      const enabled = await setEnabled(operator, name, true, options, backfillFrom, { allowSameHub: options.allowSameHub === true });
      if (options.json) return;
      if (backfillFrom) process.stdout.write(backfillReport(operator, backfillFrom, enabled));
      else
        process.stdout.write(
          `${operator}/${name} delivers again${WAKE_HINT(operator)}; CDRs handed in while it was disabled went only to the ` +
            `other receivers: --backfill-from <date> queues them for it too\n`,
        );
    });

  registerRotateTokenCommand(connection);

  connection
    .command('disable')
    .description('stop delivering to this receiver: what waits for it stays queued (in order) until it is enabled again or removed')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .option('--json', 'JSON output')
    .action(async (operator: string, name: string, options: JsonOption) => {
      await setEnabled(operator, name, false, options);
      if (!options.json) {
        process.stdout.write(
          `A delivery run under way stops after the POST on the wire (its outcome is recorded). ` +
            `CDRs handed in from now on go to ${operator}'s other enabled connections; with none left enabled they wait for ` +
            `its connections (never the shared IOP_* receiver). \`cdrflow connection remove\` of its last connection hands it back to IOP_*\n`,
        );
      }
    });

  connection
    .command('remove')
    .description(
      'delete a disabled connection: what waited for it is not sent there (a party left without any delivers through IOP_* again)',
    )
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<name>', 'the connection name')
    .action(async (operator: string, name: string) => {
      const party = parseOperatorId(operator);
      const [{ removeConnection }, { iopRequestTimeoutMs }, { postClaimLeaseMs }] = await Promise.all([
        load.repo(),
        import('../config/iop'),
        import('../delivery/claim-lease'),
      ]);
      // The worker's lease (same IOP_REQUEST_TIMEOUT_MS): a claim older than that is a dead run's.
      const leaseMs = postClaimLeaseMs(iopRequestTimeoutMs());
      const removal = await withStore((pool) => removeConnection(pool, party, name, leaseMs));
      if (removal.outcome === 'enabled') throw new Error(`${operator}/${name} is enabled: disable it first`);
      if (removal.outcome === 'in-flight')
        throw new Error(
          `a delivery run still holds a CDR at ${operator}/${name} (a POST on the wire, or its outcome not written yet): ` +
            `nothing removed; try again in ${Math.ceil(removal.retryInMs / 1000)} s`,
        );
      if (removal.outcome === 'unknown')
        throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
      const waited =
        removal.movedToDefault > 0
          ? `; the ${removal.movedToDefault} CDRs that waited for it go through IOP_* now${WAKE_HINT(operator)}`
          : removal.dropped > 0
            ? `; the ${removal.dropped} CDRs that waited for it will not be sent there${WAKE_HINT(operator)}`
            : '';
      process.stdout.write(`${operator}/${name} removed${waited}\n`);
    });
}

async function setEnabled(
  operator: string,
  name: string,
  enabled: boolean,
  options: JsonOption,
  backfillFrom?: Date,
  policy: SameHubPolicy = {},
): Promise<ConnectionListing & { backfilled: number; creditedLeftOut: number }> {
  const party = parseOperatorId(operator);
  const { updateConnection } = await load.repo();
  const changed = await withStore((pool) => updateConnection(pool, party, name, { enabled }, backfillFrom, policy));
  if (!changed) throw new Error(`${operator} has no connection named ${name} (cdrflow connection list ${operator})`);
  const { backfilled: _backfilled, creditedLeftOut: _creditedLeftOut, ...listing } = changed;
  if (options.json && backfillFrom) process.stdout.write(`${JSON.stringify(changed, null, 2)}\n`);
  else print(listing, options);
  return changed;
}

/** What a backfill queued, and the credited CDRs it left out on purpose. */
function backfillReport(operator: string, from: Date, backfill: { backfilled: number; creditedLeftOut: number }): string {
  const leftOut =
    backfill.creditedLeftOut > 0
      ? `; ${backfill.creditedLeftOut} credit CDRs and CDRs they cancel, stored since, were left out (they cancel out)`
      : '';
  return `${backfill.backfilled} CDRs stored since ${from.toISOString()} queued for it${leftOut}${WAKE_HINT(operator)}\n`;
}

/** These commands need only the database: the party's queue sees a change at its next run. */
// `recover` wakes the queue (or starts it), and leaves a pause as it is, unlike `resume`.
const WAKE_HINT = (operator: string) => ` (the queue takes them up at its next run; \`cdrflow recover ${operator}\` starts it now)`;

function parseBackfillDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new Error(
      `invalid connection:\n  --backfill-from: must be an ISO 8601 date or date-time, like 2026-11-01 or 2026-11-01T00:00:00Z (got ${value})`,
    );
  }
  return date;
}
