// Reading the declared mesh: YAML or JSON text (plain JSON without the YAML composer: json-text.ts) → schema check → defaults and derived names →
// uniqueness checks. Any problem anywhere → one MeshConfigError listing them all.
import { readFileSync } from 'node:fs';
import type { HostPort } from './environment';
import { parseDocument } from 'yaml';
import type { Mesh } from './mesh';
import type { MeshDocument } from './mesh-document';
import { MeshConfigError, ROOT_PATH } from './mesh-config-error';
import { schemaProblems } from './schema-check';
import { resolveMesh } from './resolve';
import { conflictProblems } from './conflicts';
import { parsePlainJson } from './json-text';
import { downloadMesh, isMeshObjectUrl } from './mesh-object';

/** Parses mesh.yaml / mesh.json text; `fileName` only labels the problems. */
export function parseMesh(text: string, fileName: string): Mesh {
  const plain = parsePlainJson(text);
  const document: unknown = plain !== undefined ? plain : parseYaml(text, fileName);
  const structural = schemaProblems(document);
  if (structural.length > 0) throw new MeshConfigError(fileName, structural);

  const { mesh, problems } = resolveMesh(document as MeshDocument);
  problems.push(...conflictProblems(mesh, document as MeshDocument));
  if (problems.length > 0) throw new MeshConfigError(fileName, problems);
  return mesh;
}

function parseYaml(text: string, fileName: string): unknown {
  // JSON is YAML 1.2, so one parser reads both; duplicate keys are errors, not silent overrides.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new MeshConfigError(
      fileName,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : ROOT_PATH,
        // prettyErrors appends " at line L, column C:" and a source excerpt; the path says where.
        message: (e.message.split('\n')[0] ?? e.code).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  return doc.toJS();
}

/** A mesh file, or a Cloud Storage object (gs://BUCKET/OBJECT, downloaded: mesh-object.ts). */
export async function readMesh(location: string, storageEmulator: HostPort | undefined): Promise<Mesh> {
  if (!isMeshObjectUrl(location)) return loadMesh(location);
  return parseMesh(await downloadMesh(location, storageEmulator), location);
}

/** A mesh file (readMesh also reads gs:// objects). */
export function loadMesh(path: string): Mesh {
  if (isMeshObjectUrl(path))
    throw new MeshConfigError(path, [
      { path: ROOT_PATH, message: 'a Cloud Storage mesh is downloaded at start (readMesh), not read as a file' },
    ]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new MeshConfigError(path, [{ path: ROOT_PATH, message: `cannot read mesh config: ${reason}` }]);
  }
  return parseMesh(text, path);
}
