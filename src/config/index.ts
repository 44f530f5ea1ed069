/**
 * Configuration from environment variables, validated at start, one file per section.
 * Each process reads only the section it needs, so the API does not demand the IOP token
 * and the worker does not demand the pull tokens. Errors name the variable and the rule;
 * token values are never echoed.
 */
export { ConfigError } from './env';
export { databaseConfig } from './database';
export { iopConfig, type IopConfig } from './iop';
export { cdrConfig, type CdrConfig } from './cdr';
export { queueUpkeepConfig, type QueueUpkeepConfig } from './worker';
export { apiConfig, type ApiConfig } from './api';
export { intakeConfig } from './intake';
export {
  observabilityConfig,
  workerMetricsConfig,
  apiMetricsConfig,
  type ObservabilityConfig,
  type LogLevelName,
  type MetricsListener,
} from './observability';
export { temporalConfig, type TemporalConfig } from './temporal';
