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
