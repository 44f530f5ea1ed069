/**
 * Runs every folder of test/vectors through the builder and the validator. Each folder
 * holds a realistic `session-ended.json`, the `expected-cdr.json` it must give (totals
 * worked out by hand in test/vectors/README.md) and, for a CDR that must not be sent,
 * the `expected-errors.json` validation must report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { validateCdr } from '../../../src/cdr/validate/validate-cdr';

const VECTORS = join(__dirname, '..', '..', 'vectors');
/** The `now` every expected CDR was written with (its last_updated). */
const NOW = new Date('2030-01-01T00:00:00Z');

const readJson = (folder: string, file: string): unknown => JSON.parse(readFileSync(join(VECTORS, folder, file), 'utf8'));
const folders = readdirSync(VECTORS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

it('has vectors to run', () => {
  expect(folders.length).toBeGreaterThanOrEqual(10);
});

describe.each(folders)('vector %s', (folder) => {
  const cdr = () => buildCdr(parseSessionEnded(readJson(folder, 'session-ended.json'), NOW), NOW);

  it('builds the expected CDR', () => {
    expect(cdr()).toEqual(readJson(folder, 'expected-cdr.json'));
  });

  const expectedErrors = existsSync(join(VECTORS, folder, 'expected-errors.json'));
  it(expectedErrors ? 'is refused with the expected reasons' : 'passes validation', () => {
    const validation = validateCdr(cdr());
    if (expectedErrors) expect(validation).toEqual({ valid: false, errors: readJson(folder, 'expected-errors.json') });
    else expect(validation).toEqual({ valid: true, cdr: cdr() });
  });
});
