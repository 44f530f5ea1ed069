/**
 * Activities of the per-session CDR workflow: prepare (build, validate, store, tell the
 * CPO's queue) and check the delivered CDR back at the IOP. Built by a factory so tests and the
 * worker pass real dependencies.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { buildCdr } from '../src/cdr/build/build-cdr';
import { buildCdr221WithPricing, missing221Fields } from '../src/cdr/build/build-cdr-221';
import { CdrBuildError } from '../src/cdr/build/build-error';
import type { OcpiVersion } from '../src/ocpi/versions';
import type { Cdr } from '../src/ocpi/v211/cdr';
import { cdrIdFor } from '../src/cdr/build/cdr-id';
import type { SessionEnded } from '../src/cdr/session/session-ended';
import { validateCdr } from '../src/cdr/validate/validate-cdr';
import { validate221Shape, type Receiver221Rules } from '../src/cdr/validate/validate-cdr-221';
import { isGireveParty } from '../src/receivers/to-party';
import { compareCheckedCdr } from '../src/iop/compare-checked-cdr';
import { DEFAULT_RECEIVER, type ReceiverRouter } from '../src/delivery/receiver-router';
import { ocpiRoutingOf } from '../src/iop/cdr-routing';
import { type CdrKey } from '../src/ocpi/party';
import { findCdr, insertCdr, recordCheck, type CdrStatus } from '../src/store/cdr-repo';
import { type CheckStatus } from '../src/receivers/receiver';
import { deliveriesOf } from '../src/store/delivery-repo';
import { signalCdrStored } from '../src/temporal/queue-signals';

export interface CdrActivityDeps {
  pool: Pool;
  /** Where each party's CDRs go. */
  router: ReceiverRouter;
  temporal: Client;
  taskQueue: string;
  /** GIREVE accepts OCPI 2.2 signed_data only after certification: off unless configured. */
  sendSignedData: boolean;
  now?: () => Date;
}

interface BuiltCdr {
  cdrId: string;
  cdr: unknown;
  /** The OCPI 2.2.1 form, when the session carries what it needs. */
  cdr221: unknown;
  errors: string[];
}

export interface PreparedCdr {
  cdrId: string;
  status: CdrStatus;
  validationErrors: string[];
  iopLocation: string | null;
  /** Where the CDR goes (hosts of its receivers' endpoints), shown as a search attribute. */
  iop: string;
  /** The party's connections that deliver it, comma-separated (`default`: the IOP_* variables). */
  connection?: string;
}

/** Which check answer a CDR checked at several receivers records: the worst one. */
const CHECK_SEVERITY: CheckStatus[] = ['mismatch', 'not_possible', 'match_ids_replaced', 'match'];

export function createCdrActivities(deps: CdrActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const { router } = deps;

  /**
   * Both forms of the CDR: 2.1.1 always, 2.2.1 when the session carries what it needs. The
   * form the party's connection speaks must be valid; the other is kept when it can be built
   * (the 2.2.1 pull serves it), so a party moved to 2.2.1 later still has it.
   */
  function buildAndValidate(sessionEnded: SessionEnded, version: OcpiVersion, rules: Receiver221Rules): BuiltCdr {
    const cdrId = cdrIdFor(sessionEnded.party, sessionEnded.session.id);
    // Building and validating are pure: an error here would fail the same way on every retry
    // and block the CPO's queue behind this session, so it makes the CDR invalid instead
    // (visible, and replayable after a fix).
    try {
      const at = now();
      const missing221 = missing221Fields(sessionEnded);
      // One build and pricing for both forms: the 2.2.1 CDR translates the 2.1.1 one.
      const built221 = missing221.length === 0 ? buildCdr221WithPricing(sessionEnded, at) : undefined;
      const candidate: Cdr = built221?.source.cdr ?? buildCdr(sessionEnded, at);
      // Eichrecht data goes to GIREVE only once the CPO's implementation is certified.
      if (!deps.sendSignedData) {
        delete candidate.signed_data;
        if (built221) delete built221.cdr.signed_data;
      }
      const validation = validateCdr(candidate);
      // Its 2.1.1 rules are the 2.1.1 CDR's, just checked: the 2.2.1 schema is what is left.
      const validation221 = built221 ? validate221Shape(built221.cdr, rules) : { valid: false as const, errors: missing221 };
      const errors = [
        ...(validation.valid ? [] : validation.errors),
        ...(version === '2.2.1' && !validation221.valid ? validation221.errors : []),
      ];
      return {
        cdrId,
        cdr: validation.valid ? validation.cdr : candidate,
        cdr221: validation.valid && validation221.valid ? validation221.cdr : null,
        errors,
      };
    } catch (error) {
      const problems = error instanceof CdrBuildError ? error.problems : [`(build): internal error, replay after a fix: ${String(error)}`];
      return { cdrId, cdr: { session: sessionEnded.session }, cdr221: null, errors: problems };
    }
  }

  return {
    /**
     * Builds and validates the session's CDR, stores it (queued, or invalid with its
     * reasons) and tells the CPO's queue. One local activity, so a session costs the
     * Temporal server as little as possible; every step is idempotent, so a retry after a
     * crash stores nothing twice (the first stored CDR wins) and the queue ignores a
     * repeated notice.
     */
    async prepareCdr(sessionEnded: SessionEnded): Promise<PreparedCdr> {
      // Where it will go: the forms its receivers speak must be valid.
      const lanes = await router.lanesFor(sessionEnded.party);
      const lanes221 = lanes.filter((lane) => lane.ocpiVersion === '2.2.1');
      const built = buildAndValidate(sessionEnded, lanes221.length > 0 ? '2.2.1' : '2.1.1', {
        forGireve: lanes221.some((lane) => isGireveParty(lane.toParty)),
      });
      const invalid = built.errors.length > 0;
      const row = await insertCdr(deps.pool, {
        ...sessionEnded.party,
        id: built.cdrId,
        session_id: sessionEnded.session.id,
        cdr: built.cdr,
        cdr_221: built.cdr221,
        status: invalid ? 'invalid' : 'queued',
        validation_errors: invalid ? built.errors : undefined,
      });
      // A rebuild of a CDR already sent or rejected has nothing to tell the queue.
      if (row.status === 'queued' || row.status === 'invalid') {
        await signalCdrStored(deps.temporal, deps.taskQueue, sessionEnded.party, {
          cdrId: built.cdrId,
          sessionId: sessionEnded.session.id,
          valid: row.status === 'queued',
        });
      }
      return {
        cdrId: built.cdrId,
        status: row.status,
        validationErrors: row.validation_errors ?? [],
        iopLocation: row.iop_location,
        iop: [...new Set(lanes.map((lane) => lane.host))].join(','),
        connection: lanes.map((lane) => lane.connection).join(','),
      };
    },

    /**
     * Check CDR (GIREVE): read back what we sent, at every receiver that took it, in the form
     * sent there, and record whether it matches (the worst answer, each receiver named when
     * there are several).
     */
    async checkCdrAtIop(key: CdrKey): Promise<string> {
      const row = await findCdr(deps.pool, key);
      if (!row) throw new Error(`CDR ${key.id} is not stored`);
      const delivered = (await deliveriesOf(deps.pool, key))
        .filter((delivery) => delivery.status === 'sent')
        .map(({ connection, iopLocation }) => ({ connection, iopLocation }));
      // None recorded: a CDR settled before deliveries existed, where its row says it went.
      const sentTo =
        delivered.length > 0 ? delivered : [{ connection: row.post_connection ?? DEFAULT_RECEIVER, iopLocation: row.iop_location }];
      const checks: { status: CheckStatus; detail: string }[] = [];
      for (const { connection, iopLocation } of sentTo) {
        const route = await router.routeByName(key, connection);
        if (!route) {
          checks.push({ status: 'not_possible', detail: `the connection it was sent through (${connection}) is gone` });
          continue;
        }
        const { client } = route;
        const sent = client.ocpiVersion === '2.2.1' ? row.cdr_221 : row.cdr;
        const answer = await client.getCdr(client.checkUrl(key.id, iopLocation), undefined, ocpiRoutingOf(key, sent));
        const check = compareCheckedCdr(sent, answer);
        checks.push(sentTo.length > 1 ? { status: check.status, detail: `${connection}: ${check.detail}` } : check);
      }
      const worst = CHECK_SEVERITY.find((status) => checks.some((check) => check.status === status)) ?? 'match';
      const detail = checks.map((check) => check.detail).join('; ');
      await recordCheck(deps.pool, key, worst, detail);
      return `${worst}: ${detail}`;
    },
  };
}

export type CdrActivities = ReturnType<typeof createCdrActivities>;
