/**
 * Child processes this run started, so that a timeout or the watchdog can end exactly those. Each
 * measurement process leads its own process group (it may start servers and load generators),
 * so ending it means signalling that group by its id.
 */
const running = new Set();

export function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function killTree(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export function killAll() {
  for (const child of running) killTree(child);
  running.clear();
}
