/** Everything the worker's workflow bundle registers. */
export { cdrSessionWorkflow } from './cdr-session';
export { cpoQueueWorkflow } from './cpo-queue';
