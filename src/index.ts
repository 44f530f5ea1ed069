/**
 * cdrflow's public API for CPO backends written in TypeScript:
 *
 *   import { connectTemporalClient, startCdr } from 'cdrflow';
 *   const client = await connectTemporalClient(); // TEMPORAL_ADDRESS, TEMPORAL_TLS_*, TEMPORAL_API_KEY ...
 *   const { workflowId } = await startCdr(client, sessionEnded);
 */
export { startCdr, DEFAULT_TASK_QUEUE, type StartedCdr } from './client/start-cdr';
export { sessionEndedSchema, type SessionEnded, type SessionEndedInput } from './cdr/session/session-ended';
export { parseSessionEnded, InvalidSessionEndedError } from './cdr/session/parse-session-ended';
export { connectTemporalClient } from './temporal/temporal-connection';
export { TemporalSetupError, type TemporalProblem } from './temporal/temporal-errors';
export { ConfigError } from './config/env';
export { cdrIdFor } from './cdr/build/cdr-id';
export { cdrWorkflowId, cpoQueueWorkflowId } from '../workflows/ids';
export type { Cdr } from './ocpi/v211/cdr';
export { connectHub, issuePullClient, rotatePullClient, retirePullClient } from './platform-api';
export type { HubConnection, ConnectionListing, PullClientListing } from './platform-api';
