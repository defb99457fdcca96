/** systemd units: the collector every minute, and the accounting chains loaded before the network is up. */

export function renderCollectorService(scriptPath: string, envPath: string): string {
  return `[Unit]
Description=monsaas host metrics: one sample to the CloudWatch agent
After=amazon-cloudwatch-agent.service

[Service]
Type=oneshot
EnvironmentFile=${envPath}
ExecStart=${scriptPath}
Nice=10
`;
}

export function renderCollectorTimer(): string {
  return `[Unit]
Description=monsaas host metrics every minute

[Timer]
OnBootSec=30s
OnUnitActiveSec=60s
AccuracySec=1s

[Install]
WantedBy=timers.target
`;
}

export function renderAccountingService(loaderPath: string): string {
  return `[Unit]
Description=monsaas traffic accounting chains (iptables counters, no verdicts)
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${loaderPath}

[Install]
WantedBy=multi-user.target
`;
}
