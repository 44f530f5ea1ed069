/** IOP_*: the one-connection receiver (a party without connections of its own delivers here). */
import { z } from 'zod';
import { ocpiVersionSchema } from '../ocpi/versions';
import { toPartySchema } from '../receivers/to-party';
import { defaultCheckUrlTemplate } from '../receivers/receiver';
import { checkUrlTemplateSchema, exposesTokenInClear, httpUrl, INSECURE_URL_RULE } from '../receivers/receiver-url-rules';
import { booleanFromEnv, ConfigError, integerFromEnv, parseSection, type Env } from './env';

/** How long one request to a receiver may take (every receiver's client uses it). */
const requestTimeoutSchema = integerFromEnv(100, 120_000).default(10_000);

/** IOP_REQUEST_TIMEOUT_MS alone: for commands that must know the worker's claim lease. */
export function iopRequestTimeoutMs(env: Env = process.env): number {
  return parseSection({ IOP_REQUEST_TIMEOUT_MS: requestTimeoutSchema }, env).IOP_REQUEST_TIMEOUT_MS;
}

export function iopConfig(env: Env = process.env) {
  const section = parseSection(
    {
      IOP_CDRS_URL: httpUrl,
      IOP_TOKEN: z.string().min(1, 'must not be empty'),
      /** The OCPI version of the IOP_* receiver (parties with a connection of their own use its version). */
      IOP_OCPI_VERSION: ocpiVersionSchema.default('2.1.1'),
      /**
       * 2.2.1: the party every request is addressed to (OCPI-to-*), like FR*007 for GIREVE
       * (pre-production FR*107); unset: each CDR's eMSP.
       */
      IOP_TO_PARTY: toPartySchema.optional(),
      /** Check CDR URL when the IOP gave no Location; `{cdr_id}` is replaced. */
      IOP_CDR_CHECK_URL_TEMPLATE: checkUrlTemplateSchema.optional(),
      IOP_REQUEST_TIMEOUT_MS: requestTimeoutSchema,
      IOP_RETRY_INITIAL_MS: integerFromEnv(10, 3_600_000).default(1_000),
      IOP_RETRY_MAX_MS: integerFromEnv(10, 86_400_000).default(60_000),
      /**
       * After a POST whose outcome is unknown, how long the IOP's "unknown CDR" is not yet
       * believed (an eventually consistent IOP may still be storing it); the CDR is re-sent only after.
       */
      IOP_CHECK_SETTLE_MS: integerFromEnv(0, 3_600_000).default(30_000),
      /** GIREVE demands HTTPS in production; plain HTTP only to loopback unless explicitly allowed. */
      IOP_ALLOW_INSECURE_HTTP: booleanFromEnv.default('false'),
    },
    env,
  );
  // The token goes to both URLs: neither may carry it in clear over the network.
  const urls = { IOP_CDRS_URL: section.IOP_CDRS_URL, IOP_CDR_CHECK_URL_TEMPLATE: section.IOP_CDR_CHECK_URL_TEMPLATE };
  const insecure = Object.entries(urls).filter(
    ([, value]) => value !== undefined && exposesTokenInClear(value, section.IOP_ALLOW_INSECURE_HTTP === 'true'),
  );
  if (insecure.length > 0) {
    const lines = insecure.map(([name]) => `  ${name}: ${INSECURE_URL_RULE}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  // Kept as configured: a receiver that routes only `.../cdrs/` answers `.../cdrs` with a redirect, forever.
  const cdrsUrl = section.IOP_CDRS_URL;
  return {
    cdrsUrl,
    token: section.IOP_TOKEN,
    ocpiVersion: section.IOP_OCPI_VERSION,
    toParty: section.IOP_TO_PARTY ?? null,
    checkUrlTemplate: section.IOP_CDR_CHECK_URL_TEMPLATE ?? defaultCheckUrlTemplate(cdrsUrl),
    requestTimeoutMs: section.IOP_REQUEST_TIMEOUT_MS,
    retryInitialMs: section.IOP_RETRY_INITIAL_MS,
    retryMaxMs: section.IOP_RETRY_MAX_MS,
    checkSettleMs: section.IOP_CHECK_SETTLE_MS,
  };
}
export type IopConfig = ReturnType<typeof iopConfig>;
