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
    throw error;
  }
}
