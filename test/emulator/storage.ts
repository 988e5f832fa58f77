// Cloud Storage, as much of the JSON API as a download needs: objects.get, with `alt=media` the
// object's bytes, without it the object's metadata; a missing bucket or object answers Google's
// 404 body (docs/google-behaviour.md, Cloud Storage). Objects are put by tests (Emulator.storage).
// Paths: /storage/v1/b/BUCKET/o/OBJECT (Google's), and /b/BUCKET/o/OBJECT, which is what the Node
// client asks for when STORAGE_EMULATOR_HOST is set in its process (it takes the variable as the
// whole base URL; observed with @google-cloud/storage 7.22).
import { GoogleApiError } from './google-error';
import type { Json } from './json';

export type StorageReply = { status: number; body: Json } | { status: number; media: Buffer };

const OBJECT_PATH = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/;

export class StorageApi {
  private readonly objects = new Map<string, Buffer>();

  /** A path this surface serves (the server routes by it). */
  static serves(path: string): boolean {
    return OBJECT_PATH.test(path) || /^\/storage\/v1\//.test(path);
  }

  put(bucket: string, object: string, contents: string | Buffer): void {
    this.objects.set(`${bucket}/${object}`, Buffer.from(contents));
  }

  reset(): void {
    this.objects.clear();
  }

  /** `path` is decoded: an object name may contain '/' (sent as %2F). */
  handle(method: string, path: string, query: URLSearchParams): StorageReply {
    const match = OBJECT_PATH.exec(path);
    if (!match || method !== 'GET')
      throw new GoogleApiError(
        404,
        'NOT_FOUND',
        `The emulator serves only objects.get (GET .../b/BUCKET/o/OBJECT), not ${method} ${path}`,
        'notFound',
      );
    const [, bucket, object] = match as unknown as [string, string, string];
    const contents = this.objects.get(`${bucket}/${object}`);
    // Google's body for a missing object, as its JSON API status-code page shows it.
    if (!contents) throw new GoogleApiError(404, 'NOT_FOUND', 'Not Found', 'notFound');
    if (query.get('alt') === 'media') return { status: 200, media: contents };
    return { status: 200, body: { kind: 'storage#object', bucket, name: object, size: String(contents.length) } };
  }
}
