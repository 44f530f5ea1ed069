/**
 * The cdrflow worker: runs the session and queue workflows and their activities against
 * real dependencies (Postgres, the IOP, Temporal). Tests pass a pre-built workflow bundle
 * so the workflow code is bundled once per suite, not once per worker. It never installs
 * the Temporal Runtime (logger, telemetry): that is the process' choice, made once by the
 * worker command, or by the tests' quiet runtime.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../../activities/index';
import { postClaimLeaseMs } from '../delivery/claim-lease';
import type { CdrConfig, IopConfig } from '../config/index';
import { createIopClient } from '../iop/iop-client';
import { createReceiverRouter } from '../delivery/receiver-router';
import { temporalSessionNotifier } from '../temporal/notify-session';
import type { DeliveryObserver } from '../observability/delivery-observer';
import { ensureSearchAttributes, type SearchAttributeSetup } from '../temporal/search-attribute-setup';
import type { TemporalConnectionOptions } from '../temporal/temporal-connection';
import { explainTemporalError } from '../temporal/temporal-errors';
import { startQueueRepair } from './queue-repair';
import { startReconciliation, type ReconcileSettings } from './reconciliation';

export interface CdrWorkerOptions {
  /** Where Temporal is, and how to reach it (TLS, API key): see temporalConnectionOptions. */
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  iop: IopConfig;
  cdr?: CdrConfig;
  workflowBundle?: WorkflowBundleOption;
  /** Told of every delivery attempt (the worker's metrics). */
  deliveryObserver?: DeliveryObserver;
  /** Restart lost queue workflows at start and then this often (0: at start only); default 5 minutes. */
  queueRepairEveryMs?: number;
  /** Reconciliation with the hub; off when left out or everyMs is 0. */
  reconcile?: ReconcileSettings;
}

export interface CdrWorker {
  worker: Worker;
  /** What the worker found and added of cdrflow's search attributes at start. */
  searchAttributes: SearchAttributeSetup;
  /** Runs until shutdown() is called (or the process is signalled). */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Compiled (dist/): the bundle scripts/build prebuilt, no webpack at start; from TypeScript: bundled at start. */
function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const prebuilt = join(__dirname, '..', '..', 'workflow-bundle.js');
  if (__filename.endsWith('.js') && existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  return { workflowsPath: require.resolve('../../workflows') };
}

export async function createCdrWorker(options: CdrWorkerOptions): Promise<CdrWorker> {
  // The process' Temporal logger (pino in `cdrflow worker`): says when an IOP Location is not used.
  const log = Runtime.instance().logger;
  // Each party to its own connection (table `connections`), else to the IOP_* receiver.
  const router = createReceiverRouter(options.pool, createIopClient(options.iop, { log }), {
    requestTimeoutMs: options.iop.requestTimeoutMs,
    retireAfterMs: postClaimLeaseMs(options.iop.requestTimeoutMs),
    log,
  });
  const target = { address: options.temporal.address, namespace: options.namespace, tls: options.temporal.tls !== undefined };
  let clientConnection: Connection;
  let workerConnection: NativeConnection;
  let searchAttributes: SearchAttributeSetup;
  try {
    clientConnection = await Connection.connect({ ...options.temporal, connectTimeout: '10 seconds' });
    // Before polling: a workflow that sets an unknown search attribute would fail every task.
    searchAttributes = await ensureSearchAttributes(clientConnection, target);
    workerConnection = await NativeConnection.connect(options.temporal);
  } catch (error) {
    throw explainTemporalError(error, target);
  }
  const temporal = new Client({ connection: clientConnection, namespace: options.namespace });
  const { pool, taskQueue } = options;
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: options.namespace,
    taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowCode()),
    activities: createActivities({
      pool,
      router,
      temporal,
      taskQueue,
      sendSignedData: options.cdr?.sendSignedData ?? false,
      retry: { initialMs: options.iop.retryInitialMs, maxMs: options.iop.retryMaxMs },
      requestTimeoutMs: options.iop.requestTimeoutMs,
      checkSettleMs: options.iop.checkSettleMs,
      observer: options.deliveryObserver,
      // Session workflows learn their outcome from the run itself, off the drain's path.
      sessionNotifier: temporalSessionNotifier(temporal),
    }),
    // Many CPO queues each hold a sticky cached run; keep room for them.
    maxCachedWorkflows: 1_000,
    // A delivery run's heartbeat reaches the server within this, so a run whose queue
    // workflow was terminated or reset learns it (and stops POSTing) within seconds.
    maxHeartbeatThrottleInterval: '2 seconds',
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    searchAttributes,
    run() {
      if (running) return running;
      // Heals queues lost while no worker ran, then keeps looking (a terminated queue, a
      // Temporal restored from backup while this worker runs).
      const repair = startQueueRepair({
        client: temporal,
        pool,
        taskQueue,
        everyMs: options.queueRepairEveryMs ?? 300_000,
        log: Runtime.instance().logger,
        observer: options.deliveryObserver,
      });
      void repair.runOnce();
      const reconciliation =
        options.reconcile && options.reconcile.everyMs > 0
          ? startReconciliation({
              pool,
              router,
              settings: options.reconcile,
              log: Runtime.instance().logger,
              observer: options.deliveryObserver,
            })
          : undefined;
      running = worker.run().finally(async () => {
        await repair.stop();
        await reconciliation?.stop();
        await router.close();
        await clientConnection.close();
        await workerConnection.close();
      });
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING' || worker.getState() === 'INITIALIZED') worker.shutdown();
      await running;
    },
  };
}
