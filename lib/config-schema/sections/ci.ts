import { z } from 'zod';

export const ciSchema = z.strictObject({
  /** GitHub repository ("owner/name") whose workflows may deploy this environment. */
  githubRepository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be "owner/name" of the GitHub repository'),
  /** GitHub Environment the deploy job runs in (the approval gate for production). */
  githubEnvironment: z.string().min(1),
  /** Create the account's GitHub OIDC provider (only once per account; false when it already exists). */
  createOidcProvider: z.boolean(),
  /** CDK bootstrap qualifier whose roles the CI role may assume. */
  bootstrapQualifier: z.string().regex(/^[a-z0-9]{1,10}$/, 'must be the CDK bootstrap qualifier (lower-case, up to 10 characters)'),
});
export type CiConfig = z.infer<typeof ciSchema>;
