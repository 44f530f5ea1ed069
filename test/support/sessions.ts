/**
 * Handing in simulated ended sessions and checking what reached the mock IOP: every CDR
 * exactly once, in hand-in order per CPO, none missing.
 */
import type { Client } from '@temporalio/client';
import type { Party } from '../../src/ocpi/party';
import { startCdr, type StartedCdr } from '../../src/client/start-cdr';
import type { ReceivedCdr } from '../../src/dev/mock-iop';
import { simulatedSessionEnded } from '../../src/dev/simulated-session';
import type { cdrSessionWorkflow, CdrWorkflowResult } from '../../workflows/cdr-session';
import type { QueueSettings } from '../../workflows/definitions';
import { randomParty } from './temporal';

export type SessionEndedInputs = ReturnType<typeof simulatedSessionEnded>[];

export function simulatedSessions(count: number, prefix: string, party: Party = randomParty()): SessionEndedInputs {
  const start = new Date('2026-11-20T08:00:00Z');
  return Array.from({ length: count }, (_, index) =>
    simulatedSessionEnded({
      party,
      sessionId: `${prefix}-${index}`,
      start: new Date(start.getTime() + index * 60_000),
      kwh: 5 + (index % 30), // within what the simulated connector can deliver in its hour of charging
    }),
  );
}

/** Hands the sessions in one after the other, as a CPO backend would: that order is the FIFO order. */
export async function handIn(
  client: Client,
  taskQueue: string,
  inputs: SessionEndedInputs,
  queueSettings: QueueSettings = { headStorePatienceMs: 1_000 },
): Promise<StartedCdr[]> {
  const started: StartedCdr[] = [];
  for (const input of inputs) started.push(await startCdr(client, input, { taskQueue, queueSettings }));
  return started;
}

export function resultOf(client: Client, workflowId: string): Promise<CdrWorkflowResult> {
  return client.workflow.getHandle<typeof cdrSessionWorkflow>(workflowId).result();
}

export async function resultsOf(client: Client, started: StartedCdr[]): Promise<CdrWorkflowResult[]> {
  return Promise.all(started.map((s) => resultOf(client, s.workflowId)));
}

/** Asserts the IOP received each of `started` exactly once, in order. */
export function expectDeliveredOnceInOrder(received: ReceivedCdr[], started: StartedCdr[]): void {
  const wanted = new Set(started.map((s) => s.cdrId));
  const arrived = received.map((r) => r.id).filter((id) => wanted.has(id));
  expect(arrived).toEqual(started.map((s) => s.cdrId));
}

export function partyOfWorkflow(workflowId: string): Party {
  const match = /^cdr:([A-Z]{2})\*([A-Z0-9]{3}):/.exec(workflowId);
  if (!match) throw new Error(`not a CDR workflow id: ${workflowId}`);
  return { country_code: match[1]!, party_id: match[2]! };
}
