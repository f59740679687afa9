import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MAX_REGISTRY_LABELS, registryMetrics } from './registry-metrics.js';

const request = (registry: string, code = '200') =>
  ({
    registry,
    host: registry,
    method: 'HEAD',
    purpose: 'manifest',
    status: 200,
    code,
    durationMs: 12,
  }) as const;

describe('the registry metrics', () => {
  it('count requests by registry, method and code, and cache outcomes, as Prometheus reads them', async () => {
    const prom = new Registry();
    const listener = registryMetrics(prom);
    listener.request?.(request('ghcr.io'));
    listener.request?.(request('ghcr.io'));
    listener.request?.({ ...request('docker.io', 'refused'), method: 'GET', status: undefined });
    listener.rateLimit?.({
      registry: 'docker.io',
      host: 'registry-1.docker.io',
      remaining: 76,
      windowSeconds: 21600,
    });
    for (const outcome of ['hit', 'hit', 'miss', 'stale'] as const)
      listener.cache?.({ outcome, registry: 'ghcr.io', kind: 'tag' });
    const text = await prom.metrics();
    expect(text).toContain(
      'pullguard_registry_requests_total{registry="ghcr.io",method="HEAD",code="200"} 2',
    );
    expect(text).toContain(
      'pullguard_registry_requests_total{registry="docker.io",method="GET",code="refused"} 1',
    );
    expect(text).toContain(
      'pullguard_registry_request_duration_seconds_sum{registry="ghcr.io",method="HEAD"} 0.024',
    );
    expect(text).toContain('pullguard_registry_ratelimit_remaining{registry="docker.io"} 76');
    expect(text).toContain('pullguard_digest_cache_hits_total 2');
    expect(text).toContain('pullguard_digest_cache_misses_total 1');
    expect(text).toContain('pullguard_digest_cache_stale_total 1');
  });

  it('label at most MAX_REGISTRY_LABELS registries by name: admitted images cannot add series without bound', async () => {
    const prom = new Registry();
    const listener = registryMetrics(prom);
    for (let i = 0; i <= MAX_REGISTRY_LABELS + 5; i++) listener.request?.(request(`r${i}.example`));
    listener.request?.(request('r0.example'));
    const text = await prom.metrics();
    expect(text).toContain(
      'pullguard_registry_requests_total{registry="r0.example",method="HEAD",code="200"} 2',
    );
    expect(text).toContain(
      `pullguard_registry_requests_total{registry="r${MAX_REGISTRY_LABELS - 1}.example",method="HEAD",code="200"} 1`,
    );
    expect(text).not.toContain(`registry="r${MAX_REGISTRY_LABELS}.example"`);
    expect(text).toContain('pullguard_registry_requests_total{registry="other",method="HEAD",code="200"} 6');
  });
});
