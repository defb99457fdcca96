/**
 * Fargate (Linux) task sizes: the memory values each CPU size accepts, MiB (AWS documentation, "Task
 * CPU and memory"; the RegisterTaskDefinition API accepts exactly these pairs).
 */
const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
export const FARGATE_MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);
export const FARGATE_CPU = [...FARGATE_MEMORY_BY_CPU.keys()];

const describeRange = (values: readonly number[]) =>
  values.length <= 3 ? values.join(', ') : `${values[0]}-${values[values.length - 1]} in steps of ${values[1]! - values[0]!}`;

/** Why a cpu/memory pair is not a Fargate size (cpu itself is checked by the schema), or undefined. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): string | undefined {
  const allowed = FARGATE_MEMORY_BY_CPU.get(cpu);
  if (!allowed || allowed.includes(memoryMiB)) return undefined;
  return `${memoryMiB} MiB is not a Fargate size for cpu ${cpu}; with cpu ${cpu} use ${describeRange(allowed)} MiB`;
}
