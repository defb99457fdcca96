/**
 * S3 archive layout, date-partitioned by the window's start (UTC) so lifecycle rules, Athena and
 * manual restores can select days:  v1/step=<step>/date=YYYY-MM-DD/<hostId>/<metric>/<windowStart>.gorilla
 * The key is computed from (series, step, windowStart) alone, so the reader finds an object without listing.
 */
export function archiveKey(series: string, step: number, windowStart: number): string {
  const date = new Date(windowStart * 1000).toISOString().slice(0, 10);
  return `v1/step=${step}/date=${date}/${series}/${windowStart}.gorilla`;
}
