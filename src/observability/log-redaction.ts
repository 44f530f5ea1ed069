/**
 * Keeping tokens out of the logs, in two layers, since one alone always misses a case:
 *
 * 1. By field name: any field whose name says credential (`authorization`, `token`,
 *    `IOP_TOKEN`, `OCPI_TOKENS`, `metricsToken`, Temporal's `taskToken`, ...) is replaced,
 *    at any depth, errors' own fields included.
 * 2. By value: the finished JSON line is scrubbed of the process' own token values (the
 *    IOP token, the pull tokens, the metrics token) wherever they appear (a message, an
 *    error text, a URL), and of anything written as an HTTP credential (`Token x`, `Bearer x`).
 */
import pino from 'pino';

export const REDACTED = '[Redacted]';

const CREDENTIAL_FIELD_RE = /authorization|token|secret|password|cookie|api_?key/i;

/** Deeper than any log field we write; a bound so a huge or cyclic object cannot stall logging. */
const MAX_DEPTH = 8;

function redactRecord(record: object, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    copy[key] = CREDENTIAL_FIELD_RE.test(key) ? REDACTED : redactValue(field, depth + 1, ancestors);
  }
  return copy;
}

/** `ancestors`: the objects above this one, so a cycle ends while a shared object is still shown twice. */
function redactValue(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH || ancestors.has(value)) return '[Elided]';
  ancestors.add(value);
  try {
    // Serialized first (type, message, stack, own fields), so a credential inside an error is found too.
    if (value instanceof Error) return redactRecord(pino.stdSerializers.err(value), depth, ancestors);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, ancestors));
    const prototype: unknown = Object.getPrototypeOf(value);
    // Dates, buffers and other class instances serialize themselves; only plain records are walked.
    if (prototype !== Object.prototype && prototype !== null) return value;
    return redactRecord(value, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

/** A copy of a log line's fields with every credential-named field replaced; the input is left as is. */
export function redactCredentialFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0, new WeakSet()) as Record<string, unknown>;
}

/**
 * An HTTP credential as it appears in a header value (RFC 9110 scheme, then the token).
 * The scheme must be capitalized so that prose ("the token is refused") is left alone.
 */
const CREDENTIAL_TEXT_RE = /\b(Token|Bearer|Basic) +[^\s"\\,;]+/g;

/** JSON escapes a token's `"` and `\`, so the serialized form is scrubbed too. */
function serializedForms(secret: string): string[] {
  const inJson = JSON.stringify(secret).slice(1, -1);
  return inJson === secret ? [secret] : [secret, inJson];
}

/** Returns the scrubber of finished log lines for these secret values (empty ones ignored). */
export function createLineScrubber(secrets: readonly (string | null | undefined)[]): (line: string) => string {
  const forms = [...new Set(secrets.filter((secret): secret is string => Boolean(secret)).flatMap(serializedForms))]
    // Longest first: a token that contains another is removed whole.
    .sort((a, b) => b.length - a.length);
  return (line) => {
    let scrubbed = line.replace(CREDENTIAL_TEXT_RE, `$1 ${REDACTED}`);
    for (const form of forms) scrubbed = scrubbed.split(form).join(REDACTED);
    return scrubbed;
  };
}
