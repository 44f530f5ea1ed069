/**
 * What one POST of a CDR to the IOP came to, and what the sequencer does next.
 *
 * | answer from the IOP                                   | outcome   | next step                          |
 * |-------------------------------------------------------|-----------|------------------------------------|
 * | HTTP 2xx, status_code 1000                            | delivered | keep Location, move to next CDR    |
 * | HTTP 2xx/400/422 or other 4xx, status_code 2xxx       | rejected  | park as rejected, move on          |
 * | HTTP 404 with status_code 2xxx                        | rejected  | park as rejected, move on          |
 * | HTTP 413 (a body limit: this CDR is too large)        | rejected  | park as rejected, move on          |
 * | HTTP 3xx (redirects are never followed)               | rejected  | park as rejected, move on          |
 * | HTTP 401 / 403                                        | retry     | retry the head, credentials alert  |
 * | HTTP 404 / 408 / 429, other 4xx without 2xxx (400 and  | retry     | retry the head                     |
 * | 422 from a proxy, without an OCPI envelope, included)   |           |                                    |
 * | HTTP 502 / 504 (a proxy lost the answer)              | retry     | retry the head; outcome unknown:   |
 * |                                                       |           | check at the IOP before re-POSTing |
 * | OCPI 4000-4999 (a hub's own word), with any HTTP      | retry     | retry the head; never parked;      |
 * | status: 4001 unknown receiver (the To party), 4002    |           | outcome unknown (4001, 4003: not   |
 * | forwarded but its answer timed out, 4003 receiver not |           | forwarded); 4001 and a lasting     |
 * | connected, 4000 generic                               |           | 4000 / 4003 raise a hub alert      |
 * | HTTP 5xx, OCPI 3xxx, unparseable answer               | retry     | retry the head                     |
 * | timeout, connection reset                             | retry     | retry the head; outcome unknown:   |
 * |                                                       |           | check at the IOP before re-POSTing |
 * | connection refused                                    | retry     | retry the head                     |
 * | cancelled by the caller (its AbortSignal)             | retry     | reason `cancelled`; outcome        |
 * |                                                       |           | unknown, as for a timeout          |
 *
 * GIREVE's store-and-forward rule counts anything but a correct 2xx as not delivered;
 * an answer that one CDR causes (the receiver's word that it is invalid, a body it will
 * not take, a redirect that would be retried unchanged forever) takes it off the head,
 * parked as rejected with the reason and resendable, or it would block its CPO's lane
 * forever. Everything else says nothing of the CDR and is retried.
 */
import { ocpiResponseEnvelopeSchema, type OcpiResponseEnvelope } from '../ocpi/response-envelope';

export type DeliveryOutcome =
  | { kind: 'delivered'; location: string | null }
  | { kind: 'rejected'; reason: string }
  | {
      kind: 'retry';
      reason: string;
      /** The IOP may have stored the CDR (timeout, reset): check before POSTing again. */
      unknownOutcome: boolean;
      /** 401/403: our token is wrong; operators must act, but the CDR is never dropped. */
      credentialsAlert: boolean;
      /** The hub's own status code (OCPI 4000-4999) when a hub answered for the receiver, else null. */
      hubStatus: number | null;
    };

export interface IopAnswer {
  httpStatus: number;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  location: string | null;
}

const retry = (reason: string, unknownOutcome = false, credentialsAlert = false, hubStatus: number | null = null): DeliveryOutcome => ({
  kind: 'retry',
  reason,
  unknownOutcome,
  credentialsAlert,
  hubStatus,
});

/** The OCPI envelope of an IOP answer, or undefined when the body is not one. */
export function envelopeOf(answer: IopAnswer): OcpiResponseEnvelope | undefined {
  const parsed = ocpiResponseEnvelopeSchema.safeParse(answer.body);
  return parsed.success ? parsed.data : undefined;
}

/** OCPI 2.2.1 hub status codes (status_codes.asciidoc): the hub's own word, never the receiver's. */
const HUB_UNKNOWN_RECEIVER = 4001;
const HUB_FORWARD_TIMEOUT = 4002;
const HUB_RECEIVER_NOT_CONNECTED = 4003;
const isHubStatus = (code: number) => code >= 4000 && code < 5000;

/** What an operator should check, in words, for each hub status code. */
function hubAdvice(code: number): string {
  switch (code) {
    case HUB_UNKNOWN_RECEIVER:
      return "the hub knows no receiver by this request's To party: check the connection's --to-party (GIREVE: FR*007, pre-production FR*107)";
    case HUB_FORWARD_TIMEOUT:
      return 'the hub forwarded the CDR and its answer timed out: the CDR is looked up before any re-POST';
    case HUB_RECEIVER_NOT_CONNECTED:
      return 'the hub cannot reach the receiving party: retried until it is back (ask the hub if it lasts)';
    default:
      return 'a hub error: retried, the CDR is looked up before any re-POST (ask the hub if it lasts)';
  }
}

/**
 * A hub's answer says nothing of the CDR itself. 4001 and 4003 say it went nowhere; any other
 * (4002, 4000, unknown 4xxx) may have been forwarded, so the CDR is looked up first.
 */
function hubOutcome(said: string, code: number): DeliveryOutcome {
  const forwarded = code !== HUB_UNKNOWN_RECEIVER && code !== HUB_RECEIVER_NOT_CONNECTED;
  return retry(`${said}: ${hubAdvice(code)}`, forwarded, false, code);
}

/** After this many attempts in a row a 4000 / 4003 is no passing blip: operators are told. */
export const HUB_ALERT_AFTER_ATTEMPTS = 3;

/** Whether a retry needs an operator (a hub alert): a wrong To at once, a hub error once it lasts. */
export function raisesHubAlert(hubStatus: number | null, attempts: number): boolean {
  if (hubStatus === null) return false;
  if (hubStatus === HUB_UNKNOWN_RECEIVER) return true;
  return hubStatus !== HUB_FORWARD_TIMEOUT && attempts >= HUB_ALERT_AFTER_ATTEMPTS;
}

/** What a receiver's status_message may take of a reason (Postgres, logs, Temporal state, the operator's terminal). */
export const STATUS_MESSAGE_MAX = 200;

/**
 * The receiver's words, as the reason quotes them: control characters (line breaks, terminal
 * escapes) become spaces, and the text is cut at STATUS_MESSAGE_MAX characters.
 */
export function printableMessage(message: string): string {
  const printable = message.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ').trim();
  return printable.length > STATUS_MESSAGE_MAX ? `${printable.slice(0, STATUS_MESSAGE_MAX)}...` : printable;
}

export function classifyAnswer(answer: IopAnswer): DeliveryOutcome {
  const { httpStatus } = answer;
  const envelope = envelopeOf(answer);
  const said = envelope
    ? `HTTP ${httpStatus}, OCPI ${envelope.status_code}${envelope.status_message ? ` ${printableMessage(envelope.status_message)}` : ''}`
    : `HTTP ${httpStatus}`;
  const isBusinessError = envelope !== undefined && envelope.status_code >= 2000 && envelope.status_code < 3000;
  // A hub answered for the receiver, whatever HTTP status it chose: never parked on its word.
  if (envelope && isHubStatus(envelope.status_code)) return hubOutcome(said, envelope.status_code);
  // The CDR went past whoever answered (a gateway), which never heard back: the receiver may hold it.
  if (httpStatus === 502 || httpStatus === 504) return retry(said, true);
  if (httpStatus >= 200 && httpStatus < 300) {
    if (!envelope) return retry(`${said}: answer is not an OCPI envelope`, true);
    if (envelope.status_code === 1000) return { kind: 'delivered', location: answer.location };
    if (isBusinessError) return { kind: 'rejected', reason: said };
    return retry(said);
  }
  if (httpStatus >= 300 && httpStatus < 400) {
    return { kind: 'rejected', reason: `${said}: a redirect${answer.location ? ` to ${answer.location}` : ''}, never followed` };
  }
  if (httpStatus === 413) return { kind: 'rejected', reason: `${said}: the CDR is larger than the receiver, or a proxy before it, takes` };
  if (httpStatus === 401 || httpStatus === 403) return retry(`${said}: IOP refused our credentials`, false, true);
  if (httpStatus === 404 && isBusinessError) return { kind: 'rejected', reason: said };
  if (httpStatus === 404 || httpStatus === 408 || httpStatus === 429) return retry(said);
  // Only the IOP's own word that the CDR is invalid (an OCPI 2xxx) parks it; a bare 400
  // from a proxy in between says nothing about the CDR and is retried.
  if (httpStatus >= 400 && httpStatus < 500) return isBusinessError ? { kind: 'rejected', reason: said } : retry(said);
  return retry(said);
}

/** The reason of a request the caller cancelled (its AbortSignal): compare to this, never to other text. */
export const CANCELLED_REASON = 'cancelled';

/** The caller gave up on the request (e.g. its activity was cancelled): the IOP may have the CDR or not. */
export function cancelledOutcome(): DeliveryOutcome {
  return retry(CANCELLED_REASON, true);
}

/** Network-level failures: the request may or may not have reached the IOP. */
export function classifyNetworkError(error: unknown): DeliveryOutcome {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return retry('connection refused by the IOP');
  // The client was closed before the request left (a connection's client replaced): nothing was sent.
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') return retry('the HTTP client was closed before sending');
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ABORT_ERR' || code === 'TIMEOUT') {
    return retry('timed out waiting for the IOP', true);
  }
  return retry(`network error: ${code ?? (error instanceof Error ? error.message : String(error))}`, true);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (typeof current === 'object' && current !== null) {
      const record = current as { code?: unknown; name?: unknown; cause?: unknown };
      if (typeof record.code === 'string') return record.code;
      if (record.name === 'TimeoutError' || record.name === 'AbortError') return 'TIMEOUT';
      current = record.cause;
    } else break;
  }
  return undefined;
}
