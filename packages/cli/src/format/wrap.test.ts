import { describe, expect, it } from 'vitest';
import { wrap } from './wrap.js';

describe('wrap', () => {
  it('breaks between words at the width', () => {
    expect(wrap('aaa bbb ccc ddd', 7)).toEqual(['aaa bbb', 'ccc ddd']);
  });

  it('leaves text that fits on one line as it is', () => {
    expect(wrap('fits  as  written', 17)).toEqual(['fits  as  written']);
  });

  it('keeps explicit line breaks', () => {
    expect(wrap('one\ntwo three', 20)).toEqual(['one', 'two three']);
  });

  it('keeps a word longer than the width on the line it starts', () => {
    expect(wrap('image registry.example/very/long/name@sha256:abc is wrong', 12)).toEqual([
      'image registry.example/very/long/name@sha256:abc',
      'is wrong',
    ]);
  });
});
