/**
 * The tokens the API accepts: OCPI_TOKENS, read at start, and the clients registered in
 * Postgres (cdrflow pull-client, the credentials module) with the open registration tokens, read again once they are older than
 * `refreshMs`, so an added or revoked client counts within seconds and without a restart.
 * Concurrent requests share one read; a failed read keeps the last list (pulls need Postgres
 * anyway, and a blip must not lock every registered client out).
 */
import type { Pool } from 'pg';
import type { PullClient } from '../config/token-list';
import { livePullClients } from '../store/pull-client-repo';
import { openRegistrations } from '../store/registration-repo';
import { tokenDigest, type AcceptedToken } from './transport/auth';

export interface PullClientSource {
  current(): Promise<readonly AcceptedToken[]>;
}

/** How old the registered clients may be: a revoke takes at most this long to count. */
export const PULL_CLIENTS_REFRESH_MS = 2_000;

export function createPullClientSource(
  pool: Pool,
  fromConfig: readonly PullClient[],
  options: { refreshMs?: number; logError?: (error: unknown) => void } = {},
): PullClientSource {
  const refreshMs = options.refreshMs ?? PULL_CLIENTS_REFRESH_MS;
  const configured: AcceptedToken[] = fromConfig.map((client) => ({
    client: { label: client.label, sees: client.sees, role: 'pull' },
    digest: tokenDigest(client.token),
  }));
  let registered: AcceptedToken[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;
  let failing = false;

  async function read(): Promise<void> {
    try {
      const [pulls, registrations] = await Promise.all([livePullClients(pool), openRegistrations(pool)]);
      registered = [
        ...pulls.map((client) => ({
          client: { label: `pull-client ${client.name}`, sees: client.parties, role: 'pull' as const },
          digest: client.tokenSha256,
        })),
        // A registration token sees no CDR: it only reads the versions, then registers.
        ...registrations.map((registration) => ({
          client: { label: `registration ${registration.name}`, sees: [], role: 'registration' as const },
          digest: registration.tokenSha256,
        })),
      ];
      failing = false;
    } catch (error) {
      // Once per outage, not every refresh.
      if (!failing) options.logError?.(error);
      failing = true;
    } finally {
      readAt = performance.now();
    }
  }

  return {
    async current() {
      if (performance.now() - readAt >= refreshMs) {
        reading ??= read().finally(() => (reading = undefined));
        // Only the first read is waited for: later ones refresh behind the requests, so a slow
        // or unreachable database never holds up an answer that does not need it.
        if (readAt === Number.NEGATIVE_INFINITY) await reading;
      }
      return [...configured, ...registered];
    },
  };
}
