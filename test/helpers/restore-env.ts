/**
 * Test files share one process (vitest runs them without isolation, for speed): a file that sets process.env
 * or the working folder must not leak it into the next file. Restored after every file.
 */
import { afterAll } from 'vitest';

const savedEnv = { ...process.env };
const savedCwd = process.cwd();

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  if (process.cwd() !== savedCwd) process.chdir(savedCwd);
});
