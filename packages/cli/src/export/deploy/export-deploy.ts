/**
 * `pullguard export deploy`: everything a cluster needs to run pullguard's webhooks, as objects in
 * the order `kubectl apply -f -` should create them — the namespace first, what the Deployment
 * mounts before it, the webhook configurations last (they send requests to the Service).
 */
import type { WorkloadKind } from '../vap/workloads.js';
import { serviceDnsNames } from './layout.js';
import { certManagerCaSource, certManagerObjects, SELF_SIGNED_DAYS, selfSignedSecret } from './tls.js';
import { mutatingWebhooks, validatingWebhooks } from './webhooks.js';
import {
  deployment,
  disruptionBudget,
  namespace,
  namespaceReader,
  policiesConfigMap,
  service,
  serviceAccount,
  type WorkloadOptions,
} from './workload.js';
import { type SelfSignedTls, selfSignedTls } from './x509.js';

export type TlsMode = 'cert-manager' | 'self-signed';

export interface DeployOptions extends WorkloadOptions {
  kinds: readonly WorkloadKind[];
  tls: TlsMode;
  /** The clock, for `--self-signed` certificates' validity. */
  now: number;
}

export interface DeployExport {
  objects: object[];
  /** `--self-signed`: the certificates made (their expiry goes on stderr and in the Secret). */
  selfSigned: SelfSignedTls | undefined;
}

export function exportDeploy(o: DeployOptions): DeployExport {
  const selfSigned =
    o.tls === 'self-signed'
      ? selfSignedTls({
          commonName: 'pullguard',
          dnsNames: serviceDnsNames(o.namespace),
          now: o.now,
          ...SELF_SIGNED_DAYS,
        })
      : undefined;
  const webhookOptions = {
    namespace: o.namespace,
    version: o.version,
    kinds: o.kinds,
    ca: selfSigned ? { bundle: selfSigned.ca.certificate } : { injectFrom: certManagerCaSource(o.namespace) },
  };
  const objects: object[] = [
    namespace(o),
    ...(selfSigned ? [selfSignedSecret(o, selfSigned)] : certManagerObjects(o)),
    serviceAccount(o),
    ...namespaceReader(o),
    policiesConfigMap(o),
    service(o),
    deployment(o),
    disruptionBudget(o),
    validatingWebhooks(webhookOptions),
    mutatingWebhooks(webhookOptions),
  ];
  return { objects, selfSigned };
}
