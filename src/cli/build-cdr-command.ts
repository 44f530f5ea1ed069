import { readFile } from 'node:fs/promises';
import { buildCdr } from '../cdr/build-cdr';
import { InvalidSessionEndedError, parseSessionEnded } from '../cdr/session-ended';
import { validateCdr } from '../cdr/validate-cdr';

/**
 * `cdrflow build-cdr FILE.json`: a dry run for CPO engineers. Prints the CDR that would be
 * sent (exit 0) or the validation errors, one per line (exit 1). No Temporal, database or network.
 */
export async function runBuildCdrCommand(file: string): Promise<number> {
  const input = JSON.parse(await readFile(file, 'utf8')) as unknown;
  let errors: string[];
  try {
    const validation = validateCdr(buildCdr(parseSessionEnded(input), new Date()));
    if (validation.valid) {
      process.stdout.write(`${JSON.stringify(validation.cdr, null, 2)}\n`);
      return 0;
    }
    errors = validation.errors;
  } catch (error) {
    if (!(error instanceof InvalidSessionEndedError)) throw error;
    errors = error.problems.map((problem) => `session-ended ${problem}`);
  }
  process.stderr.write(`${errors.join('\n')}\n`);
  return 1;
}
