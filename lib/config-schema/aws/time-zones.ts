import { z } from 'zod';
import { didYouMean } from '../suggest';

/** IANA time zones as this Node's ICU knows them (canonical names), plus UTC, which ICU lists as an alias. */
export const TIME_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export const timeZone = z.string().superRefine((value, ctx) => {
  if (TIME_ZONES.has(value)) return;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not an IANA time zone${didYouMean(value, TIME_ZONES)}; use a name such as "Asia/Tokyo" or "UTC"` });
});
