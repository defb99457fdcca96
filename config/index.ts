import type { EnvConfigInput } from '../lib/config-schema/schema';
import { production } from './production';
import { staging } from './staging';

/** Every environment the app knows, in deploy order. Add a file and list it here to add one. */
export const environments: Readonly<Record<string, EnvConfigInput>> = { staging, production };
