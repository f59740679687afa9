/**
 * Polls until `check` passes (file events, watches and reloads are asynchronous); fails with its
 * last error after `timeoutMs`. A bound on waiting, not on speed: checks pass as soon as they can.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
