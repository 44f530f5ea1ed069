/**
 * `cdrflow registration create|list|revoke`: the registration token (OCPI token A) and the
 * versions URL a CPO hands the hub (GIREVE registers FromIOP): printed once, stored as
 * SHA-256 only, single use, expiring. In 2.2.1 one registration serves several parties; in
 * 2.1.1 each CPO operation registers on its own.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { readPartiesOption } from './parties-option';
import { withStore } from './with-store';

const load = {
  repo: () => import('../store/registration-repo'),
  auth: () => import('../api/transport/auth'),
  names: () => import('../operator/connection-input'),
  api: () => import('../config/api'),
  paths: () => import('../api/paths'),
};

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_EXPIRY_MS = 30 * UNIT_MS.d!;

/** `7d`, `12h`, `30m`, `90s`: how long the hub has to register; at most 30 days. */
export function expiryMsOf(text: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms > 0 && ms <= MAX_EXPIRY_MS ? ms : undefined;
}

export function registerRegistrationCommands(program: Command): void {
  const registration = program
    .command('registration')
    .description("registration tokens (OCPI token A) for a hub's credentials handshake: printed once, single use, expiring");

  registration
    .command('create')
    .description('a fresh registration token and the versions URL to give the hub (printed once)')
    .requiredOption('--name <name>', 'the connection the registration makes, like gireve')
    .requiredOption('--parties <parties>', 'the CPO parties it registers, like FR*ABC+FR*DEF (2.1.1: exactly one)')
    .option('--version <version>', 'OCPI version of the handshake: 2.2.1 or 2.1.1', '2.2.1')
    .option('--expires <duration>', 'how long the hub has to register: 7d, 12h, 30m (at most 30d)', '7d')
    .option('--json', 'JSON output: {"token": ..., "versions_url": ...}')
    .action(async (options: { name: string; parties: string; version: string; expires: string; json?: boolean }) => {
      const [repo, { tokenDigest }, { connectionNameSchema }, { apiConfig }, { VERSIONS_PATH }] = await Promise.all([
        load.repo(),
        load.auth(),
        load.names(),
        load.api(),
        load.paths(),
      ]);
      const problems: string[] = [];
      if (!connectionNameSchema.safeParse(options.name).success) problems.push('--name: must be a connection name, like gireve');
      if (options.version !== '2.1.1' && options.version !== '2.2.1') problems.push('--version: must be 2.1.1 or 2.2.1');
      const parties = readPartiesOption(options.parties, problems);
      if (options.version === '2.1.1' && parties.length > 1) {
        problems.push('--parties: OCPI 2.1.1 registers one CPO operation per handshake: give exactly one party');
      }
      const expiresInMs = expiryMsOf(options.expires);
      if (expiresInMs === undefined) problems.push('--expires: must be a duration like 7d, 12h or 30m, at most 30d');
      if (problems.length > 0) throw new Error(`invalid registration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
      const token = randomBytes(24).toString('base64url');
      const versionsUrl = `${apiConfig().baseUrl}${VERSIONS_PATH}`;
      const created = await withStore((pool) =>
        repo.createRegistration(pool, {
          name: options.name,
          ocpiVersion: options.version as '2.1.1' | '2.2.1',
          parties,
          tokenSha256: tokenDigest(token),
          expiresAt: new Date(Date.now() + expiresInMs!),
        }),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ token, versions_url: versionsUrl, expires_at: created.expiresAt }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `give the hub, once (this token is not shown again):\n  token        ${token}\n  versions URL ${versionsUrl}\n` +
          `registration ${created.name} (OCPI ${created.ocpiVersion}, ${created.parties.join(', ')}) is open until ${created.expiresAt.toISOString()}\n`,
      );
    });

  registration
    .command('list')
    .description('the registrations and their state (never a token)')
    .option('--json', 'JSON output')
    .action(async (options: { json?: boolean }) => {
      const { listRegistrations } = await load.repo();
      const all = await withStore((pool) => listRegistrations(pool));
      if (options.json) return void process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      for (const one of all) {
        process.stdout.write(
          `${one.name}  OCPI ${one.ocpiVersion}  ${one.parties.join('+')}  ${one.state}  expires ${one.expiresAt.toISOString()}\n`,
        );
      }
    });

  registration
    .command('revoke')
    .description('void the open registration tokens of that name')
    .argument('<name>', 'the registration name')
    .action(async (name: string) => {
      const { revokeRegistration } = await load.repo();
      const revoked = await withStore((pool) => revokeRegistration(pool, name));
      if (revoked === 0) throw new Error(`no open registration named ${name} (cdrflow registration list)`);
      process.stdout.write(`registration ${name} revoked: the hub can no longer register or read the versions with its token\n`);
    });
}
