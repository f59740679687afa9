import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, ShareLinkError } from './share.js';

describe('share links', () => {
  it('carry every editor in the fragment, exactly', () => {
    const state = {
      policy: 'a: 1\n',
      manifests: 'kind: Pod # é 日本 🙂\n',
      namespaces: '',
      registry: 'nginx:1: 404\n',
    };
    const fragment = encodeState(state);
    expect(fragment).toMatch(/^#v1=[A-Za-z0-9+\-$]*$/);
    expect(decodeState(fragment)).toEqual(state);
  });

  it('open nothing without a fragment, and refuse a damaged one rather than half a state', () => {
    expect(decodeState('')).toBeUndefined();
    expect(() => decodeState('#v2=abc')).toThrow(ShareLinkError);
    expect(() =>
      decodeState(encodeState({ policy: 'x', manifests: '', namespaces: '', registry: '' }).slice(0, 8)),
    ).toThrow(ShareLinkError);
  });
});
