/** A required environment variable; a missing one is a deployment bug, so fail loudly and early. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function numberEnv(name: string): number {
  const value = Number(requiredEnv(name));
  if (!Number.isFinite(value)) throw new Error(`environment variable ${name} must be a number`);
  return value;
}
