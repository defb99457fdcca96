import { environmentsFromFiles } from '../lib/config-schema/environment-files';

/** Every environment the app knows, in deploy order: config/NAME.ts exports NAME. Add a file and its name here to add one. */
export const ENVIRONMENT_NAMES = ['staging', 'production'] as const;

/**
 * The environments, each read from its file when first used, so a broken file stops only its own
 * environment.
 */
export const environments = environmentsFromFiles(__dirname, ENVIRONMENT_NAMES);
