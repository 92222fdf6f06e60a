import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__TRIBUTARY_REDIS__?.stop();
  await globalThis.__TRIBUTARY_PG__?.stop();
  if (globalThis.__TRIBUTARY_TEST_ROOT__) rmSync(globalThis.__TRIBUTARY_TEST_ROOT__, { recursive: true, force: true });
}
