/**
 * The most power a connector can deliver, from its OCPI 2.1.1 rating (mod_locations.md
 * 3.3): `voltage` x `amperage`, times 3 for AC_3_PHASE, whose voltage is line to neutral.
 */
import type { PowerType } from '../../ocpi/enums';
import type { Connector } from '../../ocpi/v211/location';

const PHASES: Record<PowerType, bigint> = { AC_1_PHASE: 1n, AC_3_PHASE: 3n, DC: 1n };

/** Watts, exact: voltage and amperage are integers (any size the schema lets through). */
export function maxPowerWatts(connector: Pick<Connector, 'power_type' | 'voltage' | 'amperage'>): bigint {
  return BigInt(connector.voltage) * BigInt(connector.amperage) * PHASES[connector.power_type];
}
