import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaFunctionMonitoring, type IDashboardSegment } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  batchJobRow, externalCheckRow, queueRow, redisPairRow, resolverRow, tsdbFunctionRow,
  type BatchJobsInput, type ExternalCheck, type QueuesInput, type TsdbFunctionsInput,
} from './component-widgets';
import { healthWidgets, type HealthWidgetsInput } from './health-widgets';

export interface OnCallDashboardProps {
  readonly dashboardName: string;
  readonly health: HealthWidgetsInput;
  readonly batchJobs: BatchJobsInput;
  readonly queues: Omit<QueuesInput, 'deadLetterQueues'>;
  readonly tsdb: TsdbFunctionsInput;
  readonly externalChecks: readonly ExternalCheck[];
  /** The per-service segments cdk-monitoring-constructs built (ECS/NLB, RDS, Kinesis, DynamoDB ...), shown last. */
  readonly serviceSegments: readonly IDashboardSegment[];
}

/**
 * The logical id the dashboard was first deployed under (by cdk-monitoring-constructs' factory). A new
 * logical id with the same DashboardName would make CloudFormation create the "new" dashboard (an
 * overwrite) and then delete the old resource, i.e. the dashboard itself.
 */
export const DASHBOARD_LOGICAL_ID = 'ServicesDashboardsDashboard7AFF6963';

/**
 * The environment's one dashboard, in the order an on-call engineer reads it: the health screen
 * (healthWidgets), then one row per component (batch jobs, queue depths, Redis pairs, resolvers, TSDB
 * functions, external checks), then the managed services' standard rows. Lambda segments of the library
 * are left out: the TSDB row covers those functions, with iterator age only where a stream feeds them.
 */
export class OnCallDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OnCallDashboardProps) {
    super(scope, id);
    const { config } = props.health;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      // The last three hours: what an incident needs first; the time picker goes further.
      start: '-PT3H',
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    (this.dashboard.node.defaultChild as cloudwatch.CfnDashboard).overrideLogicalId(DASHBOARD_LOGICAL_ID);
    // One addWidgets call per row: rows stack top to bottom, widgets of a row go left to right.
    const rows: cloudwatch.IWidget[][] = [
      ...healthWidgets(props.health),
      ...batchJobRow(props.batchJobs),
      ...queueRow({ ...props.queues, deadLetterQueues: props.batchJobs.deadLetterQueues }),
      ...redisPairRow(config, props.health.shards),
      ...resolverRow(config),
      ...tsdbFunctionRow(props.tsdb),
      ...externalCheckRow(props.externalChecks),
      [new cloudwatch.TextWidget({ markdown: '## Managed services (cdk-monitoring-constructs)', width: 24, height: 1 })],
      ...props.serviceSegments.filter((s) => !(s instanceof LambdaFunctionMonitoring)).map((s) => s.widgets()),
    ];
    for (const row of rows) this.dashboard.addWidgets(...row);
  }
}
