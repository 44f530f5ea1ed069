/**
 * Rules on the time volumes a backend reports in its session's charging periods. They
 * decide how a period divides into charging and parking (session-period-spans.ts), so
 * they must fit in the period: more time than the period lasted is a backend error that
 * no placement could bill right.
 */
import type { Session } from '../../ocpi/v211/session';
import { fromE4, msToHoursE4 } from '../decimal';
import type { InputProblem } from '../input-problem';
import { volumeE4 } from '../pricing/priced-period';
import { HOUR_VOLUME_RESOLUTION_MS } from './session-period-spans';

export function periodTimeProblems(session: Session): InputProblem[] {
  const periods = session.charging_periods ?? [];
  const stop = session.end_datetime === undefined ? undefined : Date.parse(session.end_datetime);
  const problems: InputProblem[] = [];
  periods.forEach((period, index) => {
    const next = periods[index + 1];
    const end = next ? Date.parse(next.start_date_time) : stop;
    if (end === undefined) return;
    const lengthMs = Math.max(0, end - Date.parse(period.start_date_time));
    const reportedE4 = volumeE4(period, 'TIME') + volumeE4(period, 'PARKING_TIME');
    // Each volume is rounded to 1e-4 h on its own, so their sum may exceed the length by one unit.
    if (Number(reportedE4) * HOUR_VOLUME_RESOLUTION_MS > lengthMs + HOUR_VOLUME_RESOLUTION_MS) {
      problems.push({
        path: ['session', 'charging_periods', index, 'dimensions'],
        message: `TIME and PARKING_TIME add up to ${fromE4(reportedE4)} h, more than the period's ${fromE4(msToHoursE4(lengthMs))} h`,
      });
    }
  });
  return problems;
}
