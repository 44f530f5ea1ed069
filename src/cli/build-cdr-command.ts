import { readFile } from 'node:fs/promises';
import { buildCdr } from '../cdr/build/build-cdr';
import { CdrBuildError } from '../cdr/build/build-error';
import { type SessionEnded } from '../cdr/session/session-ended';
import { InvalidSessionEndedError, parseSessionEnded } from '../cdr/session/parse-session-ended';
import { validateCdr } from '../cdr/validate/validate-cdr';
import type { Receiver221Rules } from '../cdr/validate/validate-cdr-221';
import { isGireveParty, toPartySchema } from '../receivers/to-party';

export type BuildCdrOcpiVersion = '2.1.1' | '2.2.1';

/**
 * `cdrflow build-cdr FILE.json [--ocpi 2.2.1 [--to-party FR*107]]`: a dry run for CPO engineers. Prints the CDR
 * that would be sent, in the OCPI version asked for (exit 0), or why there is none, one
 * problem per line (exit 1). No Temporal, database or network.
 */
export async function runBuildCdrCommand(file: string, options: { ocpi?: BuildCdrOcpiVersion; toParty?: string } = {}): Promise<number> {
  let forGireve = false;
  if (options.toParty !== undefined) {
    const toParty = toPartySchema.safeParse(options.toParty);
    if (!toParty.success || options.ocpi !== '2.2.1') {
      const rule = toParty.success ? 'applies to an OCPI 2.2.1 CDR only (add --ocpi 2.2.1)' : toParty.error.issues[0]?.message;
      process.stderr.write(`--to-party: ${rule}\n`);
      return 2;
    }
    forGireve = isGireveParty(toParty.data);
  }
  const input = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const now = new Date();
  let errors: string[];
  try {
    const parsed = parseSessionEnded(input, now);
    const validation = options.ocpi === '2.2.1' ? await validated221(parsed, now, { forGireve }) : validateCdr(buildCdr(parsed, now));
    if (validation.valid) {
      process.stdout.write(`${JSON.stringify(validation.cdr, null, 2)}\n`);
      return 0;
    }
    errors = validation.errors;
  } catch (error) {
    if (error instanceof InvalidSessionEndedError) errors = error.problems.map((problem) => `session-ended ${problem}`);
    // The session gives no CDR at all (2.2.1 fields missing, nothing to price it with...).
    else if (error instanceof CdrBuildError) errors = error.problems;
    else throw error;
  }
  process.stderr.write(`${errors.join('\n')}\n`);
  return 1;
}

// Loaded only when asked for, so the 2.1.1 dry run does not pay for the 2.2.1 schemas.
async function validated221(input: SessionEnded, now: Date, rules: Receiver221Rules) {
  const [{ buildCdr221WithPricing }, { validateCdr221 }] = await Promise.all([
    import('../cdr/build/build-cdr-221'),
    import('../cdr/validate/validate-cdr-221'),
  ]);
  return validateCdr221(buildCdr221WithPricing(input, now), rules);
}
