/**
 * The environment a TSDB handler reads at module load, with placeholder values: enough to import a
 * bundle outside Lambda (the handler-build test and bench:writer's module-load timing).
 */
export const HANDLER_INIT_ENV: Record<string, string> = {
  AWS_REGION: 'ap-northeast-1',
  TIERS: '[[60,86400],[300,604800]]',
  FLUSH_POINTS: '60',
  TABLE_NAME: 't',
  REJECTED_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:111111111111:t',
  REPLICA_TIMEOUT_MS: '500',
  IDLE_FLUSH_MINUTES: '30',
  ARCHIVE_BUCKET: 'b',
  ARCHIVE_KMS_KEY_ID: 'k',
  REDIS_SHARD_VIPS: '192.168.255.10',
  REDIS_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:x',
};
