/**
 * Activities of the per-session CDR workflow: build and validate, store, tell the CPO's
 * queue, check the delivered CDR back at the IOP. Built by a factory so tests and the
 * worker pass real dependencies.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { buildCdr } from '../src/cdr/build-cdr';
import { CdrBuildError } from '../src/cdr/build-error';
import type { Cdr } from '../src/ocpi/cdr';
import { cdrIdFor } from '../src/cdr/cdr-id';
import type { Party } from '../src/cdr/party';
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

export interface BuiltCdr {
  cdrId: string;
  cdr: unknown;
  errors: string[];
}

export interface StoredCdr {
  status: CdrStatus;
  validationErrors: string[];
  iopLocation: string | null;
}

export function createCdrActivities(deps: CdrActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async buildCdr(sessionEnded: SessionEnded): Promise<BuiltCdr> {
      let candidate: Cdr;
      try {
        candidate = buildCdr(sessionEnded, now());
      } catch (error) {
        // A session the builder cannot handle is an invalid CDR, not a reason to retry forever.
        if (!(error instanceof CdrBuildError)) throw error;
        return {
          cdrId: cdrIdFor(sessionEnded.party, sessionEnded.session.id),
          cdr: { session: sessionEnded.session },
          errors: error.problems,
        };
      }
      // Eichrecht data goes to GIREVE only once the CPO's implementation is certified.
      if (!deps.sendSignedData) delete candidate.signed_data;
      const validation = validateCdr(candidate);
      const cdrId = cdrIdFor(sessionEnded.party, sessionEnded.session.id);
      return validation.valid
        ? { cdrId, cdr: validation.cdr, errors: [] }
        : { cdrId, cdr: candidate, errors: validation.errors };
    },

    async storeCdr(input: { party: Party; sessionId: string; built: BuiltCdr }): Promise<StoredCdr> {
      const { built } = input;
      const lastUpdated = lastUpdatedOf(built.cdr) ?? now();
      const row = await insertCdr(deps.pool, {
        ...input.party,
        id: built.cdrId,
        session_id: input.sessionId,
        cdr: built.cdr,
        last_updated: lastUpdated,
        status: built.errors.length > 0 ? 'invalid' : 'queued',
        validation_errors: built.errors.length > 0 ? built.errors : undefined,
      });
      return { status: row.status, validationErrors: row.validation_errors ?? [], iopLocation: row.iop_location };
    },

    async notifyCdrStored(party: Party, notice: { cdrId: string; sessionId: string; valid: boolean }): Promise<void> {
      await signalCdrStored(deps.temporal, deps.taskQueue, party, notice);
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

function lastUpdatedOf(cdr: unknown): Date | undefined {
  const value = typeof cdr === 'object' && cdr !== null ? (cdr as { last_updated?: unknown }).last_updated : undefined;
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}
