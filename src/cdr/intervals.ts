/** Time arithmetic on [start, end) intervals in ms since epoch: pure, no time zones involved. */
export interface Interval {
  start: number;
  end: number;
}

/** Merges overlapping intervals and clips them to `within`, so no time is counted twice. */
export function clipAndMerge(intervals: readonly Interval[], within: Interval): Interval[] {
  const clipped = intervals
    .map((interval) => ({ start: Math.max(interval.start, within.start), end: Math.min(interval.end, within.end) }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of clipped) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

export function totalLength(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, interval) => sum + (interval.end - interval.start), 0);
}
