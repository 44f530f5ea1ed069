/**
 * A Temporal error turned into what an operator or a backend developer can act on: its
 * cause and what to do, never a bare "Failed to signalWithStart Workflow". Every entry
 * point that talks to Temporal (startCdr, the CLI, the intake, the worker) goes through it.
 * Code branches on `code`, never on the message.
 */
import { searchAttributeRegistrations } from '../../workflows/search-attributes';

export type TemporalProblem =
  | 'TEMPORAL_UNAVAILABLE'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_AUTH'
  | 'TEMPORAL_NAMESPACE_NOT_FOUND'
  | 'TEMPORAL_SEARCH_ATTRIBUTE_MISSING'
  | 'TEMPORAL_CALL_FAILED';

export class TemporalSetupError extends Error {
  override readonly name = 'TemporalSetupError';
  constructor(
    readonly code: TemporalProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Whether TLS is on; undefined when the caller does not know (a client a backend built). */
  tls: boolean | undefined;
}

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html).
const GRPC = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

/** The gRPC status code and text found along the error's causes, if any. */
function grpcStatus(error: unknown): { code: number | undefined; text: string } {
  const texts: string[] = [];
  let code: number | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current !== 'object') break;
    const record = current as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown };
    if (code === undefined && typeof record.code === 'number') code = record.code;
    // The SDK's own wrapper ("Failed to signalWithStart Workflow") says nothing the cause does not.
    const said = [record.details, record.message].filter(
      (text): text is string => typeof text === 'string' && !/^Failed to \w+ Workflow$/.test(text) && !texts.includes(text),
    );
    texts.push(...said);
    current = record.cause;
  }
  return { code, text: texts.join(' | ') };
}

/** The setup command for one missing search attribute, self-hosted and on Temporal Cloud. */
export function searchAttributeCommands(namespace: string, name: string, type: string): string {
  return (
    `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type ${type}` +
    ` (Temporal Cloud: tcld namespace search-attributes add --namespace ${namespace} --search-attribute "${name}=${type}")`
  );
}

/** An error that came from talking to Temporal (a gRPC status, a failed connection), not from our own code. */
function isFromTemporal(error: unknown, code: number | undefined): boolean {
  if (!(error instanceof Error)) return false;
  if (['ServiceError', 'TransportError', 'NamespaceNotFoundError'].includes(error.name)) return true;
  if (/Failed to connect before the deadline/.test(error.message)) return true;
  // A raw gRPC error (the service stubs): a numeric status and its details, here or one cause down.
  const details = (candidate: unknown) => typeof (candidate as { details?: unknown } | undefined)?.details === 'string';
  return code !== undefined && (details(error) || details(error.cause));
}

/**
 * `error` as an operator can act on it when it came from Temporal; any other error (ours,
 * the store's) is returned unchanged.
 */
export function explainTemporalError(error: unknown, target: TemporalTarget): unknown {
  if (error instanceof TemporalSetupError) return error;
  const { code, text } = grpcStatus(error);
  if (!isFromTemporal(error, code)) return error;
  const where = `Temporal at ${target.address}`;
  const missingAttribute =
    /search attribute[s]? ([A-Za-z0-9_]+)/i.exec(text)?.[1] ??
    Object.keys(searchAttributeRegistrations).find((name) => text.includes(name));
  if (code === GRPC.INVALID_ARGUMENT && /search attribute/i.test(text)) {
    const name = missingAttribute ?? 'CdrOperatorId';
    const type = searchAttributeRegistrations[name] ?? 'Keyword';
    return new TemporalSetupError(
      'TEMPORAL_SEARCH_ATTRIBUTE_MISSING',
      `${where}: namespace ${target.namespace} has no search attribute ${name} (${type}), which cdrflow's workflows use. ` +
        `Run \`npx cdrflow temporal-setup\` once (the worker does it at start where it may), or: ` +
        searchAttributeCommands(target.namespace, name, type),
      { cause: error },
    );
  }
  if ((code === GRPC.NOT_FOUND && /namespace/i.test(text)) || (error as Error).name === 'NamespaceNotFoundError') {
    return new TemporalSetupError(
      'TEMPORAL_NAMESPACE_NOT_FOUND',
      `${where}: namespace ${target.namespace} does not exist. Set TEMPORAL_NAMESPACE, or create it: ` +
        `temporal operator namespace create --namespace ${target.namespace}`,
      { cause: error },
    );
  }
  if (code === GRPC.UNAUTHENTICATED || code === GRPC.PERMISSION_DENIED) {
    return new TemporalSetupError(
      'TEMPORAL_AUTH',
      `${where} refused our credentials (${text || 'no detail'}): check TEMPORAL_API_KEY, or the client certificate ` +
        `(TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY) and that it may use namespace ${target.namespace}`,
      { cause: error },
    );
  }
  if (/tls|ssl|handshake|certificate|alert/i.test(text)) {
    return new TemporalSetupError(
      'TEMPORAL_TLS',
      `${where}: the TLS connection failed (${text}). Check TEMPORAL_TLS_CA (the server's CA), TEMPORAL_TLS_CERT and ` +
        `TEMPORAL_TLS_KEY (a client certificate the server accepts), and TEMPORAL_TLS_SERVER_NAME` +
        (target.tls === false ? '; TLS is off: set TEMPORAL_TLS=true or the TEMPORAL_TLS_* files if the server expects it' : ''),
      { cause: error },
    );
  }
  if (code === GRPC.UNAVAILABLE || /connect|deadline|ECONNREFUSED|unavailable|timed? ?out/i.test(text)) {
    return new TemporalSetupError(
      'TEMPORAL_UNAVAILABLE',
      `cannot reach ${where} (${text || 'no answer'}): is the server running, is TEMPORAL_ADDRESS right` +
        (target.tls === true
          ? ', does it accept TLS with these certificates (TEMPORAL_TLS_*)?'
          : ', does it expect TLS (TEMPORAL_TLS_*, TEMPORAL_API_KEY)?'),
      { cause: error },
    );
  }
  return new TemporalSetupError('TEMPORAL_CALL_FAILED', `${where} refused the call: ${text || String(error)}`, { cause: error });
}
