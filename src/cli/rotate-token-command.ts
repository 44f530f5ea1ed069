/** `cdrflow connection rotate-token`: GIREVE 2.2.1's one platform token, on every party's connection to it at once. */
import type { Command } from 'commander';
import { operatorId } from '../ocpi/party';
import { withStore } from './with-store';

export function registerRotateTokenCommand(connection: Command): void {
  connection
    .command('rotate-token')
    .description("replace the token of every party's connection to one hub (GIREVE 2.2.1: one token per platform), in one transaction")
    .requiredOption('--to-party <party>', 'the hub whose connections get the new token, like FR*007 (pre-production FR*107)')
    .requiredOption('--token-file <file>', 'file holding the new token')
    .option('--json', 'JSON output')
    .action(async (options: { json?: boolean; toParty: string; tokenFile: string }) => {
      const { readConnectionOptions } = await import('../operator/connection-input');
      const { toParty, token } = readConnectionOptions({ toParty: options.toParty, tokenFile: options.tokenFile });
      if (!toParty || !token) throw new Error('--to-party: must name a hub, like FR*007 (none is not one)');
      const { rotateHubToken } = await import('../store/connection-repo');
      const rotated = await withStore((pool) => rotateHubToken(pool, toParty, token));
      const hub = operatorId(toParty);
      if (rotated.length === 0) throw new Error(`no connection is addressed to ${hub} (cdrflow connection list shows each one's To party)`);
      const names = rotated.map((one) => `${operatorId(one.party)}/${one.name}`);
      const fallback =
        process.env.IOP_TO_PARTY?.trim().toUpperCase() === hub
          ? '; IOP_TOKEN (the default receiver) is configuration: set it too and restart the worker'
          : '';
      if (options.json) process.stdout.write(`${JSON.stringify({ toParty: hub, rotated: names }, null, 2)}\n`);
      else
        process.stdout.write(
          `new token for the ${names.length} connections to ${hub}: ${names.join(', ')} (each one's next delivery run uses it)${fallback}\n`,
        );
    });
}
