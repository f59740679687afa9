/** What the client presents to a registry or its token service. Never logged, never in a message. */
export type Credential =
  /** A username and password (or access token used as one): Basic auth, or Basic to the token realm. */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** docker/cli `identitytoken`: an OAuth2 refresh token traded at the realm for access tokens. */
  | { readonly kind: 'identity-token'; readonly token: string }
  /** docker/cli `registrytoken`: a bearer token sent to the registry as it is. */
  | { readonly kind: 'registry-token'; readonly token: string };

/** Finds the credential for a registry domain (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
export interface CredentialSource {
  /** Undefined means anonymous. Rejects with a LookupFailure when a credential helper fails. */
  lookup(registry: string, signal?: AbortSignal): Promise<Credential | undefined>;
}
