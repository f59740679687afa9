/** An AdmissionReview (admission.k8s.io/v1) of a CREATE, as the API server sends it to a webhook. */
const RESOURCES = {
  Pod: ['', 'v1', 'pods'],
  Deployment: ['apps', 'v1', 'deployments'],
  StatefulSet: ['apps', 'v1', 'statefulsets'],
  DaemonSet: ['apps', 'v1', 'daemonsets'],
  Job: ['batch', 'v1', 'jobs'],
  CronJob: ['batch', 'v1', 'cronjobs'],
};

export function admissionReview(object, uid) {
  const [group, version, resource] = RESOURCES[object.kind] ?? ['', 'v1', `${object.kind.toLowerCase()}s`];
  const kind = { group, version, kind: object.kind };
  const gvr = { group, version, resource };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `00000000-0000-4000-8000-${uid.padStart(12, '0').slice(-12)}`,
      kind,
      resource: gvr,
      requestKind: kind,
      requestResource: gvr,
      name: object.metadata?.name,
      namespace: object.metadata?.namespace ?? 'default',
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:argocd:argocd-application-controller',
        uid: '5b3c1a2e-8f4d-4c6b-9a1e-2d7f0c9b8a61',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
      },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions', fieldManager: 'argocd-controller' },
    },
  };
}
