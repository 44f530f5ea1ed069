/**
 * `cdrflow pull-client add|list|revoke`: the tokens hubs pull CDRs with, registered in
 * Postgres (the API sees a change within seconds, no restart), for platforms that issue the
 * hub's token (OCPI token C) themselves. Only a token's SHA-256 is stored; nothing prints one.
 */
import type { Command } from 'commander';
import { readPartiesOption } from './parties-option';
import { withStore } from './with-store';

interface JsonOption {
  json?: boolean;
}

const load = {
  repo: () => import('../store/pull-client-repo'),
  auth: () => import('../api/transport/auth'),
  tokenFile: () => import('../operator/token-file'),
  names: () => import('../operator/connection-input'),
};

export function registerPullClientCommands(program: Command): void {
  const pullClient = program
    .command('pull-client')
    .description('the tokens hubs pull CDRs with (OCPI token C), each scoped to CPO parties');

  pullClient
    .command('add')
    .description('register a pull token for CPO parties: the API accepts it within seconds')
    .argument('<name>', 'a name for the client, like gireve')
    .requiredOption('--parties <parties>', 'the CPO parties whose CDRs it sees, like FR*ABC+FR*DEF')
    .requiredOption('--token-file <file>', 'file holding the token the hub will present')
    .option('--json', 'JSON output')
    .action(async (name: string, options: JsonOption & { parties: string; tokenFile: string }) => {
      const [{ addPullClient }, { tokenDigest }, { readTokenFile }, { connectionNameSchema }] = await Promise.all([
        load.repo(),
        load.auth(),
        load.tokenFile(),
        load.names(),
      ]);
      const problems: string[] = [];
      const validName = connectionNameSchema.safeParse(name);
      if (!validName.success) problems.push(`name: ${validName.error.issues[0]?.message ?? 'invalid'}`);
      const parties = readPartiesOption(options.parties, problems);
      const token = readTokenFile(options.tokenFile);
      if ('problem' in token) problems.push(token.problem);
      if (problems.length > 0 || 'problem' in token) throw new Error(`invalid pull client:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      const added = await withStore((pool) => addPullClient(pool, { name, parties, tokenSha256: tokenDigest(token.token) }));
      process.stdout.write(
        options.json
          ? `${JSON.stringify(added, null, 2)}\n`
          : `pull client ${added.name} may pull the CDRs of ${added.parties.join(', ')}\n`,
      );
    });

  pullClient
    .command('list')
    .description('the registered pull clients (never a token)')
    .option('--json', 'JSON output')
    .action(async (options: JsonOption) => {
      const { listPullClients } = await load.repo();
      const clients = await withStore((pool) => listPullClients(pool));
      if (options.json) return void process.stdout.write(`${JSON.stringify(clients, null, 2)}\n`);
      for (const client of clients) {
        const state = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : 'live';
        process.stdout.write(`${client.name}  ${client.parties.join('+')}  ${state}\n`);
      }
    });

  pullClient
    .command('revoke')
    .description('stop accepting a pull token (within seconds)')
    .argument('<name>', 'the client name')
    .action(async (name: string) => {
      const { revokePullClient } = await load.repo();
      if (!(await withStore((pool) => revokePullClient(pool, name)))) {
        throw new Error(`no live pull client named ${name} (cdrflow pull-client list)`);
      }
      process.stdout.write(`pull client ${name} revoked: the API refuses its token within seconds\n`);
    });
}
