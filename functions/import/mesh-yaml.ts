// Imported chains → mesh.yaml text: sorted, each entry preceded by the chain it was read from and
// each value followed by where it came from. Merging goes through the yaml package's Document API,
// which keeps every comment and every field import does not own (clients, policy, other entries).
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { DEFAULT_BACKEND } from '../config/mesh';
import { MeshConfigError, ROOT_PATH } from '../config/mesh-config-error';
import type { ImportedChain } from './chains';

/** A fresh mesh file holding the chains, in the order given (findChains sorts them). */
export function renderMesh(chains: ImportedChain[], header: string[]): string {
  const doc = new Document({ services: chains.map((c) => c.document) });
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  chains.forEach((chain, i) => annotate(doc, i, chain));
  return doc.toString({ lineWidth: 0 });
}

export interface Merged {
  text: string;
  added: string[];
  updated: string[];
  /** Declared entries import did not find in the scanned regions: kept exactly as written. */
  untouched: string[];
}

/** `existing` with each chain's entry updated in place (or appended), everything else kept. */
export function mergeMesh(existing: string, file: string, chains: ImportedChain[]): Merged {
  const doc = parseDocument(existing, { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new MeshConfigError(
      file,
      doc.errors.map((e) => ({ path: ROOT_PATH, message: e.message.split('\n')[0] ?? e.code })),
    );
  const services = doc.get('services');
  if (!isSeq(services)) throw new MeshConfigError(file, [{ path: 'services', message: 'must be a list to merge into' }]);
  const keyOf = (item: unknown) => (isMap(item) ? [item.get('project'), item.get('region'), item.get('service')].join('/') : '');
  const merged: Merged = { text: '', added: [], updated: [], untouched: [] };
  const seen = new Set<string>();
  for (const chain of chains) {
    seen.add(chain.key);
    let index = services.items.findIndex((item) => keyOf(item) === chain.key);
    if (index < 0) {
      services.add(doc.createNode(chain.document));
      index = services.items.length - 1;
      merged.added.push(chain.key);
    } else {
      updateEntry(doc, index, chain);
      merged.updated.push(chain.key);
    }
    annotate(doc, index, chain);
  }
  merged.untouched = services.items.map(keyOf).filter((key) => key && !seen.has(key));
  merged.text = doc.toString({ lineWidth: 0 });
  return merged;
}

/** Sets every value import owns; drops name overrides and backend settings it no longer finds. */
function updateEntry(doc: Document, index: number, chain: ImportedChain): void {
  const at = (...path: string[]) => ['services', index, ...path];
  const { document } = chain;
  doc.setIn(at('ingress'), document.ingress);
  const lb = document.loadBalancer;
  for (const field of ['namePrefix', 'network', 'subnetwork', 'ipAddress', 'port'] as const)
    doc.setIn(at('loadBalancer', field), lb[field]);
  const existingBackend = doc.getIn(at('loadBalancer', 'backend'));
  for (const field of Object.keys(DEFAULT_BACKEND) as Array<keyof typeof DEFAULT_BACKEND>) {
    const wanted = lb.backend?.[field];
    // A hand-written default stays written (with the value found, which is the default).
    if (wanted !== undefined) doc.setIn(at('loadBalancer', 'backend', field), wanted);
    else if (isMap(existingBackend) && existingBackend.has(field)) doc.setIn(at('loadBalancer', 'backend', field), DEFAULT_BACKEND[field]);
  }
  const existingNames = doc.getIn(at('loadBalancer', 'names'));
  if (isMap(existingNames)) {
    for (const pair of [...existingNames.items]) {
      const kind = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!lb.names || !(kind in lb.names)) existingNames.delete(kind);
    }
  }
  for (const [kind, name] of Object.entries(lb.names ?? {})) doc.setIn(at('loadBalancer', 'names', kind), name);
}

/** The chain above the entry, the origin of each value beside it. */
function annotate(doc: Document, index: number, chain: ImportedChain): void {
  const entry = doc.getIn(['services', index]) as YAMLMap;
  entry.commentBefore = [` imported from: ${chain.chain[0]}`, ...chain.chain.slice(1).map((line) => `   ${line}`)].join('\n');
  for (const [path, note] of Object.entries(chain.notes)) {
    const node = doc.getIn(['services', index, ...path.split('.')], true);
    if (isScalar(node)) node.comment = ` ${note}`;
  }
}
