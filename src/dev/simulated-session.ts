/**
 * Realistic ended sessions for the demo and the tests: an AC charge at a Paris car park,
 * with a charging period and an idle (parking) period, priced per kWh plus per hour parked.
 */
import type { Party } from '../ocpi/party';
import type { SessionEndedInput } from '../cdr/session/session-ended';
import { toOcpiDateTime } from '../ocpi/primitives';

export interface SimulatedSessionOptions {
  party: Party;
  sessionId: string;
  /** Session start; the session lasts 1 h 30: 1 h charging, 30 min parked. */
  start: Date;
  kwh?: number;
}

const MINUTE = 60_000;

export function simulatedSessionEnded(options: SimulatedSessionOptions): SessionEndedInput {
  const { party, sessionId, start } = options;
  const kwh = options.kwh ?? 11.5;
  const at = (minutes: number) => toOcpiDateTime(new Date(start.getTime() + minutes * MINUTE));
  const operator = `${party.country_code}*${party.party_id}`;
  const lastUpdated = at(90);
  return {
    party,
    authorization_id: `auth-${sessionId}`.slice(0, 36),
    // What OCPI 2.2.1 needs beyond the 2.1.1 session: the token (its eMSP, FR*GIR, owns the contract) and the VAT rate.
    cdr_token: { country_code: 'FR', party_id: 'GIR', uid: '04A1B2C3D4E5F6', type: 'RFID', contract_id: 'FR-GIR-C12345678' },
    vat_percentage: 20,
    session: {
      id: sessionId,
      start_datetime: at(0),
      end_datetime: at(90),
      kwh,
      auth_id: 'FR-GIR-C12345678',
      auth_method: 'AUTH_REQUEST',
      location: {
        id: 'LOC-PARIS-0001',
        type: 'PARKING_GARAGE',
        name: 'Parking Gare de Lyon',
        address: '20 Boulevard Diderot',
        city: 'Paris',
        postal_code: '75012',
        country: 'FRA',
        coordinates: { latitude: '48.844020', longitude: '2.374350' },
        evses: [
          {
            uid: 'EVSE-0001',
            evse_id: `${operator}*E0001`,
            status: 'AVAILABLE',
            capabilities: ['REMOTE_START_STOP_CAPABLE', 'RFID_READER'],
            connectors: [
              {
                id: '1',
                standard: 'IEC_62196_T2',
                format: 'SOCKET',
                power_type: 'AC_3_PHASE',
                voltage: 400,
                amperage: 32,
                tariff_id: 'AC-STANDARD',
                last_updated: '2026-01-15T08:00:00Z',
              },
            ],
            last_updated: '2026-01-15T08:00:00Z',
          },
        ],
        time_zone: 'Europe/Paris',
        last_updated: '2026-01-15T08:00:00Z',
      },
      meter_id: 'METER-7781',
      currency: 'EUR',
      charging_periods: [
        {
          start_date_time: at(0),
          dimensions: [
            { type: 'ENERGY', volume: kwh },
            { type: 'TIME', volume: 1 },
          ],
        },
        { start_date_time: at(60), dimensions: [{ type: 'PARKING_TIME', volume: 0.5 }] },
      ],
      total_cost: Math.round((kwh * 0.3 + 0.5 * 2) * 10_000) / 10_000,
      status: 'COMPLETED',
      last_updated: lastUpdated,
    },
    tariffs: [
      {
        id: 'AC-STANDARD',
        currency: 'EUR',
        elements: [
          { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] },
          { price_components: [{ type: 'PARKING_TIME', price: 2, step_size: 300 }] },
        ],
        last_updated: '2026-01-15T08:00:00Z',
      },
    ],
  };
}
