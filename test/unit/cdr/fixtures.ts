/**
 * Small builders for the CDR tests: a Paris location, tariffs, sessions whose periods are
 * given as local Paris wall-clock times ("2025-01-15 21:30"), and priced periods.
 */
import { type SessionEnded, type SessionEndedInput } from '../../../src/cdr/session/session-ended';
import { parseSessionEnded } from '../../../src/cdr/session/parse-session-ended';
import type { PeriodKind, PricedPeriod } from '../../../src/cdr/pricing/priced-period';
import type { PriceComponent, Tariff, TariffElement, TariffRestrictions } from '../../../src/ocpi/v211/tariff';
import type { UsedLocation } from '../../../src/ocpi/v211/used-location';

export const PARTY = { country_code: 'FR', party_id: 'AB1' } as const;
export const NOW = new Date('2030-01-01T00:00:00Z');

/** A UTC instant from a Paris wall-clock time, for winter dates (UTC+1) unless `offsetHours` says otherwise. */
export function paris(local: string, offsetHours = 1): string {
  const ms = Date.parse(`${local.replace(' ', 'T')}:00Z`) - offsetHours * 3_600_000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `tariffId` null: the connector names no tariff. */
export function location(overrides: Partial<UsedLocation> = {}, tariffId: string | null = 'T1'): UsedLocation {
  return {
    id: 'LOC-1',
    type: 'ON_STREET',
    address: '1 rue de Rivoli',
    city: 'Paris',
    postal_code: '75001',
    country: 'FRA',
    coordinates: { latitude: '48.856600', longitude: '2.352200' },
    evses: [
      {
        uid: 'EVSE-1',
        evse_id: 'FR*AB1*E0001',
        status: 'AVAILABLE',
        connectors: [
          {
            id: '1',
            standard: 'IEC_62196_T2',
            format: 'SOCKET',
            power_type: 'AC_3_PHASE',
            voltage: 230,
            amperage: 32,
            ...(tariffId === null ? {} : { tariff_id: tariffId }),
            last_updated: '2025-01-01T00:00:00Z',
          },
        ],
        last_updated: '2025-01-01T00:00:00Z',
      },
    ],
    time_zone: 'Europe/Paris',
    last_updated: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export function component(type: PriceComponent['type'], price: number, step_size = 1): PriceComponent {
  return { type, price, step_size };
}

export function element(components: PriceComponent[], restrictions?: TariffRestrictions): TariffElement {
  return restrictions ? { price_components: components, restrictions } : { price_components: components };
}

export function tariff(elements: TariffElement[], id = 'T1'): Tariff {
  return { id, currency: 'EUR', elements, last_updated: '2025-01-01T00:00:00Z' };
}

export interface PeriodSpec {
  /** UTC DateTime the period starts. */
  at: string;
  /** kWh delivered; absent or 0 means parked. */
  kwh?: number;
}

export interface SessionSpec {
  start: string;
  stop: string;
  periods?: PeriodSpec[];
  tariffs?: Tariff[];
  total_cost?: number;
  out_of_order?: Array<{ start: string; end: string }>;
  location?: UsedLocation;
  id?: string;
}

/** A parsed SessionEnded (as of NOW): kwh is the sum of the periods' energy. */
export function sessionEnded(spec: SessionSpec): SessionEnded {
  return parseSessionEnded(sessionEndedInput(spec), NOW);
}

export function sessionEndedInput(spec: SessionSpec): SessionEndedInput {
  const periods = spec.periods ?? [{ at: spec.start, kwh: 10 }];
  const kwh = periods.reduce((sum, period) => sum + Math.round((period.kwh ?? 0) * 10_000), 0) / 10_000;
  return {
    party: { ...PARTY },
    session: {
      id: spec.id ?? 'S-1',
      start_datetime: spec.start,
      end_datetime: spec.stop,
      kwh,
      auth_id: 'FR-GIR-C0000001',
      auth_method: 'AUTH_REQUEST',
      location: spec.location ?? location(),
      currency: 'EUR',
      charging_periods: periods.map((period) => ({
        start_date_time: period.at,
        dimensions: [{ type: 'ENERGY', volume: period.kwh ?? 0 }],
      })),
      ...(spec.total_cost === undefined ? {} : { total_cost: spec.total_cost }),
      status: 'COMPLETED',
      last_updated: spec.stop,
    },
    tariffs: spec.tariffs ?? [],
    ...(spec.out_of_order ? { out_of_order: spec.out_of_order } : {}),
  };
}

/** A priced period from UTC DateTimes. */
export function pricedPeriod(start: string, end: string, kind: PeriodKind, kwh = 0): PricedPeriod {
  return { start: Date.parse(start), end: Date.parse(end), energyE4: BigInt(Math.round(kwh * 10_000)), kind };
}
