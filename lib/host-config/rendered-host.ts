import type { HostFile } from './cloud-init';

/** Every file one host gets, as `npm run render-hosts` writes it for inspection. */
export interface RenderedHost {
  /** Directory name for the host, e.g. "redis-shard-0-a" or "resolver-1". */
  readonly name: string;
  readonly files: readonly HostFile[];
}
