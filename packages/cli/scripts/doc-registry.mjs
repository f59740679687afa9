// A real registry for the documentation's examples (render-doc.mjs): Debian's docker-registry,
// started by @pullguard/registry's test harness on 127.0.0.1 and a free port, holding the images
// the document pushes with `<!-- registry: push … -->` comments. Pushes are seeded, so digests
// are the same on every run; the document writes the registry as DISPLAY_HOST, which stands for
// the real host in commands and files and replaces it in what the commands print.

/** How documents write the registry: a host of the same length as every real one (5-digit port). */
export const DISPLAY_HOST = '127.0.0.1:55000';

/** Why no registry can be started here, or undefined. */
export async function docRegistryUnavailable() {
  const { registryUnavailable } = await import('@pullguard/registry/test-support');
  return registryUnavailable();
}

export async function startDocRegistry() {
  const { startLocalRegistry } = await import('@pullguard/registry/test-support');
  let registry = await startLocalRegistry();
  // Ephemeral ports have 5 digits on Linux; a shorter host would shift table columns.
  for (let tries = 0; registry.host.length !== DISPLAY_HOST.length; tries++) {
    await registry.stop();
    if (tries === 5) throw new Error(`no registry port of ${DISPLAY_HOST.length - 10} digits`);
    registry = await startLocalRegistry();
  }
  const host = registry.host;
  return {
    /** Text as it runs: the document's registry host → the real one. */
    toReal: (text) => text.replaceAll(DISPLAY_HOST, host),
    /** Text as the document shows it: the real host → the document's. */
    toShown: (text) => text.replaceAll(host, DISPLAY_HOST),
    /**
     * `push REPO:TAG seed=S [platforms=os/arch,…]`: a seeded image (an index over one image per
     * platform when several are named), tagged — pushing a tag again moves it.
     */
    async run(directive) {
      const [verb, reference, ...rest] = directive.trim().split(/\s+/);
      const options = Object.fromEntries(rest.map((option) => option.split('=')));
      const match = /^([^:]+):([^:]+)$/.exec(reference ?? '');
      if (verb !== 'push' || !match || options.seed === undefined)
        throw new Error(`registry directive "${directive}": expected push REPO:TAG seed=S [platforms=…]`);
      const [, repository, tag] = match;
      const platforms = (options.platforms ?? 'linux/amd64').split(',').map((p) => {
        const [os, architecture] = p.split('/');
        return { os, architecture };
      });
      if (platforms.length === 1) await registry.push.pushImage(repository, tag, platforms[0], options.seed);
      else await registry.push.pushMultiPlatform(repository, tag, platforms, options.seed);
    },
    stop: () => registry.stop(),
  };
}
