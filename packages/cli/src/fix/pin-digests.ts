/**
 * `pullguard fix --pin-digests`: the pins of one file's images — each unpinned image's reference
 * as written plus `@digest`, the digest its tag names now (for a multi-platform image, the index's).
 * Pinning in Git pins controllers too (unlike admission, which pins only Pods: docs/registry.md).
 */
import type { Diagnostic, ExtractedImage, ImageReferenceFix, LoadedManifests } from '@pullguard/engine';
import { pinnedImage, type RegistryLookups, tagLookup } from '@pullguard/engine/internals';

export interface FilePins {
  fixes: ImageReferenceFix[];
  /** Images that could not be pinned because a lookup failed: the file must stay as it is. */
  failures: Diagnostic[];
  /** Images left alone on purpose, and why (`file:line:column: not pinned: …` on stderr). */
  notes: string[];
}

export async function pinsFor(loaded: LoadedManifests, lookups: RegistryLookups): Promise<FilePins> {
  const pins: FilePins = { fixes: [], failures: [], notes: [] };
  const pending = loaded.images.map(async (image) => {
    const reference = image.reference;
    if (reference === undefined) return note(pins, image, 'the reference does not parse');
    if (reference.digest !== undefined) return; // already pinned: untouched
    if (image.pullPolicy.effective === 'Never') {
      return note(
        pins,
        image,
        'it is pulled with Never: its tag names an image loaded on the nodes, which a digest would not find',
      );
    }
    const answer = await lookups.resolve(tagLookup(reference));
    if (!answer.ok) {
      const { host, kind, message, hint } = answer.failure;
      pins.failures.push({
        code: 'REGISTRY_ERROR',
        message: `cannot pin ${image.raw}: ${host}: ${kind}: ${message}${hint ? ` (${hint})` : ''}; the file is left unchanged`,
        location: image.location,
        field: image.location === undefined ? image.pointer : undefined,
        severity: 'error',
      });
      return;
    }
    pins.fixes.push({
      pointer: image.pointer,
      field: image.container.type === 'volume' ? 'reference' : 'image',
      value: pinnedImage(image.raw, answer.manifest.digest),
      objectIndex: image.objectIndex,
      location: image.location,
      rule: 'pin-digests',
      policy: '',
      reason: `the digest ${reference.tag ?? 'latest'} names now`,
    });
  });
  await Promise.all(pending);
  // Lookups answer in any order: keep the file's order.
  const byPlace = (
    a: { objectIndex: number; pointer: string },
    b: { objectIndex: number; pointer: string },
  ) => a.objectIndex - b.objectIndex || (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0);
  pins.fixes.sort(byPlace);
  return pins;
}

function note(pins: FilePins, image: ExtractedImage, why: string): void {
  const at = image.location;
  const where = at === undefined ? image.pointer : `${at.file ?? '<input>'}:${at.line}:${at.column}`;
  pins.notes.push(`${where}: not pinned: ${image.raw}: ${why}`);
}
