import { SERVICE } from './service';

/**
 * Each stack of an environment, by the key PlatformEnvironment uses, and the part of its deployed name
 * (<service>-<env>-<part>). `services` deploys as "-app", the name it was first deployed under:
 * renaming a CloudFormation stack creates a new stack (new NLBs, new DNS targets) and deletes the old one.
 */
export const STACK_PARTS = {
  network: 'network',
  data: 'data',
  redis: 'redis',
  dns: 'dns',
  tsdb: 'tsdb',
  services: 'app',
  edgeHealth: 'edge-health',
  batch: 'batch',
  monitoring: 'monitoring',
  ci: 'ci',
} as const;

export type StackPart = keyof typeof STACK_PARTS;

/** The deployed stack name of one part of one environment, e.g. monsaas-staging-app. */
export function stackNameOf(environmentName: string, part: StackPart): string {
  return `${SERVICE}-${environmentName}-${STACK_PARTS[part]}`;
}
