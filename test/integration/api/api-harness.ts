/**
 * What the API tests share: a migrated database of their own, the API listening on
 * 127.0.0.1:0, plausible CDRs stored through the repository, and a tiny OCPI client
 * (GET with the token, JSON body, next Link).
 */
import type { Pool } from 'pg';
import { operatorId, type Party } from '../../../src/ocpi/party';
import { apiConfig, type ApiConfig } from '../../../src/config/index';
import { startApiServer, type StartedApiServer } from '../../../src/api/server';
import type { Cdr } from '../../../src/ocpi/v211/cdr';
import { toOcpiDateTime } from '../../../src/ocpi/primitives';
import { insertCdr } from '../../../src/store/cdr-repo';
import { createTestDatabase, type TestDatabase } from '../../support/db';

export const PULL_TOKEN = 'gireve-pull-token-4f1c';
export const SECOND_TOKEN = 'second-hub-token-9a2e';

export interface TestApi {
  db: TestDatabase;
  config: ApiConfig;
  /** Base URL where the API listens, also its public OCPI base URL. */
  url: string;
  stop(): Promise<void>;
}

export interface TestApiOptions {
  defaultLimit?: number;
  maxLimit?: number;
  /** Environment for apiConfig beyond the defaults below (OCPI_TOKENS, OCPI_RATE_LIMIT_*). */
  env?: Record<string, string>;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = apiConfig({
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    OCPI_TOKENS: `${PULL_TOKEN},${SECOND_TOKEN}`,
    OCPI_PULL_DEFAULT_LIMIT: String(options.defaultLimit ?? 20),
    OCPI_PULL_MAX_LIMIT: String(options.maxLimit ?? 50),
    // Tests fire requests back to back; only the rate-limit tests set real limits.
    OCPI_RATE_LIMIT_PER_SECOND: '100000',
    OCPI_RATE_LIMIT_BURST: '100000',
    OCPI_RATE_LIMIT_PER_IP_PER_SECOND: '100000',
    OCPI_RATE_LIMIT_PER_IP_BURST: '100000',
    ...options.env,
  });
  const api: StartedApiServer = await startApiServer({ pool: db.pool, config });
  // Port 0: the public base URL is known only once the server listens.
  config.baseUrl = api.url;
  return {
    db,
    config,
    url: api.url,
    async stop() {
      await api.close();
      await db.drop();
    },
  };
}

export const CPO: Party = { country_code: 'FR', party_id: 'AB1' };

/** A CDR as the pipeline builds it: valid OCPI 2.1.1 with GIREVE's rules (alpha-3 country, 6-decimal coordinates). */
export function plausibleCdr(id: string, lastUpdated: Date, party: Party = CPO): Cdr {
  const stop = new Date(lastUpdated.getTime() - 60_000);
  const start = new Date(stop.getTime() - 90 * 60_000);
  const at = toOcpiDateTime;
  return {
    id,
    start_date_time: at(start),
    stop_date_time: at(stop),
    auth_id: 'FR-GIR-C12345678',
    authorization_id: `AUTH-${id}`,
    auth_method: 'AUTH_REQUEST',
    location: {
      id: 'LOC-PARIS-01',
      type: 'ON_STREET',
      name: 'Rue de Rivoli',
      address: '12 rue de Rivoli',
      city: 'Paris',
      postal_code: '75004',
      country: 'FRA',
      coordinates: { latitude: '48.855700', longitude: '2.357800' },
      evses: [
        {
          uid: 'EVSE-01',
          evse_id: `${operatorId(party)}*E0001`,
          status: 'AVAILABLE',
          connectors: [
            {
              id: '1',
              standard: 'IEC_62196_T2',
              format: 'SOCKET',
              power_type: 'AC_3_PHASE',
              voltage: 400,
              amperage: 32,
              last_updated: '2024-01-01T00:00:00Z',
            },
          ],
          last_updated: '2024-01-01T00:00:00Z',
        },
      ],
      last_updated: '2024-01-01T00:00:00Z',
    },
    currency: 'EUR',
    charging_periods: [{ start_date_time: at(start), dimensions: [{ type: 'ENERGY', volume: 21.5 }] }],
    total_cost: 8.6,
    total_energy: 21.5,
    total_time: 1.5,
    last_updated: at(lastUpdated),
  };
}

/** Stores a CDR as the pipeline would; `invalid` ones failed our validation and must never be pulled. */
export async function storeCdr(
  pool: Pool,
  id: string,
  lastUpdated: Date,
  status: 'queued' | 'invalid' = 'queued',
  party: Party = CPO,
): Promise<Cdr> {
  const cdr = plausibleCdr(id, lastUpdated, party);
  await insertCdr(pool, {
    ...party,
    id,
    session_id: `SESSION-${id}`,
    cdr,
    last_updated: lastUpdated,
    status,
    ...(status === 'invalid' ? { validation_errors: ['total_cost: must be >= 0'] } : {}),
  });
  return cdr;
}

/** Stores `count` CDRs `<prefix>-0001`… one minute apart from `firstAt` with `store`, one after the other; returns them in pull order. */
export async function storeSeries<T>(
  prefix: string,
  firstAt: Date,
  count: number,
  store: (id: string, lastUpdated: Date) => Promise<T>,
): Promise<T[]> {
  const stored: T[] = [];
  for (let i = 0; i < count; i++) {
    stored.push(await store(`${prefix}-${String(i + 1).padStart(4, '0')}`, new Date(firstAt.getTime() + i * 60_000)));
  }
  return stored;
}

/** Stores `count` CDRs `id-0001`… one minute apart from `firstAt`; returns them in pull order. */
export const storeCdrSeries = (pool: Pool, prefix: string, firstAt: Date, count: number): Promise<Cdr[]> =>
  storeSeries(prefix, firstAt, count, (id, at) => storeCdr(pool, id, at));

/** The version list and details as a discovering client reads them. */
export interface OcpiVersion {
  version: string;
  url: string;
}
export interface OcpiVersionDetails {
  version: string;
  /** `role` since OCPI 2.2. */
  endpoints: { identifier: string; role?: string; url: string }[];
}

export interface OcpiAnswer {
  status: number;
  headers: Headers;
  // The envelope, loosely typed: tests look at what the API wrote.
  body: { data?: unknown; status_code: number; status_message?: string; timestamp: string };
}

/** GET with `Authorization: Token <token>` (pass null to send no header). */
export async function ocpiGet(url: string, token: string | null = PULL_TOKEN, headers: Record<string, string> = {}): Promise<OcpiAnswer> {
  const response = await fetch(url, {
    headers: token === null ? headers : { Authorization: `Token ${token}`, ...headers },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as OcpiAnswer['body'] };
}

/** The URL of a `Link: <url>; rel="next"` header, if any. */
export function nextLink(answer: OcpiAnswer): string | undefined {
  const link = answer.headers.get('link');
  return link === null ? undefined : /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
}

export const cdrIds = (data: unknown): string[] => (data as Cdr[]).map((cdr) => cdr.id);

/**
 * Follows next Links from `firstUrl` until there is none; `beforeEachPage` may change the data.
 * `token` and `headers` as for ocpiGet (an OCPI 2.2.1 walk sends its Base64 token in `headers`).
 */
export async function walkPages(
  firstUrl: string,
  beforeEachPage: (pageIndex: number) => Promise<void> = async () => undefined,
  token: string | null = PULL_TOKEN,
  headers: Record<string, string> = {},
): Promise<{ pages: OcpiAnswer[]; ids: string[] }> {
  const pages: OcpiAnswer[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    await beforeEachPage(pages.length);
    const page = await ocpiGet(url, token, headers);
    if (page.status !== 200) throw new Error(`page ${pages.length} answered ${page.status}: ${JSON.stringify(page.body)}`);
    pages.push(page);
    url = nextLink(page);
    if (pages.length > 1000) throw new Error('more than 1000 pages: the walk does not end');
  }
  return { pages, ids: pages.flatMap((page) => cdrIds(page.body.data)) };
}
