/** cdrflow's public API for CPO backends written in TypeScript. */
export { startCdr, DEFAULT_TASK_QUEUE, type StartedCdr } from './client/start-cdr';
export {
  parseSessionEnded,
  sessionEndedSchema,
  InvalidSessionEndedError,
  type SessionEnded,
  type SessionEndedInput,
} from './cdr/session-ended';
export { cdrIdFor } from './cdr/cdr-id';
export { cdrWorkflowId, cpoQueueWorkflowId } from '../workflows/ids';
export type { Cdr } from './ocpi/cdr';
