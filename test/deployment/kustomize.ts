// Renders a kustomization without kubectl or kustomize: the subset infra/k8s uses (resources,
// namespace, images) and nothing else. A field outside that subset is an error, never ignored, so
// the rendering here cannot silently differ from `kubectl kustomize`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const supported = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images']);
const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);

/** The objects of a YAML file with one or more documents; a document holding only comments is skipped. */
export function readObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
    const object = document.toJS() as KubeObject | null;
    return object === null ? [] : [object];
  });
}

/** The pod template's containers and init containers of a Deployment or a Job. */
export function podContainers(object: KubeObject): Array<Record<string, unknown>> {
  const spec = (object['spec'] as { template?: { spec?: { containers?: unknown[]; initContainers?: unknown[] } } } | undefined)?.template
    ?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Array<Record<string, unknown>>;
}

function setImage(container: Record<string, unknown>, overrides: readonly ImageOverride[]): void {
  const image = String(container['image']);
  const name = image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  const override = overrides.find((candidate) => candidate.name === name);
  if (!override) return;
  const tag = override.digest ? `@${override.digest}` : override.newTag ? `:${override.newTag}` : image.slice(name.length);
  container['image'] = `${override.newName ?? name}${tag}`;
}

/** The objects `kubectl kustomize <dir>` would print, in the order of its resources. */
export function renderKustomization(dir: string): KubeObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const [kustomization] = readObjects(file) as unknown as Array<Record<string, unknown>>;
  if (!kustomization) throw new Error(`${file} is empty`);
  const unsupported = Object.keys(kustomization).filter((field) => !supported.has(field));
  if (unsupported.length > 0) throw new Error(`${file}: ${unsupported.join(', ')} not supported by this renderer (extend it first)`);

  const objects = ((kustomization['resources'] ?? []) as string[]).flatMap((resource) => {
    const target = path.join(dir, resource);
    if (!existsSync(target)) throw new Error(`${file}: resource ${resource} does not exist`);
    return statSync(target).isDirectory() ? renderKustomization(target) : readObjects(target);
  });
  const namespace = kustomization['namespace'] as string | undefined;
  const images = (kustomization['images'] ?? []) as ImageOverride[];
  for (const object of objects) {
    if (namespace && !clusterScoped.has(object.kind)) object.metadata.namespace = namespace;
    for (const container of podContainers(object)) setImage(container, images);
  }

  const seen = new Set<string>();
  for (const { kind, metadata } of objects) {
    const id = `${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is declared twice`);
    seen.add(id);
  }
  return objects;
}
