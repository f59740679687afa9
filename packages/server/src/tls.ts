import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** CA bundle that client certificates are verified against (`--client-ca`). */
  caFile?: string | undefined;
}

export interface KeyPair {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/**
 * Reads a certificate, its key (and the client CA) and checks that they belong together
 * (createSecureContext throws "key values mismatch" otherwise), so a half-rotated pair is never
 * served.
 */
export async function readKeyPair(files: TlsFiles): Promise<KeyPair> {
  const [cert, key, ca] = await Promise.all([
    readFile(files.certFile),
    readFile(files.keyFile),
    files.caFile === undefined ? undefined : readFile(files.caFile),
  ]);
  const pair = ca === undefined ? { cert, key } : { cert, key, ca };
  createSecureContext(pair);
  return pair;
}
