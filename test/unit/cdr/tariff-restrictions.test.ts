import { restrictionsMatch, type RestrictionContext } from '../../../src/cdr/pricing/tariff-restrictions';
import type { DayOfWeek } from '../../../src/ocpi/enums';
import type { TariffRestrictions } from '../../../src/ocpi/v211/tariff';

/** A context at local `HH:MM` on a Wednesday, 5 kWh into a 10 kW session running for 1 h. */
function at(time: string, overrides: Partial<RestrictionContext> & { date?: string; weekday?: DayOfWeek } = {}): RestrictionContext {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return {
    local: { date: overrides.date ?? '2025-01-15', weekday: overrides.weekday ?? 'WEDNESDAY', msOfDay: (hours * 60 + minutes) * 60_000 },
    energyBeforeE4: overrides.energyBeforeE4 ?? 50_000n,
    power: overrides.power ?? { energyE4: 100_000n, ms: 3_600_000 },
    elapsedMs: overrides.elapsedMs ?? 3_600_000,
  };
}
const matches = (r: TariffRestrictions, context: RestrictionContext) => restrictionsMatch(r, context);

describe('time of day', () => {
  it('includes start_time and excludes end_time', () => {
    const day = { start_time: '08:00', end_time: '20:00' };
    expect([matches(day, at('07:59')), matches(day, at('08:00')), matches(day, at('19:59')), matches(day, at('20:00'))]).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('wraps past midnight when end_time is before start_time', () => {
    const night = { start_time: '22:00', end_time: '06:00' };
    expect(['21:59', '22:00', '23:59', '00:00', '05:59', '06:00'].map((time) => matches(night, at(time)))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('reads end_time 00:00 as the end of the day', () => {
    expect(matches({ start_time: '20:00', end_time: '00:00' }, at('23:59'))).toBe(true);
    expect(matches({ start_time: '20:00', end_time: '00:00' }, at('00:00'))).toBe(false);
  });

  it('reads start_time equal to end_time as the whole day', () => {
    expect(matches({ start_time: '00:00', end_time: '00:00' }, at('13:00'))).toBe(true);
  });

  it('opens at start_time until midnight when end_time is absent', () => {
    expect(matches({ start_time: '18:00' }, at('17:59'))).toBe(false);
    expect(matches({ start_time: '18:00' }, at('23:59'))).toBe(true);
  });

  it('never matches a local-time restriction without a local time', () => {
    expect(matches({ start_time: '00:00' }, { ...at('10:00'), local: undefined })).toBe(false);
    expect(matches({ day_of_week: ['MONDAY'] }, { ...at('10:00'), local: undefined })).toBe(false);
  });
});

describe('dates and days', () => {
  it('includes start_date and excludes end_date', () => {
    const december = { start_date: '2025-12-24', end_date: '2025-12-27' };
    expect(['2025-12-23', '2025-12-24', '2025-12-26', '2025-12-27'].map((date) => matches(december, at('12:00', { date })))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('checks the local weekday of the instant, also inside a window that began the day before', () => {
    const fridayNight = { start_time: '22:00', end_time: '06:00', day_of_week: ['FRIDAY'] as DayOfWeek[] };
    expect(matches(fridayNight, at('23:00', { weekday: 'FRIDAY' }))).toBe(true);
    expect(matches(fridayNight, at('02:00', { weekday: 'SATURDAY' }))).toBe(false);
  });

  it('treats an empty day_of_week list as every day', () => {
    expect(matches({ day_of_week: [] }, at('12:00'))).toBe(true);
  });
});

describe('energy, power and duration', () => {
  it('includes min_kwh and excludes max_kwh, on the energy delivered before the instant', () => {
    expect(matches({ min_kwh: 5 }, at('12:00', { energyBeforeE4: 50_000n }))).toBe(true);
    expect(matches({ min_kwh: 5 }, at('12:00', { energyBeforeE4: 49_999n }))).toBe(false);
    expect(matches({ max_kwh: 5 }, at('12:00', { energyBeforeE4: 50_000n }))).toBe(false);
  });

  it('includes min_power and excludes max_power, on the average power of the period', () => {
    const tenKw = { energyE4: 100_000n, ms: 3_600_000 };
    expect(matches({ min_power: 10 }, at('12:00', { power: tenKw }))).toBe(true);
    expect(matches({ max_power: 10 }, at('12:00', { power: tenKw }))).toBe(false);
    expect(matches({ max_power: 10.0001 }, at('12:00', { power: tenKw }))).toBe(true);
  });

  it('sees a parked period as 0 kW', () => {
    expect(matches({ max_power: 1 }, at('12:00', { power: { energyE4: 0n, ms: 60_000 } }))).toBe(true);
    expect(matches({ min_power: 1 }, at('12:00', { power: { energyE4: 0n, ms: 60_000 } }))).toBe(false);
  });

  it('includes min_duration and excludes max_duration, in seconds since the session started', () => {
    expect(matches({ min_duration: 3600 }, at('12:00', { elapsedMs: 3_600_000 }))).toBe(true);
    expect(matches({ min_duration: 3600 }, at('12:00', { elapsedMs: 3_599_999 }))).toBe(false);
    expect(matches({ max_duration: 3600 }, at('12:00', { elapsedMs: 3_600_000 }))).toBe(false);
  });

  it('requires every restriction set (logical AND)', () => {
    const r = { start_time: '08:00', end_time: '20:00', min_kwh: 10 };
    expect(matches(r, at('12:00', { energyBeforeE4: 50_000n }))).toBe(false);
    expect(matches(r, at('12:00', { energyBeforeE4: 100_000n }))).toBe(true);
  });
});
