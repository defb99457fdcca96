import { afterAll } from 'vitest';

// Test files share workers (isolate: false), so one file's process.env changes (endpoints, log
// levels) must not leak into the next: each file gets the environment it started with back.
const atStart = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in atStart)) delete process.env[key];
  Object.assign(process.env, atStart);
});
