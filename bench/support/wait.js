// Shared by the bench scripts that start servers of their own.

/** Polls `fn` every 100 ms until it returns something truthy (errors count as not yet); throws after `ms`. */
export async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timeout waiting for ${what}`);
}
