/**
 * How a test or an operator steers the mock IOP (src/dev/mock-iop.ts): the ways a real hub
 * misbehaves, in process (`mock.control`) or over HTTP (`POST /_mock/control`).
 */
export type MockBehaviour =
  | 'accept'
  /** HTTP 500, nothing stored. */
  | 'http500'
  /** HTTP 200 with OCPI 3000, nothing stored. */
  | 'ocpi3000'
  /** Never answers, nothing stored: the IOP is unreachable behind a proxy. */
  | 'timeout'
  /** Stores the CDR, then never answers: the CPO cannot know it arrived. */
  | 'store-then-timeout'
  /** Stores the CDR, then answers HTTP 500: a receiver that failed after its insert. */
  | 'store-then-500'
  /** Stores the CDR, then a proxy in front answers a bare HTTP 502 (its upstream's answer was lost). */
  | 'store-then-502'
  /** Stores the CDR, then a hub answers OCPI 4002: it forwarded the CDR and its receiver's answer timed out. */
  | 'store-then-4002'
  /** HTTP 200 with OCPI 4003, nothing stored: a hub whose receiving party is not connected. */
  | 'hub4003'
  /** Closes the connection without an answer, nothing stored. */
  | 'drop'
  /** HTTP 400 with OCPI 2001: the CDR is refused as invalid. */
  | 'reject'
  /** HTTP 401: our token is refused. */
  | 'unauthorized'
  /** HTTP 413 without an OCPI body, nothing stored: a proxy's body limit, met by one large CDR. */
  | 'http413'
  /** HTTP 404 with OCPI 2003, nothing stored: the hub knows no location of this CDR. */
  | 'unknown-location'
  /** HTTP 308 to another URL, nothing stored. */
  | 'redirect';

/** How the Check CDR GET answers, whatever the IOP holds (`normal`: the CDR, or 404 + OCPI 2000 "unknown CDR"). */
export type MockCheckBehaviour =
  | 'normal'
  /** HTTP 404 without an OCPI body: a proxy or a wrong route, says nothing of the CDR. */
  | 'bare404'
  | 'http429'
  | 'http500'
  | 'unauthorized'
  /** HTTP 200, OCPI 1000, `data: {}`: as GIREVE answers many calls. */
  | 'emptyData'
  /** The CDR held, as a one-element list in `data` (receivers built on some OCPI libraries). */
  | 'listData'
  /** Never answers. */
  | 'timeout';

export interface MockControl {
  /** What every request meets once `failNext` is used up. */
  behaviour?: MockBehaviour;
  /** The next N POSTs meet `failNextBehaviour`, then `behaviour` again. */
  failNext?: number;
  failNextBehaviour?: MockBehaviour;
  /** CDR ids refused as invalid whatever the behaviour. */
  rejectIds?: string[];
  /** CDR ids that meet their own behaviour, whatever `behaviour` says. */
  behaviourOfIds?: Record<string, MockBehaviour>;
  /** eMI3 operator ids (`FR*ABC`, read from the CDR's evse_id) whose CDRs get HTTP 500: a per-CPO outage. */
  failOperators?: string[];
  /** Added to every answer, in ms. */
  latencyMs?: number;
  /**
   * A POST of an id already held is refused: `true` with OCPI 3000 (a receiver that refuses a
   * second create), `'as-invalid'` with HTTP 400 and OCPI 2001 "already exists".
   */
  refuseDuplicates?: boolean | 'as-invalid';
  /** Answer accepted POSTs with a Location header (GIREVE itself sends none). */
  withLocation?: boolean;
  /** Check CDR answers with a CDR whose total_cost differs from what was received. */
  alterOnCheck?: boolean;
  /** Check CDR answers with the hub's own session_id and authorization_reference (as GIREVE gives the eMSP). */
  replaceIdsOnCheck?: boolean;
  checkBehaviour?: MockCheckBehaviour;
}
