import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Kubernetes API server's namespace endpoints — there is no kube-apiserver on
 * the machines these tests run on. A real HTTP server that speaks what a client sees of
 * `/api/v1/namespaces` (k8s.io/apiserver, v1.34):
 * - list: a NamespaceList with `metadata.resourceVersion`, paged by `limit` and `continue`;
 * - watch (`?watch=true&resourceVersion=N`): newline-delimited JSON events after N (ADDED,
 *   MODIFIED, DELETED, BOOKMARK), held open until the test ends it; a resourceVersion older than
 *   what it keeps (`compact()`) gets an ERROR event with a Status of code 410, as etcd compaction
 *   makes the real one answer;
 * - get (`/api/v1/namespaces/NAME`): the Namespace, or a 404 Status;
 * - bearer-token authentication (401 without it), and scripted failures (`fail`).
 */
export class FakeKubeApiServer {
  readonly token = 'stand-in-token';
  readonly requests: string[] = [];
  #server: Server;
  #version = 100;
  #namespaces = new Map<string, { labels: Record<string, string>; version: number }>();
  #events: { type: string; name: string; labels: Record<string, string>; version: number }[] = [];
  #keptFrom = 0;
  #watches = new Set<ServerResponse>();
  #failures: number[] = [];
  #holdLists: Promise<void> | undefined;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((done) => this.#server.listen(0, '127.0.0.1', done));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig (written to `file`) that points a client at this server with its token. */
  writeKubeconfig(file: string): void {
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{ name: stand-in, cluster: { server: "${this.url}", insecure-skip-tls-verify: true } }]`,
        `users: [{ name: pullguard, user: { token: ${this.token} } }]`,
        'contexts: [{ name: stand-in, context: { cluster: stand-in, user: pullguard } }]',
        'current-context: stand-in',
      ].join('\n'),
    );
  }

  set(name: string, labels: Record<string, string>): void {
    const type = this.#namespaces.has(name) ? 'MODIFIED' : 'ADDED';
    const version = ++this.#version;
    this.#namespaces.set(name, { labels, version });
    this.#emit({ type, name, labels, version });
  }

  delete(name: string): void {
    const namespace = this.#namespaces.get(name);
    if (!namespace) return;
    this.#namespaces.delete(name);
    this.#emit({ type: 'DELETED', name, labels: namespace.labels, version: ++this.#version });
  }

  /** Sends a BOOKMARK carrying the current resourceVersion on every open watch. */
  bookmark(): void {
    for (const res of this.#watches) res.write(`${JSON.stringify(this.#bookmark())}\n`);
  }

  /** Ends every open watch, as the API server does at its timeoutSeconds or on restart. */
  closeWatches(): void {
    for (const res of this.#watches) res.end();
    this.#watches.clear();
  }

  /** Forgets the events so far: a watch from an older resourceVersion is told 410 Gone. */
  compact(): void {
    this.#keptFrom = this.#version + 1;
    this.#events = [];
  }

  /** The next requests fail with these statuses (e.g. 503 while the API server starts). */
  fail(...statuses: number[]): void {
    this.#failures.push(...statuses);
  }

  /** Lists wait until the returned function is called. */
  holdLists(): () => void {
    let release!: () => void;
    this.#holdLists = new Promise((done) => {
      release = done;
    });
    return () => {
      this.#holdLists = undefined;
      release();
    };
  }

  get openWatches(): number {
    return this.#watches.size;
  }

  async close(): Promise<void> {
    this.closeWatches();
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
  }

  #emit(event: { type: string; name: string; labels: Record<string, string>; version: number }): void {
    this.#events.push(event);
    for (const res of this.#watches) res.write(`${JSON.stringify(this.#event(event))}\n`);
  }

  #object(name: string, labels: Record<string, string>, version: number) {
    return {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        name,
        resourceVersion: String(version),
        labels: { 'kubernetes.io/metadata.name': name, ...labels },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
  }

  #event(e: { type: string; name: string; labels: Record<string, string>; version: number }) {
    return { type: e.type, object: this.#object(e.name, e.labels, e.version) };
  }

  #bookmark() {
    return {
      type: 'BOOKMARK',
      object: { kind: 'Namespace', apiVersion: 'v1', metadata: { resourceVersion: String(this.#version) } },
    };
  }

  #status(res: ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', this.url);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return this.#status(res, 401, 'Unauthorized', 'Unauthorized');
    const failure = this.#failures.shift();
    if (failure !== undefined) return this.#status(res, failure, 'ServiceUnavailable', 'stand-in failure');
    const one = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const namespace = this.#namespaces.get(one[1]!);
      if (!namespace) return this.#status(res, 404, 'NotFound', `namespaces "${one[1]}" not found`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(this.#object(one[1]!, namespace.labels, namespace.version)));
    }
    if (url.pathname !== '/api/v1/namespaces') return this.#status(res, 404, 'NotFound', 'not found');
    if (url.searchParams.get('watch') === 'true') return this.#watch(url, res);
    await this.#holdLists;
    const names = [...this.#namespaces.keys()].sort();
    const limit = Number(url.searchParams.get('limit') ?? names.length) || names.length;
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = names.slice(start, start + limit);
    const next = start + limit < names.length ? String(start + limit) : undefined;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.#version), ...(next ? { continue: next } : {}) },
        items: page.map((name) => {
          const n = this.#namespaces.get(name)!;
          return this.#object(name, n.labels, n.version);
        }),
      }),
    );
  }

  #watch(url: URL, res: ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? this.#version);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from < this.#keptFrom - 1) {
      res.end(
        `${JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'too old resource version',
            reason: 'Expired',
            code: 410,
          },
        })}\n`,
      );
      return;
    }
    for (const event of this.#events)
      if (event.version > from) res.write(`${JSON.stringify(this.#event(event))}\n`);
    this.#watches.add(res);
    res.on('close', () => this.#watches.delete(res));
  }
}
