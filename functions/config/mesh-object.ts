// A mesh kept in Cloud Storage: MESH_CONFIG=gs://BUCKET/OBJECT, for fleets whose mesh outgrows a
// Secret Manager secret (64 KiB, docs/google-behaviour.md). Downloaded once when an instance starts,
// with the real @google-cloud/storage client, which is loaded only when such a URL is used (a file
// mesh loads no Storage code). STORAGE_EMULATOR_HOST points it at a local emulator (plain HTTP, no
// credentials). Every failure is a MeshConfigError naming the URL: the same config-error path as
// an unreadable file, never a thrown stack.
import type { Storage } from '@google-cloud/storage';
import type { HostPort } from './environment';
import { DeadlineExceeded, withDeadline } from '../deadline';
import { MeshConfigError, ROOT_PATH } from './mesh-config-error';

const GS_URL = /^gs:\/\/([a-z0-9][-_.a-z0-9]*)\/(.+)$/;
/** A download that has not finished by then counts as unreadable (the function must start). */
export const MESH_DOWNLOAD_DEADLINE_MS = 30_000;

export function isMeshObjectUrl(location: string): boolean {
  return location.startsWith('gs://');
}

/** The mesh's text from gs://BUCKET/OBJECT. */
export async function downloadMesh(url: string, emulator: HostPort | undefined): Promise<string> {
  const parsed = GS_URL.exec(url);
  if (!parsed) throw unreadable(url, 'a Cloud Storage mesh is named gs://BUCKET/OBJECT');
  const [, bucket, object] = parsed as unknown as [string, string, string];
  const where = emulator ? `${emulator.host}:${emulator.port} (${emulator.variable})` : 'storage.googleapis.com';
  try {
    const download = (await storage(emulator)).bucket(bucket).file(object).download();
    const [contents] = await withDeadline(download, MESH_DOWNLOAD_DEADLINE_MS, `downloading ${url} from ${where}`);
    return contents.toString('utf8');
  } catch (err) {
    throw unreadable(url, reason(err, where));
  }
}

async function storage(emulator: HostPort | undefined): Promise<Storage> {
  // Loaded here, not at the top: only a gs:// mesh pays for the Storage client's load.
  const { Storage: StorageClient } = await import('@google-cloud/storage');
  // Few, quick retries: the function waits for its mesh before it judges any event.
  const retryOptions = { maxRetries: 2, totalTimeout: MESH_DOWNLOAD_DEADLINE_MS / 1000 };
  return new StorageClient(emulator ? { apiEndpoint: `http://${emulator.host}:${emulator.port}`, retryOptions } : { retryOptions });
}

/** Google's answer in words: the status it gave (docs/google-behaviour.md, Cloud Storage), or the cause. */
function reason(err: unknown, where: string): string {
  if (err instanceof DeadlineExceeded) return err.message;
  const code = (err as { code?: unknown }).code;
  if (code === 404) return `no such object or bucket at ${where} (404)`;
  if (code === 403 || code === 401)
    return `${where} refused the read (${code}): the reader needs storage.objects.get on the object (the Terraform module grants it)`;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `${where}: ${typeof code === 'number' || typeof code === 'string' ? `${code} ` : ''}${message}`;
}

function unreadable(url: string, why: string): MeshConfigError {
  return new MeshConfigError(url, [{ path: ROOT_PATH, message: `cannot read mesh config: ${why}` }]);
}
