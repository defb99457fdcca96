import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';

/**
 * Custom resource (CDK provider framework onEvent) that opens a service only once its image exists:
 * it answers the configured task counts when the repository holds the tag, and 0 while a service that
 * never ran waits for its first image. A fresh account's first deploy thus creates the services at zero
 * tasks instead of waiting on an image that was never pushed until the circuit breaker rolls the stack
 * back; the deploy that brings a pushed tag (CI deploys each commit's tag) runs them. Once open, a gate
 * never closes: deploying a tag that does not exist to a running service fails the deploy (CloudFormation
 * rolls back, the tasks keep running) instead of scaling the service to zero. The same holds for a
 * service that already runs when the gate is first created (an environment deployed before the gate).
 */
export interface GateProperties {
  readonly RepositoryName: string;
  readonly ImageTag: string;
  /** The ECS service the counts are for, to tell a service that runs from one that never did. */
  readonly ClusterName: string;
  readonly ServiceName: string;
  readonly DesiredCount: string | number;
  readonly MinCapacity: string | number;
}

interface GateEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: GateProperties & { readonly ServiceToken?: string };
}

export interface GateResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly DesiredCount: number; readonly MinCapacity: number; readonly ImageExists: 'true' | 'false' };
}

const clients = { ecr: new ECRClient({}), ecs: new ECSClient({}) };
export type GateClients = typeof clients;

/** Whether the service exists and runs (or is meant to run) tasks. */
export async function serviceRuns(ecs: ECSClient, cluster: string, service: string): Promise<boolean> {
  const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return services.some((s) => s.status === 'ACTIVE' && ((s.desiredCount ?? 0) > 0 || (s.runningCount ?? 0) > 0));
}

export async function imageExists(ecr: ECRClient, repositoryName: string, imageTag: string): Promise<boolean> {
  try {
    const { imageDetails = [] } = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }));
    return imageDetails.length > 0;
  } catch (error) {
    // Only "no such image" closes the gate; anything else (throttling, permissions) fails the deploy loudly.
    if ((error as { name?: string }).name === 'ImageNotFoundException') return false;
    throw error;
  }
}

/** The physical id records whether the gate has opened, so an update knows whether tasks are running. */
const OPENED = 'opened';
const WAITING = 'waiting';

export async function gate(c: GateClients, event: GateEvent): Promise<GateResponse> {
  const props = event.ResourceProperties;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? `${props.RepositoryName}:${WAITING}` };
  const exists = await imageExists(c.ecr, props.RepositoryName, props.ImageTag);
  const wasOpen = event.RequestType === 'Update' && event.PhysicalResourceId?.endsWith(`:${OPENED}`) === true;
  if (!exists && (wasOpen || await serviceRuns(c.ecs, props.ClusterName, props.ServiceName))) {
    throw new Error(`image ${props.RepositoryName}:${props.ImageTag} does not exist; push it before deploying this tag (the running tasks are kept)`);
  }
  return {
    PhysicalResourceId: `${props.RepositoryName}:${exists ? OPENED : WAITING}`,
    Data: { DesiredCount: exists ? Number(props.DesiredCount) : 0, MinCapacity: exists ? Number(props.MinCapacity) : 0, ImageExists: exists ? 'true' : 'false' },
  };
}

export const handler = (event: GateEvent): Promise<GateResponse> => gate(clients, event);
