/** What every endpoint handler receives and returns; the server does routing, auth and errors. */
import type { Pool } from 'pg';
import type { ApiConfig } from '../config/index';
import { type PullScope } from '../ocpi/party';
import type { Answer } from './transport/respond';

export interface RequestContext {
  pool: Pool;
  config: ApiConfig;
  /** The CPO parties whose CDRs the caller may see: its token's scope; none without a token. */
  scope: PullScope;
  /** Query parameters, already limited to the route's own and checked for duplicates. */
  query: ReadonlyMap<string, string>;
  /** Decoded path parameters (`cdr_id`). */
  pathParams: Readonly<Record<string, string>>;
}

/** Returns the success answer, or throws an ApiError for any other. */
export type Handler = (context: RequestContext) => Promise<Answer>;
