import { Duration, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { EnvConfig } from '../../config-schema/schema';
import { logRemovalPolicy, logRetention } from '../../platform/policies';
import { REPO_ROOT } from './bundle-cache';
import { HANDLER } from './handler-build';
import { handlerCode } from './handler-bundle';


/** The newest Node.js Lambda runtime; one place to move when AWS releases the next. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface PlatformFunctionProps {
  readonly config: EnvConfig;
  /** Handler file relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name (logs and metrics dimension). */
  readonly serviceName: string;
  readonly memoryMiB?: number;
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  readonly reservedConcurrentExecutions?: number;
  /**
   * Actions this function is granted that AWS offers no resource scoping for, beyond X-Ray's, named in
   * the one acknowledgement of `Resource::*` on its role (e.g. "logs:GetQueryResults (takes a query id)").
   * @default none
   */
  readonly unscopedActions?: readonly string[];
}

/**
 * A Node.js Lambda function as every handler here is run: ARM64, newest runtime, bundled locally by
 * esbuild (minified, source maps; see handler-build.ts), its own log group with retention, X-Ray
 * tracing, Powertools settings, and the one place where the findings every such function carries are
 * acknowledged (on its role only).
 */
export class PlatformFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  /** Handler file relative to the repository root. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention(props.config.logRetentionDays),
      removalPolicy: logRemovalPolicy(props.config),
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      code: handlerCode(path.join(REPO_ROOT, props.entry), NODE_RUNTIME),
      handler: HANDLER,
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMiB ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      allowPublicSubnet: false,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // No NODE_OPTIONS=--enable-source-maps: Node would read and parse each map at cold start (bench:writer
      // measures the cost) and map every stack it formats, which Node's docs warn about for large
      // bundles. The maps ship in the package; `npm run map-stack` maps a logged stack.
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'MonSaaS',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    acknowledgeBaseline(this.function.role!, props.vpc !== undefined, props.unscopedActions ?? []);
  }
}

/** The findings every function here carries, acknowledged on its role (and so its default policy) only. */
function acknowledgeBaseline(role: Construct, inVpc: boolean, unscopedActions: readonly string[]): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWS-managed baseline for writing the function\'s own log group; it grants nothing beyond CloudWatch Logs.',
  });
  if (inVpc) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'AWS-managed baseline for the ENIs a VPC function needs; EC2 network-interface APIs do not support resource-level scoping.',
    });
  }
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Actions without resource-level permissions: X-Ray trace writes (xray:PutTraceSegments, PutTelemetryRecords)${unscopedActions.length ? `, ${unscopedActions.join(', ')}` : ''}.`,
  });
}
