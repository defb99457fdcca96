/** Calendar arithmetic in an IANA time zone, without a date library (Intl knows the offsets). */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

interface WallClock { year: number; month: number; day: number; hour: number; minute: number; second: number }

function wallClock(at: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
}

/** Offset of `timeZone` from UTC at `at`, in ms (Asia/Tokyo: +9 h). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock of `timeZone` shows the given local time. */
export function zonedTimeToUtc(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day) + minutes * 60_000;
  // Two passes settle a DST edge: the offset at the guess may differ from the offset at the answer.
  let result = guess - zoneOffsetMs(new Date(guess), timeZone);
  result = guess - zoneOffsetMs(new Date(result), timeZone);
  return new Date(result);
}

/** "YYYY-MM" of the local calendar month containing `at`. */
export function monthOf(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}

export function parseMonth(month: string): { year: number; month: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new Error(`month "${month}" must be YYYY-MM`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The month before `month` ("2026-01" -> "2025-12"). */
export function previousMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** Half-open [start, end) of a local calendar month. */
export function monthRange(month: string, timeZone: string): { start: Date; end: Date } {
  const { year, month: m } = parseMonth(month);
  const next = m === 12 ? { year: year + 1, month: 1 } : { year, month: m + 1 };
  return { start: zonedTimeToUtc(year, m, 1, 0, timeZone), end: zonedTimeToUtc(next.year, next.month, 1, 0, timeZone) };
}

/** Start of the local slot of `slotMinutes` (a divisor of a day) containing `at`: slots start at local midnight. */
export function slotStart(at: Date, slotMinutes: number, timeZone: string): Date {
  const w = wallClock(at, timeZone);
  const minuteOfDay = w.hour * 60 + w.minute;
  return zonedTimeToUtc(w.year, w.month, w.day, minuteOfDay - (minuteOfDay % slotMinutes), timeZone);
}
