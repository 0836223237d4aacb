// Reading rendered manifests as the kubelet and the network plugin would: a container's
// environment with its ConfigMap and Secret references resolved, the files its settings name, and
// what the NetworkPolicies let through. Shared by the Kubernetes checks; no assertions here.
import path from 'node:path';
import type { KubeObject } from './kustomize.js';

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [field: string]: unknown;
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string }; emptyDir?: object }>;
  [field: string]: unknown;
}

export const find = (objects: readonly KubeObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

export const podSpecOf = (object: KubeObject | undefined) =>
  (object?.['spec'] as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;

export const podLabelsOf = (object: KubeObject | undefined): Labels =>
  (object?.['spec'] as { template?: { metadata?: { labels?: Labels } } } | undefined)?.template?.metadata?.labels ?? {};

export function selects(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return values.includes(labels[key] ?? '');
    if (operator === 'NotIn') return !values.includes(labels[key] ?? '');
    if (operator === 'Exists') return key in labels;
    return !(key in labels);
  });
  return byLabel && byExpression;
}

function secretValue(objects: readonly KubeObject[], name: string, key: string): string | undefined {
  const secret = find(objects, 'Secret', name) as { stringData?: Labels; data?: Labels } | undefined;
  if (secret?.stringData?.[key] !== undefined) return secret.stringData[key];
  const encoded = secret?.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

const configMapData = (objects: readonly KubeObject[], name: string) =>
  (find(objects, 'ConfigMap', name) as { data?: Labels } | undefined)?.data;

/** The environment the container starts with (envFrom first, env over it), and each reference that does not resolve. */
export function containerEnvironment(container: Container, objects: readonly KubeObject[]): { env: Labels; unresolved: string[] } {
  const env: Labels = {};
  const unresolved: string[] = [];
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name ?? source.secretRef?.name ?? '';
    const data = source.configMapRef ? configMapData(objects, name) : (find(objects, 'Secret', name)?.['stringData'] as Labels | undefined);
    if (!data) unresolved.push(`envFrom ${name}`);
    Object.assign(env, data ?? {});
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    if (valueFrom?.secretKeyRef) {
      const { name: secret, key } = valueFrom.secretKeyRef;
      const resolved = secretValue(objects, secret, key);
      if (resolved === undefined) unresolved.push(`${name} from Secret ${secret}/${key}`);
      else env[name] = resolved;
    } else if (valueFrom?.configMapKeyRef) {
      const { name: map, key } = valueFrom.configMapKeyRef;
      const resolved = configMapData(objects, map)?.[key];
      if (resolved === undefined) unresolved.push(`${name} from ConfigMap ${map}/${key}`);
      else env[name] = resolved;
    } else env[name] = value ?? '';
  }
  return { env, unresolved };
}

/** Why a file the container is told to read would not be there: no mount over it, or no such key in the mounted Secret. */
export function missingFile(pod: PodSpec, container: Container, file: string, objects: readonly KubeObject[]): string | null {
  const mount = (container.volumeMounts ?? []).find(({ mountPath }) => path.dirname(file) === mountPath);
  if (!mount) return `${file}: no volume mounted at ${path.dirname(file)}`;
  const secretName = pod.volumes?.find(({ name }) => name === mount.name)?.secret?.secretName;
  if (!secretName) return `${file}: volume ${mount.name} is not a Secret`;
  return secretValue(objects, secretName, path.basename(file)) === undefined
    ? `${file}: Secret ${secretName} has no ${path.basename(file)}`
    : null;
}

interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: Array<{ protocol?: string; port?: number }>;
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** A pod in this namespace (its labels), a pod elsewhere (its namespace's name too), or an address outside the cluster. */
export type Peer = { labels: Labels; namespace?: string } | { external: true };

function peerMatches(peers: PolicyPeer[] | undefined, peer: Peer): boolean {
  if (peers === undefined) return true; // no from/to: every peer
  return peers.some(({ podSelector, namespaceSelector, ipBlock }) => {
    if ('external' in peer) return ipBlock !== undefined;
    if (ipBlock) return false;
    const namespaceOk = namespaceSelector
      ? peer.namespace !== undefined && selects(namespaceSelector, { 'kubernetes.io/metadata.name': peer.namespace })
      : peer.namespace === undefined;
    const podOk = podSelector === undefined || Object.keys(podSelector).length === 0 || selects(podSelector, peer.labels);
    return namespaceOk && podOk;
  });
}

/**
 * Whether the NetworkPolicies let `pod` (its labels) open a TCP connection in `direction` with
 * `peer` on `port`: allowed when no policy of that direction selects the pod, else when a rule of one that does admits it.
 */
export function allowed(objects: readonly KubeObject[], direction: 'Ingress' | 'Egress', pod: Labels, peer: Peer, port: number): boolean {
  const policies = objects
    .filter((object) => object.kind === 'NetworkPolicy')
    .map((object) => object['spec'] as PolicySpec)
    .filter((spec) => spec.policyTypes.includes(direction))
    .filter((spec) => Object.keys(spec.podSelector).length === 0 || selects(spec.podSelector, pod));
  if (policies.length === 0) return true;
  return policies.some((spec) =>
    ((direction === 'Ingress' ? spec.ingress : spec.egress) ?? []).some(
      (rule) =>
        peerMatches(direction === 'Ingress' ? rule.from : rule.to, peer) &&
        (rule.ports === undefined || rule.ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port))),
    ),
  );
}

/** Kubernetes quantities as plain numbers: CPU in millicores, memory in MiB. */
export const millicores = (quantity: string) => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000);
export const mebibytes = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity}: write it in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};
