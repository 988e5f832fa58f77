// The compile-time proof that a switch handled every case of a union: adding a case elsewhere
// makes each switch that forgot it fail to compile. A value reaching it at run time is a bug.
export function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
