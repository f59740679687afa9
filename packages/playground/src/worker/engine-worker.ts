/**
 * engine.js: the engine, and the session that answers the page. In a dedicated worker (the
 * normal case) it answers messages, so a 1 MB manifest never blocks typing; loaded as a classic
 * script on the page (file://, where Chrome starts no worker) it sets a global the page calls.
 * Requests are answered one at a time, in order: `admission` and `explain` refer to the last
 * `evaluate` before them.
 */
import { PlaygroundSession } from '../core/session.js';
import { ENGINE_GLOBAL, type EngineReply, type EngineRequest } from './protocol.js';

const session = new PlaygroundSession();
let queue: Promise<unknown> = Promise.resolve();

function answer(id: number, request: EngineRequest): Promise<EngineReply> {
  const run = async (): Promise<EngineReply> => {
    try {
      switch (request.kind) {
        case 'evaluate':
          return { id, ok: true, value: await session.evaluate(request.state) };
        case 'admission':
          return { id, ok: true, value: await session.admission(request.objectIndex) };
        case 'explain':
          return { id, ok: true, value: session.explain(request.image) };
      }
    } catch (error) {
      return {
        id,
        ok: false,
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
  };
  const next = queue.then(run);
  queue = next;
  return next;
}

interface WorkerScope {
  onmessage: ((event: { data: { id: number; request: EngineRequest } }) => void) | null;
  postMessage(reply: EngineReply): void;
}

const scope = globalThis as unknown as WorkerScope & Record<string, unknown>;
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  scope.onmessage = ({ data }) =>
    void answer(data.id, data.request).then((reply) => scope.postMessage(reply));
} else {
  scope[ENGINE_GLOBAL] = { answer };
}
