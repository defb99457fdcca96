import { z } from 'zod';
import { FARGATE_CPU, fargateSizeProblem } from '../aws/fargate';
import { count } from '../primitives';

/** ECS runs at most 5000 tasks per service (a hard limit). */
const MAX_TASKS = 5000;
const taskCount = count('tasks').max(MAX_TASKS, `must be at most ${MAX_TASKS} (ECS runs at most ${MAX_TASKS} tasks per service)`);

export const serviceSchema = z.strictObject({
  cpu: z.number().refine((v) => FARGATE_CPU.includes(v), {
    message: `must be a Fargate CPU size (${FARGATE_CPU.join(', ')})`,
  }),
  memoryMiB: z.number().int(),
  desiredCount: taskCount,
  minCount: taskCount,
  maxCount: taskCount,
  /** Container port the service listens on; the NLB forwards 443 to it. */
  containerPort: z.number().int().min(1).max(65535),
  /** HTTP path of the container's health endpoint. */
  healthCheckPath: z.string().startsWith('/', 'must be an absolute path such as "/healthz"'),
  /** Target-tracking goal for the service's average CPU. */
  cpuTargetPercent: z.number().int().min(10, 'must be 10-90 (percent)').max(90, 'must be 10-90 (percent)'),
  /** Target-tracking goal for load: new TLS connections per task per minute through the NLB. */
  newConnectionsPerTaskPerMinute: z.number().int().min(1, 'must be at least 1 connection per task per minute'),
}).superRefine((cfg, ctx) => {
  const problem = fargateSizeProblem(cfg.cpu, cfg.memoryMiB);
  if (problem) ctx.addIssue({ code: 'custom', path: ['memoryMiB'], message: problem });
});

/** A Docker image tag (the registry's own rule). */
export const imageTagSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker image tag: 1-128 letters, digits, "_", "." or "-", not starting with "." or "-"');

export const servicesSchema = z.strictObject({
  /** Image tag deployed from the app's ECR repositories; CI overrides it with `-c imageTag=<git sha>`. */
  imageTag: imageTagSchema,
  /** ARM64 (Graviton) unless an image only exists for x86. */
  cpuArchitecture: z.enum(['ARM64', 'X86_64']),
  /** Tagged images kept per repository (older ones expire; untagged ones after a day). */
  keepImages: z.number().int().min(5, 'must be at least 5 so a rollback finds its image').max(1000),
  api: serviceSchema,
  web: serviceSchema,
});
export type ServicesConfig = z.infer<typeof servicesSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
