/**
 * Activities of the per-session CDR workflow: prepare (build, validate, store, tell the
 * CPO's queue) and check the delivered CDR back at the IOP. Built by a factory so tests and the
 * worker pass real dependencies.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { buildCdr } from '../src/cdr/build-cdr';
import { CdrBuildError } from '../src/cdr/build-error';
import type { Cdr } from '../src/ocpi/cdr';
import { cdrIdFor } from '../src/cdr/cdr-id';
import type { SessionEnded } from '../src/cdr/session-ended';
import { validateCdr } from '../src/cdr/validate-cdr';
import { compareCheckedCdr } from '../src/iop/compare-checked-cdr';
import type { IopClient } from '../src/iop/iop-client';
import type { CdrKey } from '../src/store/cdr-key';
import { findCdr, insertCdr, recordCheck, type CdrStatus } from '../src/store/cdr-repo';
import { signalCdrStored } from '../src/client/queue-signals';

export interface CdrActivityDeps {
  pool: Pool;
  iop: IopClient;
  temporal: Client;
  taskQueue: string;
  /** GIREVE accepts OCPI 2.2 signed_data only after certification: off unless configured. */
  sendSignedData: boolean;
  now?: () => Date;
}

interface BuiltCdr {
  cdrId: string;
  cdr: unknown;
  errors: string[];
}

export interface PreparedCdr {
  cdrId: string;
  status: CdrStatus;
  validationErrors: string[];
  iopLocation: string | null;
  /** Where the CDR goes (host of the IOP endpoint), shown as a search attribute. */
  iop: string;
}

export function createCdrActivities(deps: CdrActivityDeps) {
  const now = deps.now ?? (() => new Date());

  function buildAndValidate(sessionEnded: SessionEnded): BuiltCdr {
    const cdrId = cdrIdFor(sessionEnded.party, sessionEnded.session.id);
    // Building and validating are pure: an error here would fail the same way on every retry
    // and block the CPO's queue behind this session, so it makes the CDR invalid instead
    // (visible, and replayable after a fix).
    try {
      const candidate: Cdr = buildCdr(sessionEnded, now());
      // Eichrecht data goes to GIREVE only once the CPO's implementation is certified.
      if (!deps.sendSignedData) delete candidate.signed_data;
      const validation = validateCdr(candidate);
      return validation.valid ? { cdrId, cdr: validation.cdr, errors: [] } : { cdrId, cdr: candidate, errors: validation.errors };
    } catch (error) {
      const problems =
        error instanceof CdrBuildError ? error.problems : [`(build): internal error, replay after a fix: ${String(error)}`];
      return { cdrId, cdr: { session: sessionEnded.session }, errors: problems };
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
      const built = buildAndValidate(sessionEnded);
      const invalid = built.errors.length > 0;
      const row = await insertCdr(deps.pool, {
        ...sessionEnded.party,
        id: built.cdrId,
        session_id: sessionEnded.session.id,
        cdr: built.cdr,
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
        iop: deps.iop.host,
      };
    },

    /** Check CDR (GIREVE): read back what we sent and record whether it matches. */
    async checkCdrAtIop(key: CdrKey): Promise<string> {
      const row = await findCdr(deps.pool, key);
      if (!row) throw new Error(`CDR ${key.id} is not stored`);
      const answer = await deps.iop.getCdr(deps.iop.checkUrl(key.id, row.iop_location));
      const check = compareCheckedCdr(row.cdr, answer);
      await recordCheck(deps.pool, key, check.status, check.detail);
      return `${check.status}: ${check.detail}`;
    },
  };
}

export type CdrActivities = ReturnType<typeof createCdrActivities>;
