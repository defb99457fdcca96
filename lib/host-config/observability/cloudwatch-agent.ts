import { HOST_NAMESPACE, HostDimension, type HostRole } from './metric-contract';

export interface AgentConfigInput {
  readonly environment: string;
  readonly role: HostRole;
  readonly host: string;
  /** Processes the agent's procstat plugin watches (CPU, memory, pid count per process). */
  readonly processes: readonly string[];
}

/**
 * amazon-cloudwatch-agent configuration: procstat for the role's daemons, memory and root disk use,
 * and the embedded-metric-format listener (127.0.0.1:25888) the host collector writes to.
 * omit_hostname keeps dimensions to the ones set here, so alarms can name them exactly.
 */
export function renderAgentConfig(input: AgentConfigInput): string {
  const dimensions = {
    [HostDimension.environment]: input.environment,
    [HostDimension.role]: input.role,
    [HostDimension.host]: input.host,
  };
  const config = {
    agent: { metrics_collection_interval: 60, omit_hostname: true, logfile: '/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log' },
    metrics: {
      namespace: HOST_NAMESPACE,
      metrics_collected: {
        procstat: input.processes.map((exe) => ({
          exe: `^${exe}$`,
          measurement: ['pid_count', 'cpu_usage', 'memory_rss'],
          append_dimensions: dimensions,
        })),
        mem: { measurement: ['used_percent'], append_dimensions: dimensions },
        disk: { resources: ['/'], measurement: ['used_percent'], ignore_file_system_types: ['tmpfs', 'devtmpfs'], append_dimensions: dimensions },
      },
    },
    logs: { metrics_collected: { emf: {} }, force_flush_interval: 15 },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
