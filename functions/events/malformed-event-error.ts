// Input that is not any event shape we know, or whose payload cannot be decoded. Acknowledged with
// a log line (a retry would fail the same way), never thrown out of the function.
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}
