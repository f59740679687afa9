import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadServerConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';

// Real servers and processes on a shared machine: a generous bound (no test waits for it).
vi.setConfig({ testTimeout: 60_000 });

const POLICY =
  'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata:\n  name: p\nspec:\n  namespaces: ["*"]\n  rules:\n    - rule: require-digest\n';

let dir: string;
const servers: RunningServer[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-timeouts-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(args: string[]): Promise<{ host: string; port: number }> {
  const config = loadServerConfig(['--policy', 'policy.yaml', '--port', '0', '--no-watch', ...args], {}, dir);
  const server = await startServer(config, { logger: silentLogger() });
  servers.push(server);
  const url = new URL(server.url);
  return { host: url.hostname, port: Number(url.port) };
}

/**
 * A slow-loris client: sends `start`, then one more byte of `drip` every 50 ms, never finishing
 * its request; resolves with how long the server kept the connection and what it answered, or
 * rejects if the server still holds it after `giveUpMs`.
 */
function slowClient(address: { host: string; port: number }, start: string, drip: string, giveUpMs: number) {
  return new Promise<{ heldMs: number; answer: string }>((resolve, reject) => {
    const socket = connect(address);
    sockets.push(socket);
    const started = Date.now();
    let answer = '';
    let i = 0;
    socket.write(start);
    const timer = setInterval(() => {
      if (!socket.destroyed && i < drip.length) socket.write(drip[i++]!);
    }, 50);
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server still held the connection after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (d) => {
      answer += d;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ heldMs: Date.now() - started, answer });
    });
  });
}

describe('--request-timeout bounds how long a client may take to send a request', () => {
  it('cuts off a client that sends its headers slowly after the timeout, with 408 (not after ~30 s)', async () => {
    const address = await start(['--request-timeout', '300ms']);
    // Node checks these timeouts every connectionsCheckingInterval (default 30 s); the server
    // sets it from --request-timeout. 10 s is far beyond 300 ms and far below 30 s.
    const headers = `POST /v1/admission/validate HTTP/1.1\r\nHost: x\r\n${'X-Slow: y\r\n'.repeat(1000)}`;
    const { heldMs, answer } = await slowClient(address, '', headers, 10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(heldMs).toBeLessThan(10_000);
  }, 20_000);

  it('cuts off a client that sends its body slowly', async () => {
    const address = await start(['--request-timeout', '300ms']);
    const head =
      'POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const { answer: result } = await slowClient(address, head, ' '.repeat(999), 10_000);
    expect(result).toMatch(/^HTTP\/1\.1 408/);
  }, 20_000);
});

describe('a port that cannot be listened on', () => {
  it('fails with one line that says where and which flag to change', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const { port } = busy.address() as { port: number };
    try {
      const config = loadServerConfig(['--policy', 'policy.yaml', '--port', String(port)], {}, dir);
      await expect(startServer(config, { logger: silentLogger() })).rejects.toMatchObject({
        name: 'ListenError',
        code: 'EADDRINUSE',
        message: `cannot listen on 127.0.0.1:${port}: address already in use; pass --port`,
      });
    } finally {
      busy.close();
    }
  });
});

describe('close (SIGTERM) with a request in flight', () => {
  it('answers the request, then closes its keep-alive connection at once instead of after the 10 s grace', async () => {
    const config = loadServerConfig(['--policy', 'policy.yaml', '--port', '0', '--no-watch'], {}, dir);
    const server = await startServer(config, { logger: silentLogger() });
    const url = new URL(server.url);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    sockets.push(socket);
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    const socketClosed = new Promise<void>((done) => socket.on('close', () => done()));
    // The request is in flight when close() starts: its body has not all arrived yet.
    const body = JSON.stringify({ objects: [] });
    socket.write(
      `POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closed = server.close();
    socket.write(body.slice(5));
    await closed;
    // A keep-alive connection used to stay open until the grace period forced it shut (10 s):
    // every rolling update of the webhook waited that long. 5 s is far beyond the milliseconds it takes.
    expect(Date.now() - started).toBeLessThan(5_000);
    await socketClosed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });
});
