/**
 * The cdrflow worker: runs the session and queue workflows and their activities against
 * real dependencies (Postgres, the IOP, Temporal). Tests pass a pre-built workflow bundle
 * so the workflow code is bundled once per suite, not once per worker. It never installs
 * the Temporal Runtime (logger, telemetry): that is the process' choice, made once by the
 * worker command, or by the tests' quiet runtime.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createCdrActivities } from '../../activities/cdr-activities';
import { createDeliveryActivities } from '../../activities/delivery-activities';
import { createQueueActivities } from '../../activities/queue-activities';
import type { CdrConfig, IopConfig } from '../config';
import { createIopClient } from '../iop/iop-client';
import type { DeliveryObserver } from '../observability/delivery-observer';

export interface CdrWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  iop: IopConfig;
  cdr?: CdrConfig;
  workflowBundle?: WorkflowBundleOption;
  /** Told of every delivery attempt (the worker's metrics). */
  deliveryObserver?: DeliveryObserver;
}

export interface CdrWorker {
  worker: Worker;
  /** Runs until shutdown() is called (or the process is signalled). */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function createCdrWorker(options: CdrWorkerOptions): Promise<CdrWorker> {
  // The process' Temporal logger (pino in `cdrflow worker`): says when an IOP Location is not used.
  const iop = createIopClient(options.iop, { log: Runtime.instance().logger });
  const clientConnection = await Connection.connect({ address: options.temporalAddress });
  const temporal = new Client({ connection: clientConnection, namespace: options.namespace });
  const workerConnection = await NativeConnection.connect({ address: options.temporalAddress });
  const { pool, taskQueue } = options;
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: options.namespace,
    taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../../workflows') }),
    activities: {
      ...createCdrActivities({ pool, iop, temporal, taskQueue, sendSignedData: options.cdr?.sendSignedData ?? false }),
      ...createDeliveryActivities({
        pool,
        iop,
        retry: { initialMs: options.iop.retryInitialMs, maxMs: options.iop.retryMaxMs },
        observer: options.deliveryObserver,
      }),
      ...createQueueActivities({ pool, temporal, taskQueue }),
    },
    // Many CPO queues each hold a sticky cached run; keep room for them.
    maxCachedWorkflows: 1_000,
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    run() {
      running ??= worker.run().finally(async () => {
        await iop.close();
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
