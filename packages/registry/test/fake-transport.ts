import type { Transport, TransportRequest, TransportResponse } from '../src/transport.js';

/** A scripted network for unit tests: each request is answered by `respond`, and recorded. */
export function fakeTransport(
  respond: (request: TransportRequest, index: number) => TransportResponse | Promise<TransportResponse>,
): Transport & { requests: TransportRequest[] } {
  const requests: TransportRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      return respond(request, requests.length - 1);
    },
  };
}

export function response(status: number, headers: Record<string, string> = {}, body = ''): TransportResponse {
  return { status, headers, body: Buffer.from(body) };
}
