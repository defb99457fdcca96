/** Asset hashes change with code and dependency versions; snapshots compare everything else. */
export function normalizeTemplate(template: unknown): string {
  return JSON.stringify(template, null, 2).replace(/[0-9a-f]{64}/g, '<asset-hash>');
}
