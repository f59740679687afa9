/** Helper processes the server measures drive over IPC: a server under load, a load generator. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { track } from './children.mjs';
import { benchDir } from './paths.mjs';
import { Unavailable } from './pullguard.mjs';

/**
 * A forked helper process that answers IPC requests one at a time. If it dies (a server that
 * crashes on a request), every pending and later request fails with the reason instead of hanging.
 */
export function helper(script, args = [], { stdout = 2, execArgv = [] } = {}) {
  const child = track(
    fork(join(benchDir, 'load', script), args, {
      stdio: ['ignore', stdout, 2, 'ipc'],
      execArgv: [...process.execArgv, ...execArgv],
    }),
  );
  const name = `${script} ${args.join(' ')}`.trim();
  let exited;
  const pending = new Set();
  child.on('error', () => {}); // a send on a closed channel: reported through `exit` below
  child.once('exit', (code, signal) => {
    exited = new Unavailable(`${name} exited (${signal ?? code}); its stderr above says why`);
    for (const reject of pending) reject(exited);
  });
  const ask = (message, expect, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      const done = (fn, value) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        pending.delete(reject);
        fn(value);
      };
      const timer = setTimeout(
        () => done(reject, new Error(`${name}: no ${expect} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (reply) => {
        if (reply.type === expect) done(resolve, reply);
        else if (reply.type === 'error')
          done(reject, new Unavailable(`${name}: ${reply.message.split('\n').slice(0, 3).join(' ')}`));
      };
      pending.add(reject);
      child.on('message', onMessage);
      child.send(message);
    });
  return { child, ask, stop: () => child.connected && child.disconnect() };
}
