/**
 * The tokens the API accepts: OCPI_TOKENS, read at start, and the clients registered in
 * Postgres (cdrflow pull-client, the credentials module), read again once they are older than
 * `refreshMs`, so an added or revoked client counts within seconds and without a restart.
 * Concurrent requests share one read; a failed read keeps the last list (pulls need Postgres
 * anyway, and a blip must not lock every registered client out).
 */
import type { Pool } from 'pg';
import type { PullClient } from '../config/token-list';
import { livePullClients } from '../store/pull-client-repo';
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
  const configured = fromConfig.map((client) => ({
    client: { label: client.label, sees: client.sees },
    digest: tokenDigest(client.token),
  }));
  let registered: AcceptedToken[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;
  let failing = false;

  async function read(): Promise<void> {
    try {
      registered = (await livePullClients(pool)).map((client) => ({
        client: { label: `pull-client ${client.name}`, sees: client.parties },
        digest: client.tokenSha256,
      }));
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
