/**
 * The worker heals lost queues without a person: at start and then periodically it settles
 * CDRs no lane would ever settle (src/store/delivery-repair.ts), then looks for parties
 * whose queue in Postgres has no running queue workflow (terminated, reset, or gone with
 * Temporal's state) and starts it again (src/temporal/recover-queues.ts). Several
 * workers may do it at once: starting a queue is idempotent.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { operatorId } from '../ocpi/party';
import { repairDeliveries } from '../store/delivery-repair';
import { recoverQueues } from '../temporal/recover-queues';
import type { DeliveryObserver } from '../observability/delivery-observer';

export interface QueueRepairLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface QueueRepair {
  /** One pass now; resolves when done (never rejects: a failed pass is logged and tried again later). */
  runOnce(): Promise<void>;
  /** No more passes; resolves once the one under way (if any) is done. */
  stop(): Promise<void>;
}

export function startQueueRepair(deps: {
  client: Client;
  pool: Pool;
  taskQueue: string;
  everyMs: number;
  log: QueueRepairLog;
  observer?: DeliveryObserver;
}): QueueRepair {
  let running: Promise<void> | undefined;
  async function pass(): Promise<void> {
    try {
      // First what no lane would ever settle, so a queue started below finds it settled.
      for (const repair of await repairDeliveries(deps.pool)) {
        const operator = operatorId(repair.party);
        deps.log.warn('settled CDRs that no receiver would have: see cdrflow status', {
          operator,
          lanesGone: repair.lanesGone,
          unserved: repair.unserved,
        });
        if (repair.lanesGone > 0) deps.observer?.deliveriesRepaired?.(operator, 'lane-gone', repair.lanesGone);
        if (repair.unserved > 0) deps.observer?.deliveriesRepaired?.(operator, 'unserved', repair.unserved);
      }
      for (const queue of await recoverQueues(deps)) {
        if (queue.workflow !== 'restarted') continue;
        deps.log.warn('queue workflow was not running: started again from Postgres', { operator: queue.operator });
        deps.observer?.queueRestarted?.(queue.operator);
      }
    } catch (error) {
      deps.log.warn('queue repair pass failed; trying again later', { error: error instanceof Error ? error.message : String(error) });
    }
  }
  const runOnce = () => (running ??= pass().finally(() => (running = undefined)));
  const timer = deps.everyMs > 0 ? setInterval(() => void runOnce(), deps.everyMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
