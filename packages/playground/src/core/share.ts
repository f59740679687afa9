/**
 * The share link: the whole state in the URL fragment, which browsers never send to a server.
 * Format (docs/playground.md#share-links): `#v1=` + lz-string `compressToEncodedURIComponent` of
 * the JSON `{"policy": …, "manifests": …, "namespaces": …, "registry": …}` (strings; a missing key
 * is an empty editor). The version names the format, so a later one can still read old links.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { EDITORS, EMPTY_STATE, type PlaygroundState } from './state.js';

const PREFIX = '#v1=';

export function encodeState(state: PlaygroundState): string {
  const data: Partial<Record<keyof PlaygroundState, string>> = {};
  for (const { name } of EDITORS) if (state[name] !== '') data[name] = state[name];
  return `${PREFIX}${compressToEncodedURIComponent(JSON.stringify(data))}`;
}

/**
 * The state a fragment holds; undefined when there is none. A fragment that is not a link of
 * this format (cut short, edited by hand) throws, saying so: the page shows it, never half a state.
 */
export function decodeState(fragment: string): PlaygroundState | undefined {
  if (fragment === '' || fragment === '#') return undefined;
  if (!fragment.startsWith(PREFIX)) throw new ShareLinkError('it does not start with #v1=');
  const json = decompressFromEncodedURIComponent(fragment.slice(PREFIX.length));
  let data: unknown;
  try {
    data = json ? JSON.parse(json) : undefined;
  } catch {
    data = undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ShareLinkError('its data does not decompress to the editors’ text (was the link cut short?)');
  }
  const state = { ...EMPTY_STATE };
  for (const { name } of EDITORS) {
    const value = (data as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ShareLinkError(`its "${name}" is not text`);
    state[name] = value;
  }
  return state;
}

export class ShareLinkError extends Error {
  constructor(why: string) {
    super(`This share link cannot be opened: ${why}.`);
    this.name = 'ShareLinkError';
  }
}
