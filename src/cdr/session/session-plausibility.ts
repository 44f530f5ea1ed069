/**
 * Whether an ended session is one a charger could have produced: its dates within the
 * bounds of session-bounds.ts, and its energy within what the connector can deliver in
 * the time it charged, outside out-of-order time (no energy flows while the EVSE is out
 * of order). Checked at the edge with the hand-in's `now`, and again by the builder with
 * its own `now`, before any pricing: input handed in before these rules (a workflow's
 * history) or never parsed gets the same answer.
 */
import { maxPowerWatts } from './connector-power';
import { fromE4, msToHoursE4, toE4 } from '../decimal';
import type { InputProblem } from '../input-problem';
import { clipAndMerge, totalLength, type Interval } from '../intervals';
import { clockRuleBroken, durationRuleBroken, startRuleBroken } from './session-bounds';
import type { SessionEnded } from './session-ended';
import { sessionPeriodSpans } from './session-period-spans';

/**
 * EN 50160 lets the mains voltage run 10 % above nominal, so a connector may deliver up
 * to 10 % more than its rating; beyond that the meter or the rating is wrong.
 */
const POWER_TOLERANCE_PERCENT = 10n;
/** 0.01 kWh: a meter's resolution, which matters on short periods (the validator's energy tolerance too). */
const ENERGY_TOLERANCE_E4 = 100n;
/** W x ms in 1e-4 kWh: 1 kWh = 3.6e9 W·ms. */
const WATT_MS_PER_KWH_E4 = 360_000n;

export function implausibleSessionProblems(input: SessionEnded, now: Date): InputProblem[] {
  const { session } = input;
  if (session.end_datetime === undefined) return []; // the schema refuses it already
  const start = Date.parse(session.start_datetime);
  const stop = Date.parse(session.end_datetime);
  const problems: InputProblem[] = [];
  const startRule = startRuleBroken(start);
  if (startRule) problems.push({ path: ['session', 'start_datetime'], message: startRule });
  for (const rule of [durationRuleBroken(start, stop), clockRuleBroken(stop, { name: 'now', at: now })]) {
    if (rule) problems.push({ path: ['session', 'end_datetime'], message: rule });
  }
  problems.push(...energyProblems(input, { start, end: stop }));
  return problems;
}

interface ChargingTime {
  /** The part of the period (or session) that charged, ms. */
  chargingMs: number;
  /** Of that, the time the EVSE worked, ms. */
  workingMs: number;
}

function energyProblems(input: SessionEnded, span: Interval): InputProblem[] {
  const { session } = input;
  const watts = maxPowerWatts(session.location.evses[0].connectors[0]);
  const outOfOrder = clipAndMerge(
    (input.out_of_order ?? []).map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) })),
    span,
  );
  const periods = sessionPeriodSpans(session, span.end).map((period) => {
    const charging = { start: period.start, end: period.chargingEnd };
    const chargingMs = charging.end - charging.start;
    return { energyE4: period.energyE4, chargingMs, workingMs: chargingMs - totalLength(clipAndMerge(outOfOrder, charging)) };
  });
  const whole: ChargingTime = {
    chargingMs: periods.reduce((sum, period) => sum + period.chargingMs, 0),
    workingMs: periods.reduce((sum, period) => sum + period.workingMs, 0),
  };
  const problems: InputProblem[] = [];
  const sessionRule = energyRuleBroken(toE4(session.kwh), whole, watts, 'session');
  if (sessionRule) problems.push({ path: ['session', 'kwh'], message: `${session.kwh} kWh ${sessionRule}` });
  // Without reported periods the only period is made up from kwh: nothing more to say.
  if (session.charging_periods?.length) {
    periods.forEach((period, index) => {
      const rule = energyRuleBroken(period.energyE4, period, watts, 'period');
      if (rule) {
        problems.push({
          path: ['session', 'charging_periods', index, 'dimensions'],
          message: `ENERGY ${fromE4(period.energyE4)} kWh ${rule}`,
        });
      }
    });
  }
  return problems;
}

function energyRuleBroken(energyE4: bigint, time: ChargingTime, watts: bigint, whose: 'session' | 'period'): string | undefined {
  if (energyE4 === 0n) return undefined;
  if (time.chargingMs === 0) {
    return whose === 'period'
      ? 'in a period that did not charge (its TIME is 0, or PARKING_TIME covers it)'
      : 'in a session that did not charge (no period has charging time)';
  }
  if (time.workingMs === 0) return 'metered while the EVSE was out of order all the time it charged: no energy flows then';
  const mostE4 = (watts * BigInt(time.workingMs) * (100n + POWER_TOLERANCE_PERCENT)) / (100n * WATT_MS_PER_KWH_E4) + ENERGY_TOLERANCE_E4;
  if (energyE4 <= mostE4) return undefined;
  const hours = fromE4(msToHoursE4(time.workingMs));
  const kilowatts = fromE4(watts * 10n);
  return (
    `is more than the connector can deliver in the ${whose}'s ${hours} h of charging ` +
    `(${kilowatts} kW, +${POWER_TOLERANCE_PERCENT} %: at most ${fromE4(mostE4)} kWh)`
  );
}
