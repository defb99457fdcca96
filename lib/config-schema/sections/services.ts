import { z } from 'zod';
import { count } from '../primitives';

const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

export const serviceSchema = z.object({
  cpu: z.number().refine((v) => (FARGATE_CPU as readonly number[]).includes(v), {
    message: `must be a Fargate CPU size (${FARGATE_CPU.join(', ')})`,
  }),
  memoryMiB: z.number().int().min(512, 'must be at least 512 MiB'),
  desiredCount: count('tasks'),
  minCount: count('tasks'),
  maxCount: count('tasks'),
  /** Container port the service listens on; the NLB forwards 443 to it. */
  containerPort: z.number().int().min(1).max(65535),
  /** HTTP path of the container's health endpoint. */
  healthCheckPath: z.string().startsWith('/', 'must be an absolute path such as "/healthz"'),
  /** Target-tracking goal for the service's average CPU. */
  cpuTargetPercent: z.number().int().min(10, 'must be 10-90 (percent)').max(90, 'must be 10-90 (percent)'),
  /** Target-tracking goal for load: new TLS connections per task per minute through the NLB. */
  newConnectionsPerTaskPerMinute: z.number().int().min(1, 'must be at least 1 connection per task per minute'),
});

export const servicesSchema = z.object({
  /** Image tag deployed from the app's ECR repositories; CI overrides it with `-c imageTag=<git sha>`. */
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker image tag'),
  /** ARM64 (Graviton) unless an image only exists for x86. */
  cpuArchitecture: z.enum(['ARM64', 'X86_64']),
  /** Tagged images kept per repository (older ones expire; untagged ones after a day). */
  keepImages: z.number().int().min(5, 'must be at least 5 so a rollback finds its image').max(1000),
  api: serviceSchema,
  web: serviceSchema,
});
export type ServicesConfig = z.infer<typeof servicesSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
