import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';

/**
 * Custom resource (CDK provider framework onEvent) that opens a service only once its image exists:
 * it answers the configured task counts when the repository holds the tag, and 0 otherwise. A fresh
 * account's first deploy thus creates the services at zero tasks instead of waiting on an image that
 * was never pushed until the circuit breaker rolls the stack back; the deploy that brings a pushed tag
 * (CI deploys each commit's tag) runs them.
 */
export interface GateProperties {
  readonly RepositoryName: string;
  readonly ImageTag: string;
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

const client = new ECRClient({});

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

export async function gate(ecr: ECRClient, event: GateEvent): Promise<GateResponse> {
  const props = event.ResourceProperties;
  const id = `${props.RepositoryName}:${props.ImageTag}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? id };
  const open = await imageExists(ecr, props.RepositoryName, props.ImageTag);
  return {
    PhysicalResourceId: id,
    Data: { DesiredCount: open ? Number(props.DesiredCount) : 0, MinCapacity: open ? Number(props.MinCapacity) : 0, ImageExists: open ? 'true' : 'false' },
  };
}

export const handler = (event: GateEvent): Promise<GateResponse> => gate(client, event);
