/**
 * Runs every OCPI 2.2.1 variant in test/vectors (a folder's `session-ended-221.json`)
 * through the 2.2.1 builder: the CDR must be the hand-computed `expected-cdr-221.json`,
 * valid OCPI 2.2.1, and the same session as the folder's 2.1.1 CDR.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCdr } from '../../../src/cdr/build/build-cdr';
import { buildCdr221, buildCdr221WithPricing } from '../../../src/cdr/build/build-cdr-221';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import { validateCdr221 } from '../../../src/cdr/validate/validate-cdr-221';
import { cdr221Schema } from '../../../src/ocpi/v221/cdr';

const VECTORS = join(__dirname, '..', '..', 'vectors');
/** The `now` every expected CDR was written with (its last_updated). */
const NOW = new Date('2030-01-01T00:00:00Z');

const readJson = (folder: string, file: string): unknown => JSON.parse(readFileSync(join(VECTORS, folder, file), 'utf8'));
const folders = readdirSync(VECTORS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(VECTORS, entry.name, 'session-ended-221.json')))
  .map((entry) => entry.name)
  .sort();

it('has 2.2.1 variants to run', () => {
  expect(folders.length).toBeGreaterThanOrEqual(4);
});

describe.each(folders)('2.2.1 variant of %s', (folder) => {
  const input = () => parseSessionEnded(readJson(folder, 'session-ended-221.json'), NOW);

  it('builds the expected OCPI 2.2.1 CDR, keys in the order of the spec', () => {
    const expected = readJson(folder, 'expected-cdr-221.json');
    const cdr = buildCdr221(input(), NOW);
    expect(cdr).toEqual(expected);
    expect(JSON.stringify(cdr)).toBe(JSON.stringify(expected));
  });

  it('is valid OCPI 2.2.1, unchanged by parsing', () => {
    const cdr = buildCdr221(input(), NOW);
    expect(cdr221Schema.parse(cdr)).toEqual(cdr);
    expect(validateCdr221(buildCdr221WithPricing(input(), NOW))).toEqual({ valid: true, cdr });
  });

  it('leaves the 2.1.1 CDR of the session as it was', () => {
    expect(buildCdr(input(), NOW)).toEqual(readJson(folder, 'expected-cdr.json'));
  });

  it("carries the 2.1.1 CDR's id, times and totals", () => {
    const v211 = buildCdr(input(), NOW);
    const v221 = buildCdr221(input(), NOW);
    expect({
      id: v221.id,
      start: v221.start_date_time,
      end: v221.end_date_time,
      cost: v221.total_cost.excl_vat,
      energy: v221.total_energy,
      time: v221.total_time,
      parking: v221.total_parking_time,
      periods: v221.charging_periods.map((period) => period.start_date_time),
    }).toEqual({
      id: v211.id,
      start: v211.start_date_time,
      end: v211.stop_date_time,
      cost: v211.total_cost,
      energy: v211.total_energy,
      time: v211.total_time,
      parking: v211.total_parking_time,
      periods: v211.charging_periods.map((period) => period.start_date_time),
    });
  });
});
