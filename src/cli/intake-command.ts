import { startCdr } from '../client/start-cdr';
import { ConfigError, intakeConfig, observabilityConfig, temporalConfig } from '../config/index';
import { createLogger } from '../observability/logger';
import { startIntakeServer } from '../intake/intake-server';
import { openTemporalClient } from '../temporal/temporal-connection';
import { onShutdownSignal } from './process-lifecycle';

/** `cdrflow intake`: POST /sessions/ended for CPO backends in any language. */
export async function runIntakeCommand(): Promise<void> {
  const intake = intakeConfig();
  if (!intake.enabled) throw new ConfigError('invalid configuration:\n  INTAKE_TOKENS: is required');
  const temporal = temporalConfig();
  const observability = observabilityConfig();
  const logger = createLogger({
    name: 'cdrflow-intake',
    level: observability.logLevel,
    secrets: [...intake.clients.map((client) => client.token), temporal.apiKey],
  });
  const client = await openTemporalClient(temporal);
  const server = await startIntakeServer({
    host: intake.host,
    port: intake.port,
    clients: intake.clients,
    startSession: (sessionEnded) => startCdr(client, sessionEnded, { taskQueue: temporal.taskQueue }),
    logError: (error) => logger.error({ err: error }, 'could not hand a session in (answered 503)'),
  });
  onShutdownSignal(async () => {
    await server.close();
    await client.connection.close();
  });
  logger.info(
    { url: `${server.url}/sessions/ended` },
    `cdrflow intake: POST ${server.url}/sessions/ended -> task queue ${temporal.taskQueue}`,
  );
}
