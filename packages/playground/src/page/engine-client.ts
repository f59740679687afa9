import {
  ENGINE_GLOBAL,
  type EngineAnswers,
  type EngineReply,
  type EngineRequest,
} from '../worker/protocol.js';

type Answer<R extends EngineRequest> = EngineAnswers[R['kind']];

export interface EngineClient {
  ask<R extends EngineRequest>(request: R): Promise<Answer<R>>;
  /** `worker`, or `page` where no worker could start (file://): evaluation then runs on the page. */
  readonly where: 'worker' | 'page';
}

type Answerer = (id: number, request: EngineRequest) => Promise<EngineReply>;

/**
 * Starts engine.js in a worker; where that is refused (a page opened from file:// has an opaque
 * origin, and Chrome starts no worker from it), loads it as a classic script on the page instead.
 */
export async function startEngine(url: string): Promise<EngineClient> {
  const answerer = (await workerAnswerer(url)) ?? (await pageAnswerer(url));
  let next = 0;
  return {
    where: answerer.where,
    async ask(request) {
      const reply = await answerer.answer(next++, request);
      if (!reply.ok) throw new Error(reply.message);
      return reply.value as Answer<typeof request>;
    },
  };
}

function workerAnswerer(url: string): Promise<{ where: 'worker'; answer: Answerer } | undefined> {
  let worker: Worker;
  try {
    worker = new Worker(url);
  } catch {
    return Promise.resolve(undefined);
  }
  const pending = new Map<number, (reply: EngineReply) => void>();
  return new Promise((resolve) => {
    // A worker that cannot load its script reports an error event instead of throwing.
    worker.addEventListener('error', () => resolve(undefined), { once: true });
    worker.addEventListener('message', (event: MessageEvent<EngineReply>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    });
    const answer: Answerer = (id, request) =>
      new Promise((done) => {
        pending.set(id, done);
        worker.postMessage({ id, request });
      });
    // The first answer proves the worker runs.
    void answer(-1, { kind: 'explain', image: 'nginx' }).then(() => resolve({ where: 'worker', answer }));
  });
}

function pageAnswerer(url: string): Promise<{ where: 'page'; answer: Answerer }> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => {
      const engine = (globalThis as Record<string, unknown>)[ENGINE_GLOBAL] as
        | { answer: Answerer }
        | undefined;
      if (engine) resolve({ where: 'page', answer: engine.answer });
      else reject(new Error(`${url} loaded but did not start the engine`));
    };
    script.onerror = () => reject(new Error(`${url} could not be loaded`));
    document.head.append(script);
  });
}
