import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';

export interface AppClusterProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
}

/** The ECS cluster of the application services, with Container Insights (enhanced: per-task and per-container metrics). */
export class ServiceCluster extends Construct {
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, props: AppClusterProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `monsaas-${props.config.name}-app`,
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      enableFargateCapacityProviders: true,
    });
  }
}
