import { z } from 'zod';

/**
 * Config fields kept for people, not for the platform (e.g. an AMI's name beside its id): nothing is
 * rendered from them, and test/config/every-key-has-effect.test.ts exempts exactly these.
 */
export const documentationOnlyFields = z.registry<{ readonly why: string }>();

export function documentationOnly<T extends z.ZodType>(schema: T, why: string): T {
  documentationOnlyFields.add(schema, { why });
  return schema;
}
