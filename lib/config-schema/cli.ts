import { ConfigError } from './load';

/** Runs `body`; a ConfigError becomes its one-line message on stderr and exit code 1, never a stack trace. */
export function exitOnConfigError(body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Invalid configuration: ${error.message}`);
      process.exit(1);
    }
    // CloudFormation's hard limit, which CDK enforces at synth: name the stack and the fix in one line.
    const tooLarge = /Number of resources in stack '([^']+)': (\d+) is greater than allowed maximum of (\d+)/.exec(error instanceof Error ? error.message : '');
    if (tooLarge) {
      console.error(`Invalid configuration: stack ${tooLarge[1]} would hold ${tooLarge[2]} resources, over CloudFormation's ${tooLarge[3]}; lower the counts in config that multiply its resources (shards, queries, subscriptions, ...)`);
      process.exit(1);
    }
    throw error;
  }
}
