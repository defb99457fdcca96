/**
 * EventBridge Scheduler cron bodies ("cron(min hour day-of-month month day-of-week year)"), checked field
 * by field as the Scheduler API does (AWS documentation, "Schedule types on EventBridge Scheduler").
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Longest month lengths (February 29 exists in leap years). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Special forms besides numbers, ranges, lists, "*" and increments. */
  readonly special?: RegExp;
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|([1-7]|[A-Z]{3})#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

const EXAMPLE = 'e.g. "0 * * * ? *" (hourly) or "30 3 * * ? *" (03:30 daily)';

function valueOf(text: string, rule: FieldRule): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + 1 : undefined;
}

/** Values one list item selects, or a problem. */
function expandItem(item: string, rule: FieldRule): number[] | string {
  const range = `${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : ''}`;
  const [base, stepText, extra] = item.split('/');
  if (extra !== undefined || base === undefined || base === '') return `${rule.name} field item "${item}" is malformed`;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1 || Number(stepText) > rule.max) {
      return `${rule.name} field increment "/${stepText}" must be a number from 1 to ${rule.max}`;
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (base === '*') {
    [from, to] = [rule.min, rule.max];
  } else {
    const bounds = base.split('-');
    if (bounds.length > 2) return `${rule.name} field item "${item}" is malformed`;
    const values = bounds.map((b) => valueOf(b, rule));
    if (values.some((v) => v === undefined)) return `${rule.name} field "${item}" is not a value of ${range}`;
    const outside = values.find((v) => v! < rule.min || v! > rule.max);
    if (outside !== undefined) return `${rule.name} field value ${outside} is out of range ${range}`;
    from = values[0]!;
    to = stepText !== undefined && values.length === 1 ? rule.max : values[values.length - 1]!;
    if (to < from) return `${rule.name} field range "${base}" runs backwards; write the smaller value first`;
  }
  const selected: number[] = [];
  for (let v = from; v <= to; v += step) selected.push(v);
  return selected;
}

/** The values a field selects (undefined for "?", "L", "W", "#" forms, which select by calendar), or a problem. */
function expandField(field: string, rule: FieldRule): number[] | undefined | string {
  if (rule.special?.test(field.toUpperCase())) return undefined;
  if (field.includes('?')) return `"?" stands alone in the ${rule.name} field`;
  const values: number[] = [];
  for (const item of field.split(',')) {
    const expanded = expandItem(item, rule);
    if (typeof expanded === 'string') return expanded;
    values.push(...expanded);
  }
  return values;
}

/** Why `body` is not a Scheduler cron body (with the fix), or undefined when Scheduler accepts it. */
export function schedulerCronProblem(body: string): string | undefined {
  if (/^\s*cron\(/.test(body)) return `"${body}" includes the cron( ) wrapper; write only the six fields, ${EXAMPLE}`;
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `"${body}" has ${fields.length} field(s); write six: minute hour day-of-month month day-of-week year, ${EXAMPLE}`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `"${body}" must have "?" in exactly one of day-of-month and day-of-week (Scheduler cannot combine them), ${EXAMPLE}`;
  }
  const expanded: Array<number[] | undefined> = [];
  for (let i = 0; i < 6; i++) {
    const result = expandField(fields[i]!, FIELDS[i]!);
    if (typeof result === 'string') return `"${body}": ${result}; ${EXAMPLE}`;
    expanded.push(result);
  }
  const [days, months] = [expanded[2], expanded[3]];
  if (days && months && !days.some((day) => months.some((month) => day <= MONTH_DAYS[month - 1]!))) {
    const monthNames = months.map((m) => MONTHS[m - 1]).join(',');
    return `"${body}" never fires: no month of ${monthNames} has day ${days.join(',')}; pick a day that exists or use "L" for the month's last day`;
  }
  return undefined;
}
