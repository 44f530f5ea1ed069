/**
 * Which of the given tariffs priced the session: the one the connector names in
 * `tariff_id` (OCPI's link from Connector to Tariff, mandatory at GIREVE), or the only
 * one when the connector names none. Anything else is ambiguous, and a CDR priced with
 * a guessed tariff is a wrong invoice line, so the answer is an explanation instead.
 */
import type { Tariff } from '../../ocpi/v211/tariff';

export type TariffChoice = { found: true; tariff: Tariff; index: number } | { found: false; error: string };

const TARIFF_ID_PATH = 'location.evses[0].connectors[0].tariff_id';

export function selectTariff(tariffs: readonly Tariff[], connectorTariffId: string | undefined): TariffChoice {
  if (connectorTariffId !== undefined) {
    const index = tariffs.findIndex((tariff) => tariff.id === connectorTariffId);
    const tariff = tariffs[index];
    if (tariff) return { found: true, tariff, index };
    const known = tariffs.map((candidate) => JSON.stringify(candidate.id)).join(', ');
    return {
      found: false,
      error: `${TARIFF_ID_PATH}: names tariff ${JSON.stringify(connectorTariffId)}, which is not among the tariffs given (${known})`,
    };
  }
  const [only] = tariffs;
  if (only && tariffs.length === 1) return { found: true, tariff: only, index: 0 };
  return {
    found: false,
    error: `${TARIFF_ID_PATH}: is required to tell which of the ${tariffs.length} tariffs priced the session`,
  };
}
