/**
 * Operator commands: answer "where is the CDR of session X?", "why is CPO Y's queue
 * stuck?", and act: pause / resume a CPO's delivery, re-send a rejected CDR, replay a
 * session. Every command takes --json for scripts.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { OperatorContext } from '../operator/operator-context';
import { parseOperatorId } from '../operator/party-arg';

// Loaded when a command runs (the Temporal client and pg are heavy): `cdrflow --help` stays quick.
const load = {
  context: () => import('../operator/operator-context'),
  status: () => import('../operator/cdr-status'),
  queue: () => import('../operator/queue-control'),
  replay: () => import('../operator/replay-session'),
  listing: () => import('../store/cdr-listing'),
  recover: () => import('../temporal/recover-queues'),
  credit: () => import('../operator/credit-cdr'),
  reissue: () => import('../operator/reissue-cdr'),
  resolve: () => import('../operator/resolve-delivery'),
};

async function withOperatorContext<T>(run: (context: OperatorContext) => Promise<T>): Promise<T> {
  return (await load.context()).withOperatorContext(run);
}

interface OutputOptions {
  json?: boolean;
}

function print(value: unknown, options: OutputOptions, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

function table(record: object): string {
  return Object.entries(record)
    .map(([key, value]) => `${key.padEnd(18)} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}

export function registerOperatorCommands(program: Command): void {
  program
    .command('status')
    .description('where is the CDR of a session: its workflow, delivery state, attempts, last error')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<session-id>', 'the OCPI session id')
    .option('--json', 'JSON output')
    .action(async (operator: string, sessionId: string, options: OutputOptions) => {
      const { cdrStatus } = await load.status();
      const report = await withOperatorContext((context) => cdrStatus(context, parseOperatorId(operator), sessionId));
      print(report, options, () => table(report));
    });

  program
    .command('queue')
    .description("a CPO's delivery queue: depth, head, oldest age, current error, stored CDRs by status")
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .option('--json', 'JSON output')
    .action(async (operator: string, options: OutputOptions) => {
      const { queueReport } = await load.queue();
      const report = await withOperatorContext((context) => queueReport(context, parseOperatorId(operator)));
      print(report, options, () => table(report));
    });

  const pauseAndResume = [
    { name: 'pause', paused: true, act: 'pauseQueue', description: "pause a CPO's delivery to the IOP (CDRs keep queueing)" },
    { name: 'resume', paused: false, act: 'resumeQueue', description: "resume a CPO's delivery to the IOP (and retry a failing head now)" },
  ] as const;
  for (const { name, paused, act, description } of pauseAndResume) {
    program
      .command(name)
      .description(description)
      .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
      .option('--json', 'JSON output')
      .action(async (operator: string, options: OutputOptions) => {
        const party = parseOperatorId(operator);
        const control = await load.queue();
        await withOperatorContext((context) => control[act](context, party));
        print({ paused }, options, () => `delivery ${paused ? 'paused' : 'resumed'} for ${operator}`);
      });
  }

  program
    .command('resend')
    .description(
      're-send a CDR the IOP rejected (after a fix at the IOP), or one it no longer has (reconciliation): it goes to the tail of the queue',
    )
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<cdr-id>', 'the CDR id')
    .option('--json', 'JSON output')
    .action(async (operator: string, cdrId: string, options: OutputOptions) => {
      const { resendCdr } = await load.queue();
      const result = await withOperatorContext((context) => resendCdr(context, parseOperatorId(operator), cdrId));
      print(result, options, () =>
        result.requeued ? `CDR ${cdrId} queued again (queue depth ${result.depth})` : `not re-sent: ${result.reason}`,
      );
      if (!result.requeued) process.exitCode = 1;
    });

  program
    .command('resolve')
    .description(
      "settle by hand a delivery only a person can settle: a POST of unknown outcome whose checks answer nothing clear (the receiver's back office says whether it holds the CDR)",
    )
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<cdr-id>', 'the CDR id')
    .option('--connection <name>', 'the receiver (default: the only one the CDR waits for)')
    .option('--held', 'the receiver holds the CDR: record it sent there')
    .option('--not-held', 'the receiver does not hold it: POST it again, without asking first')
    .option('--note <text>', 'why, for the record (who confirmed it, a ticket)')
    .option('--json', 'JSON output')
    .action(
      async (
        operator: string,
        cdrId: string,
        options: OutputOptions & { connection?: string; held?: boolean; notHeld?: boolean; note?: string },
      ) => {
        if (options.held === options.notHeld) throw new Error('resolve: give exactly one of --held or --not-held');
        const { resolveStuckDelivery } = await load.resolve();
        const verdict = options.held ? 'held' : 'not-held';
        const party = parseOperatorId(operator);
        const resolved = await withOperatorContext((context) =>
          resolveStuckDelivery(context, party, cdrId, { connection: options.connection, verdict, note: options.note }),
        );
        print(resolved, options, () =>
          verdict === 'held'
            ? `CDR ${cdrId} recorded as held by ${resolved.connection}${resolved.cdrStatus ? ` (the CDR is ${resolved.cdrStatus} now)` : ''}; its lane goes on`
            : `CDR ${cdrId} will be POSTed to ${resolved.connection} again at once, without asking first`,
        );
      },
    );

  program
    .command('credit')
    .description('cancel a sent CDR with an OCPI 2.2.1 credit CDR, delivered once through the same queue (2.2.1 connections only)')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<cdr-id>', 'the id of the sent CDR to cancel')
    .requiredOption('--reason <text>', "why (sent as the credit CDR's remark)")
    .option('--json', 'JSON output')
    .action(async (operator: string, cdrId: string, options: OutputOptions & { reason: string }) => {
      const { issueCreditCdr } = await load.credit();
      const credit = await withOperatorContext((context) => issueCreditCdr(context, parseOperatorId(operator), cdrId, options.reason));
      for (const warning of credit.warnings) process.stderr.write(`warning: ${warning}\n`);
      print(credit, options, () =>
        credit.issued
          ? `credit CDR ${credit.creditCdrId} queued for ${credit.receivers.join(', ')}: it cancels ${cdrId} and goes out after the CDRs already queued` +
            (credit.notCredited.length > 0
              ? `\nnot credited at ${credit.notCredited.join(', ')} (OCPI 2.1.1): correct it with them directly`
              : '')
          : `credit CDR ${credit.creditCdrId} was issued before (${credit.status}): nothing queued again`,
      );
    });

  program
    .command('reissue')
    .description('after a credit, send the corrected CDR: the real session_id, a new id, queued after the credit (OCPI 2.2.1 only)')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<cdr-id>', 'the id of the credited CDR')
    .option('--input <file>', 'the corrected SessionEnded JSON file (default: the CDR as it was)')
    .option('--json', 'JSON output')
    .action(async (operator: string, cdrId: string, options: OutputOptions & { input?: string }) => {
      const corrected = options.input ? (JSON.parse(await readFile(options.input, 'utf8')) as unknown) : undefined;
      const { reissueCdr } = await load.reissue();
      const reissued = await withOperatorContext((context) => reissueCdr(context, parseOperatorId(operator), cdrId, corrected));
      print(reissued, options, () =>
        reissued.issued
          ? `CDR ${reissued.reissueCdrId} queued for ${reissued.receivers.join(', ')}: it corrects ${cdrId} and goes out after its credit`
          : `CDR ${cdrId} was re-issued before as ${reissued.reissueCdrId} (${reissued.status}): nothing queued again`,
      );
    });

  program
    .command('list')
    .description('list stored CDRs in a state, newest first (rejected and invalid ones need an operator)')
    .requiredOption('--status <status>', 'rejected | invalid | queued | sent')
    .option('--operator <operator>', 'only this CPO, e.g. FR*ABC')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'JSON output')
    .action(async (options: OutputOptions & { status: string; operator?: string; limit: string }) => {
      if (!['rejected', 'invalid', 'queued', 'sent'].includes(options.status)) {
        throw new Error(`--status must be rejected, invalid, queued or sent, not "${options.status}"`);
      }
      const { listCdrsByStatus } = await load.listing();
      const rows = await withOperatorContext(({ pool }) =>
        listCdrsByStatus(pool, options.status as 'rejected', {
          party: options.operator ? parseOperatorId(options.operator) : undefined,
          limit: Number(options.limit),
        }),
      );
      print(rows, options, () =>
        rows.length === 0
          ? `no ${options.status} CDRs`
          : rows
              .map(
                (row) =>
                  `${row.country_code}*${row.party_id}  session ${row.session_id}  cdr ${row.id}  ${row.last_error ?? (row.validation_errors ?? []).join('; ')}`,
              )
              .join('\n'),
      );
    });

  program
    .command('recover')
    .description(
      'rebuild the queue workflow of one CPO (or every CPO) from Postgres: safe at any time, adds nothing twice, changes no order',
    )
    .argument('[operator]', 'CPO operator id, e.g. FR*ABC (default: every CPO with a queue)')
    .option('--json', 'JSON output')
    .action(async (operator: string | undefined, options: OutputOptions) => {
      const { recoverQueues } = await load.recover();
      const party = operator ? parseOperatorId(operator) : undefined;
      const recovered = await withOperatorContext((context) => recoverQueues(context, { party, wakeRunning: true }));
      print(recovered, options, () =>
        recovered.length === 0
          ? 'no queue to recover: nothing is queued in Postgres'
          : recovered
              .map(
                (queue) =>
                  `${queue.operator}  ${queue.workflow === 'restarted' ? 'queue workflow started again' : 'queue workflow running, told to look again'}`,
              )
              .join('\n'),
      );
    });

  program
    .command('replay')
    .description('rebuild the CDR of a session whose CDR never reached the IOP (invalid or rejected) and queue it again')
    .argument('<operator>', 'CPO operator id, e.g. FR*ABC')
    .argument('<session-id>', 'the OCPI session id')
    .option('--input <file>', 'a corrected SessionEnded JSON file (default: the original input)')
    .option('--json', 'JSON output')
    .action(async (operator: string, sessionId: string, options: OutputOptions & { input?: string }) => {
      const corrected = options.input ? (JSON.parse(await readFile(options.input, 'utf8')) as unknown) : undefined;
      const { replaySession } = await load.replay();
      const started = await withOperatorContext((context) => replaySession(context, parseOperatorId(operator), sessionId, corrected));
      print(started, options, () => `replaying: ${started.workflowId} (cdr ${started.cdrId})`);
    });
}
