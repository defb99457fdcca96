/**
 * Keys of the usage ledger table: the usage snapshot job writes them, billing reads them. One
 * definition, so the writer and the reader cannot drift apart.
 */
export const usagePartition = (month: string) => `USAGE#${month}`;
export const snapshotSortKey = (org: string, slot: string) => `ORG#${org}#${slot}`;
export const runSortKey = (slot: string) => `RUN#${slot}`;
