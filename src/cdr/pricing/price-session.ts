/**
 * total_cost (excluding VAT) of a session under one OCPI 2.1.1 tariff. Pure and exact.
 *
 * - Per slice and per dimension, the first element (in tariff order) whose restrictions
 *   match and that has a price component of that dimension prices it (mod_tariffs.md 3.1).
 *   An element without that dimension does not stop the search; no match means free.
 * - Charging slices price ENERGY and TIME, parking slices PARKING_TIME; out-of-order
 *   periods are never sliced, hence free.
 * - FLAT is charged once: by the first element with a FLAT component active in the
 *   earliest slice where one is active.
 * - step_size (2.1.1 4.2, as OCPI 2.2.1 mod_cdrs "step_size" makes precise): applied once
 *   per session to ENERGY, and once to time, on the dimension (TIME or PARKING_TIME) of
 *   the last time-based slice that had a price. The session total of that dimension is
 *   rounded up to a multiple of the step_size of the component that priced its last
 *   slice, and the extra is billed at that component's price. Earlier dimensions and
 *   element switches are not rounded (21 min charging + 7 min parking, steps of 5 min:
 *   21 min of TIME, 10 min of PARKING_TIME).
 */
import type { TariffDimensionType } from '../../ocpi/enums';
import type { PriceComponent, Tariff } from '../../ocpi/v211/tariff';
import { divideRounded, divideUp, fromE4, msToHoursE4, toE4 } from '../decimal';
import type { PricedPeriod } from './priced-period';
import { sliceForPricing, type PriceSlice, type SliceOptions } from './price-slices';
import { restrictionsMatch, type RestrictionContext } from './tariff-restrictions';

export interface PriceLine {
  type: TariffDimensionType;
  /** Index in `tariff.elements` of the element that priced this line. */
  element: number;
  price: number;
  /** kWh for ENERGY, hours for TIME and PARKING_TIME, 1 for FLAT; includes `rounded_up`. */
  quantity: number;
  /** What step_size added to the quantity. */
  rounded_up: number;
  /** Rounded to 4 decimals for reading; the total is summed exactly before rounding. */
  cost: number;
}

/** Plain JSON (no BigInt), so it can be logged or returned from an activity. */
export interface SessionPrice {
  total: number;
  lines: PriceLine[];
}

// Costs are summed as integers of 1e-4 currency / COST_SCALE: the least common multiple
// of what 1e-4 kWh (/1e4) and 1 ms (/3.6e6 per hour) need, so no division happens early.
const COST_SCALE = 36_000_000_000n;
const UNIT_COST_SCALE: Record<TariffDimensionType, bigint> = {
  ENERGY: 3_600_000n, // per 1e-4 kWh
  TIME: 10_000n, // per ms
  PARKING_TIME: 10_000n,
  FLAT: COST_SCALE, // per fee
};
// step_size multipliers (mod_tariffs.md 4.4) in our units: 1 Wh = 10 x 1e-4 kWh, 1 s = 1000 ms.
const STEP_UNITS: Record<TariffDimensionType, bigint> = { ENERGY: 10n, TIME: 1000n, PARKING_TIME: 1000n, FLAT: 0n };

interface Active {
  element: number;
  component: PriceComponent;
}

interface LineTotal extends Active {
  type: TariffDimensionType;
  quantity: bigint;
  roundedUp: bigint;
}

export function priceSession(periods: readonly PricedPeriod[], options: SliceOptions): SessionPrice {
  const { tariff } = options;
  const lines = new Map<string, LineTotal>();
  const add = (type: TariffDimensionType, active: Active, quantity: bigint) => {
    const key = `${type}/${active.element}`;
    const line = lines.get(key) ?? { ...active, type, quantity: 0n, roundedUp: 0n };
    line.quantity += quantity;
    lines.set(key, line);
    return line;
  };

  const slices = sliceForPricing(periods, options);
  const lastOf = new Map<'energy' | 'time', { line: LineTotal; type: TariffDimensionType }>();
  const billed: Record<TariffDimensionType, bigint> = { ENERGY: 0n, TIME: 0n, PARKING_TIME: 0n, FLAT: 0n };
  for (const slice of slices) {
    for (const [type, quantity] of quantitiesOf(slice)) {
      const active = activeComponent(tariff, type, slice.context);
      if (!active) continue;
      billed[type] += quantity;
      lastOf.set(type === 'ENERGY' ? 'energy' : 'time', { line: add(type, active, quantity), type });
    }
  }
  for (const last of lastOf.values()) {
    const step = BigInt(last.line.component.step_size) * STEP_UNITS[last.type];
    if (step === 0n) continue;
    const extra = divideUp(billed[last.type], step) * step - billed[last.type];
    last.line.quantity += extra;
    last.line.roundedUp += extra;
  }
  const flat = firstActive(slices, tariff, 'FLAT');
  if (flat) add('FLAT', flat, 1n);

  const costs = [...lines.values()].map((line) => ({ line, cost: costOf(line) }));
  const totalE4 = divideRounded(
    costs.reduce((sum, { cost }) => sum + cost, 0n),
    COST_SCALE,
  );
  return {
    total: fromE4(totalE4),
    lines: costs.map(({ line, cost }) => ({
      type: line.type,
      element: line.element,
      price: line.component.price,
      quantity: displayQuantity(line.type, line.quantity),
      rounded_up: displayQuantity(line.type, line.roundedUp),
      cost: fromE4(divideRounded(cost, COST_SCALE)),
    })),
  };
}

function quantitiesOf(slice: PriceSlice): Array<[TariffDimensionType, bigint]> {
  const ms = BigInt(slice.end - slice.start);
  if (slice.kind === 'parking') return [['PARKING_TIME', ms]];
  return [
    ['ENERGY', slice.energyE4],
    ['TIME', ms],
  ];
}

/** The first element, in tariff order, that is active and prices `type`. */
function activeComponent(tariff: Tariff, type: TariffDimensionType, context: RestrictionContext): Active | undefined {
  for (const [element, { price_components, restrictions }] of tariff.elements.entries()) {
    const component = price_components.find((candidate) => candidate.type === type);
    if (component && restrictionsMatch(restrictions, context)) return { element, component };
  }
  return undefined;
}

function firstActive(slices: readonly PriceSlice[], tariff: Tariff, type: TariffDimensionType): Active | undefined {
  for (const slice of slices) {
    const active = activeComponent(tariff, type, slice.context);
    if (active) return active;
  }
  return undefined;
}

function costOf(line: LineTotal): bigint {
  return toE4(line.component.price) * line.quantity * UNIT_COST_SCALE[line.type];
}

function displayQuantity(type: TariffDimensionType, quantity: bigint): number {
  if (type === 'TIME' || type === 'PARKING_TIME') return fromE4(msToHoursE4(Number(quantity)));
  return type === 'ENERGY' ? fromE4(quantity) : Number(quantity);
}
