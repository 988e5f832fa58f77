import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMesh } from '../config/load';
import { indexMesh } from '../config/mesh-index';
import { computeEntry, runEntry } from '../../test/fixtures/events';
import { sniffSkip } from './sniff';

const index = indexMesh(parseMesh(readFileSync(resolve(__dirname, '../../deploy/mesh.example.yaml'), 'utf8'), 'mesh.example.yaml'));
const mesh = () => index;
const noMesh = () => {
  throw new Error('the mesh was read');
};

describe('sniffSkip: proves irrelevance from the text, or says nothing', () => {
  it('skips an unhandled method without reading the mesh, compact or pretty-printed', () => {
    const entry = runEntry();
    entry.protoPayload.methodName = 'storage.objects.create';
    for (const text of [JSON.stringify(entry), JSON.stringify(entry, null, 2)]) {
      expect(sniffSkip(text, noMesh)).toEqual({
        skip: 'unhandled-method',
        detail: 'storage.objects.create is not a method mesh-remediator acts on',
      });
    }
  });

  it('skips a handled method on resources no declared service owns', () => {
    const entry = computeEntry();
    entry.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/forwardingRules/other';
    expect(sniffSkip(JSON.stringify(entry), mesh)).toEqual({
      skip: 'not-declared',
      detail:
        'v1.compute.forwardingRules.delete on projects/demo-project/regions/asia-northeast1/forwardingRules/other is not part of any declared service',
    });
    const run = runEntry();
    run.protoPayload.resourceName = 'namespaces/demo-project/services/other';
    expect(sniffSkip(JSON.stringify(run), mesh)?.skip).toBe('not-declared');
  });

  it('says nothing when the mesh cannot be read: the full decoder decides', () => {
    const entry = computeEntry();
    entry.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/forwardingRules/other';
    expect(sniffSkip(JSON.stringify(entry), noMesh)).toBeUndefined();
  });

  it('says nothing for declared resources and for anything it cannot read for sure', () => {
    expect(sniffSkip(JSON.stringify(runEntry()), mesh)).toBeUndefined();
    expect(sniffSkip(JSON.stringify(computeEntry()), mesh)).toBeUndefined();
    expect(sniffSkip('{"textPayload":"no method here"}', noMesh)).toBeUndefined();
    // two different handled methods
    expect(
      sniffSkip('{"methodName":"v1.compute.addresses.delete","x":{"methodName":"v1.compute.urlMaps.delete"}}', noMesh),
    ).toBeUndefined();
    // an escaped or non-string value
    expect(sniffSkip('{"methodName":"storage.objects.cre\\u0061te"}', noMesh)).toBeUndefined();
    expect(sniffSkip('{"methodName":null}', noMesh)).toBeUndefined();
    // a project number, a name that does not parse, no resourceName at all
    const numbered = runEntry();
    numbered.protoPayload.resourceName = 'namespaces/123456789012/services/other';
    expect(sniffSkip(JSON.stringify(numbered), mesh)).toBeUndefined();
    const odd = computeEntry();
    odd.protoPayload.resourceName = 'projects/demo-project/regions/asia-northeast1/addresses/x';
    expect(sniffSkip(JSON.stringify(odd), mesh)).toBeUndefined();
    const unnamed = computeEntry();
    delete unnamed.protoPayload.resourceName;
    expect(sniffSkip(JSON.stringify(unnamed), mesh)).toBeUndefined();
  });
});
