import { readFile } from 'node:fs/promises';
import { buildCdr } from '../cdr/build/build-cdr';
import { CdrBuildError } from '../cdr/build/build-error';
import { type SessionEnded } from '../cdr/session/session-ended';
import { InvalidSessionEndedError, parseSessionEnded } from '../cdr/session/parse-session-ended';
import { validateCdr } from '../cdr/validate/validate-cdr';

export type BuildCdrOcpiVersion = '2.1.1' | '2.2.1';

/**
 * `cdrflow build-cdr FILE.json [--ocpi 2.2.1]`: a dry run for CPO engineers. Prints the CDR
 * that would be sent, in the OCPI version asked for (exit 0), or why there is none, one
 * problem per line (exit 1). No Temporal, database or network.
 */
export async function runBuildCdrCommand(file: string, options: { ocpi?: BuildCdrOcpiVersion } = {}): Promise<number> {
  const input = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const now = new Date();
  let errors: string[];
  try {
    const parsed = parseSessionEnded(input, now);
    const validation = options.ocpi === '2.2.1' ? await validated221(parsed, now) : validateCdr(buildCdr(parsed, now));
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
async function validated221(input: SessionEnded, now: Date) {
  const [{ buildCdr221WithPricing }, { validateCdr221 }] = await Promise.all([
    import('../cdr/build/build-cdr-221'),
    import('../cdr/validate/validate-cdr-221'),
  ]);
  return validateCdr221(buildCdr221WithPricing(input, now));
}
