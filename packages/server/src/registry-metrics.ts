/**
 * The registry client's reports as Prometheus metrics (docs/registry.md#metrics, names from
 * `REGISTRY_METRICS`): requests by registry, method and status, their durations, Docker Hub's
 * remaining pulls, and the digest cache's hits, misses and stale answers. Operators tell "policy
 * denied" from "registry flaked" with them.
 */
import { REGISTRY_METRICS, type RegistryListener } from '@pullguard/registry';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Tally } from './metrics.js';

/**
 * Registries get their own label values up to this many; the rest are counted as `other`. The
 * registries come from the images of admitted objects: without a bound, whoever can create Pods
 * could add label values (series) without limit.
 */
export const MAX_REGISTRY_LABELS = 100;

/** A listener for `createResolverFromSettings` that records into `registry`. */
export function registryMetrics(registry: Registry): RegistryListener {
  const registers = [registry];
  const named = new Set<string>();
  const label = (name: string): string => {
    if (named.has(name)) return name;
    if (named.size >= MAX_REGISTRY_LABELS) return 'other';
    named.add(name);
    return name;
  };
  const requests = new Tally(
    registry,
    REGISTRY_METRICS.requestsTotal,
    'HTTP exchanges with registries and their token services, by registry, method and code (the HTTP status, or why there was none: refused, reset, dns, tls, aborted, …).',
    ['registry', 'method', 'code'] as const,
  );
  const duration = new Histogram({
    name: REGISTRY_METRICS.requestDurationSeconds,
    help: 'Duration of HTTP exchanges with registries and their token services, by registry and method.',
    labelNames: ['registry', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const remaining = new Gauge({
    name: REGISTRY_METRICS.rateLimitRemaining,
    help: 'Pulls left in the current rate-limit window, as the registry last said (Docker Hub ratelimit-remaining).',
    labelNames: ['registry'] as const,
    registers,
  });
  const cache = { hit: 0, miss: 0, stale: 0 };
  const cacheCounter = (name: string, help: string, outcome: keyof typeof cache) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(cache[outcome]);
      },
    });
  cacheCounter(
    REGISTRY_METRICS.cacheHitsTotal,
    'Registry lookups answered from the digest cache (a fresh tag digest, or a known digest).',
    'hit',
  );
  cacheCounter(REGISTRY_METRICS.cacheMissesTotal, 'Registry lookups that asked the registry.', 'miss');
  cacheCounter(
    REGISTRY_METRICS.cacheStaleTotal,
    'Lookups the registry failed, answered with a tag digest past its --digest-ttl (up to the hard TTL), marked stale.',
    'stale',
  );
  return {
    request(event) {
      const name = label(event.registry);
      requests.inc(`${name} ${event.method} ${event.code}`, () => ({
        registry: name,
        method: event.method,
        code: event.code,
      }));
      duration.labels(name, event.method).observe(event.durationMs / 1000);
    },
    rateLimit(event) {
      remaining.labels(label(event.registry)).set(event.remaining);
    },
    cache(event) {
      // Counted as numbers on the admission path, handed to prom-client when Prometheus scrapes.
      cache[event.outcome]++;
    },
  };
}
