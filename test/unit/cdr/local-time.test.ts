import fc from 'fast-check';
import { localBoundaries, localTimeAt, utcOffsetMs } from '../../../src/cdr/local-time';

const iso = (instants: number[]) => instants.map((instant) => new Date(instant).toISOString());
const HOUR = 3_600_000;

describe('local time at a Location', () => {
  it('reads the Paris wall clock, weekday and date', () => {
    expect(localTimeAt('Europe/Paris', Date.parse('2025-01-15T23:30:00Z'))).toEqual({
      date: '2025-01-16',
      weekday: 'THURSDAY',
      msOfDay: 30 * 60_000,
    });
  });

  it('knows summer time from winter time', () => {
    expect(utcOffsetMs('Europe/Paris', Date.parse('2025-07-01T12:00:00Z'))).toBe(2 * HOUR);
    expect(utcOffsetMs('Europe/Paris', Date.parse('2025-01-01T12:00:00Z'))).toBe(HOUR);
  });

  it('keeps milliseconds', () => {
    expect(localTimeAt('UTC', Date.parse('2025-01-15T10:00:00.250Z')).msOfDay).toBe(10 * HOUR + 250);
  });
});

describe('local boundaries', () => {
  it('finds 02:30 twice and the jump on the October fall-back day', () => {
    const boundaries = localBoundaries('Europe/Paris', Date.parse('2025-10-25T21:00:00Z'), Date.parse('2025-10-26T03:00:00Z'), [150]);
    expect(iso(boundaries)).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T01:30:00.000Z']);
  });

  it('finds only the jump for 02:30 on the March spring-forward day, when 02:30 never happens', () => {
    const boundaries = localBoundaries('Europe/Paris', Date.parse('2025-03-29T21:00:00Z'), Date.parse('2025-03-30T03:00:00Z'), [150]);
    expect(iso(boundaries)).toEqual(['2025-03-30T01:00:00.000Z']);
  });

  it('places 06:00 an hour later in UTC after the fall-back (and marks the jump itself)', () => {
    const boundaries = localBoundaries('Europe/Paris', Date.parse('2025-10-25T02:00:00Z'), Date.parse('2025-10-27T00:00:00Z'), [360]);
    expect(iso(boundaries)).toEqual(['2025-10-25T04:00:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T05:00:00.000Z']);
  });

  it('gives every local midnight of a multi-day span, and nothing at the span ends', () => {
    const from = Date.parse('2025-01-14T23:00:00Z'); // midnight in Paris: excluded
    const boundaries = localBoundaries('Europe/Paris', from, from + 3 * 24 * HOUR, [0]);
    expect(iso(boundaries)).toEqual(['2025-01-15T23:00:00.000Z', '2025-01-16T23:00:00.000Z']);
  });
});

describe('local boundaries, against a minute-by-minute walk of the wall clock', () => {
  const MINUTE = 60_000;
  // Instants near DST changes (from 2025's rules), where probing once a day must still find every jump.
  const nearChanges = fc.constantFrom(
    ['Europe/Paris', '2025-03-30T01:00:00Z'],
    ['Europe/Paris', '2025-10-26T01:00:00Z'],
    ['America/New_York', '2025-03-09T07:00:00Z'],
    ['America/New_York', '2025-11-02T06:00:00Z'],
    ['Australia/Lord_Howe', '2025-04-05T15:00:00Z'],
    ['Australia/Lord_Howe', '2025-10-04T15:30:00Z'],
    ['Asia/Kolkata', '2025-03-30T01:00:00Z'],
  );

  /** Every whole minute in (from, to) where the wall clock shows one of `minutes`, or the offset just changed. */
  function walk(zone: string, from: number, to: number, minutes: readonly number[]): number[] {
    const found: number[] = [];
    for (let at = from + MINUTE; at < to; at += MINUTE) {
      const shown = localTimeAt(zone, at).msOfDay / MINUTE;
      if (minutes.includes(shown) || utcOffsetMs(zone, at) !== utcOffsetMs(zone, at - MINUTE)) found.push(at);
    }
    return found;
  }

  it('finds exactly the instants the walk finds, across DST changes', () => {
    fc.assert(
      fc.property(
        nearChanges,
        fc.integer({ min: 0, max: 36 * 60 }),
        fc.integer({ min: 1, max: 48 * 60 }),
        fc.subarray([0, 90, 120, 150, 180, 360, 1320, 1439], { minLength: 1 }),
        ([zone, change], minutesBefore, lengthMinutes, minutes) => {
          const from = Date.parse(change!) - minutesBefore * MINUTE;
          const to = from + lengthMinutes * MINUTE;
          expect(iso(localBoundaries(zone!, from, to, minutes))).toEqual(iso(walk(zone!, from, to, minutes)));
        },
      ),
      { numRuns: 25 },
    );
  });
});
