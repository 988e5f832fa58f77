// The committed provider schema is fresh: it covers exactly the types deploy/ uses, nobody edited
// it by hand, its provider version is one the module accepts, and (where the cdktf package is at
// hand) the generator reproduces it byte for byte. The reader is checked on a small module shaped
// like the generated bindings.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typeSchema } from './cdktf-schema';
import { GENERATED_SCHEMA, readGeneratedSchema } from './google-schema';
import { contentHash, GENERATE_COMMAND, generateSchema, serializeSchema, usedTypes } from './google-schema-generate';
import { testOrSkip } from '../../support/test-or-skip';

const schema = readGeneratedSchema();

describe('google-schema.generated.json', () => {
  it('covers exactly the resource and data-source types deploy/ declares', async () => {
    const used = await usedTypes();
    const hint = `regenerate: ${GENERATE_COMMAND}`;
    expect([Object.keys(schema.resource_schemas).sort(), hint]).toEqual([used.resources, hint]);
    expect([Object.keys(schema.data_source_schemas).sort(), hint]).toEqual([used.dataSources, hint]);
  });

  it('is unedited: its content hash matches', () => {
    expect(contentHash(schema)).toBe(schema.content_sha256);
  });

  it('comes from the provider version the module pins (6.x, at least 6.13)', () => {
    const [major, minor] = schema.source.provider_version.split('.').map(Number);
    expect(major).toBe(6);
    expect(minor).toBeGreaterThanOrEqual(13);
    expect(schema.source.package).toBe('@cdktf/provider-google');
  });

  const packageDir = process.env.CDKTF_PROVIDER_GOOGLE_DIR;
  testOrSkip(Boolean(packageDir), 'set CDKTF_PROVIDER_GOOGLE_DIR to an installed @cdktf/provider-google to compare')(
    'is what the generator writes from CDKTF_PROVIDER_GOOGLE_DIR',
    async () => {
      expect(serializeSchema(await generateSchema(packageDir!))).toBe(readFileSync(GENERATED_SCHEMA, 'utf8'));
    },
    120_000,
  );
});

describe('cdktf-schema reader', () => {
  // The shapes the cdktf generator emits, reduced to one of each.
  const MODULE = `
class ThingSpecOutputReference extends cdktf.ComplexObject {
    constructor(terraformResource, terraformAttribute) {
        super(terraformResource, terraformAttribute, false, 0);
    }
    get size() {
        return this.getNumberAttribute('size');
    }
    set size(value) {
        this._size = value;
    }
    get uri() {
        return this.getStringAttribute('uri');
    }
}
class ThingRuleOutputReference extends cdktf.ComplexObject {
    get key() {
        return this.getStringAttribute('key');
    }
    set key(value) {
        this._key = value;
    }
}
class ThingRuleList extends cdktf.ComplexList {
    get(index) {
        return new ThingRuleOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
    }
}
class ThingStatusOutputReference extends cdktf.ComplexObject {
    get phase() {
        return this.getStringAttribute('phase');
    }
}
class ThingStatusList extends cdktf.ComplexList {
    get(index) {
        return new ThingStatusOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
    }
}
class Thing extends cdktf.TerraformResource {
    constructor(scope, id, config) {
        super(scope, id, {});
        // labels_all - computed: true, optional: false, required: false
        this._labelsAll = new cdktf.StringMap(this, "labels_all");
        // spec - computed: false, optional: false, required: true
        this._spec = new ThingSpecOutputReference(this, "spec");
        // rule - computed: false, optional: true, required: false
        this._rule = new ThingRuleList(this, "rule", true);
        // status - computed: true, optional: false, required: false
        this._status = new ThingStatusList(this, "status", false);
    }
    get id() {
        return this.getStringAttribute('id');
    }
    set id(value) {
        this._id = value;
    }
    resetId() {
        this._id = undefined;
    }
    get name() {
        return this.getStringAttribute('name');
    }
    set name(value) {
        this._name = value;
    }
    get tags() {
        return cdktf.Fn.tolist(this.getListAttribute('tags'));
    }
    set tags(value) {
        this._tags = value;
    }
    resetTags() {
        this._tags = undefined;
    }
    get labelsAll() {
        return this._labelsAll;
    }
    get spec() {
        return this._spec;
    }
    get rule() {
        return this._rule;
    }
    get status() {
        return this._status;
    }
}
Thing.tfResourceType = "google_thing";
`;

  it('reads attributes, single and set blocks, and computed nested values as the provider declares them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cdktf-schema-')), 'index.js');
    writeFileSync(file, MODULE);
    expect(typeSchema(file, 'google_thing')).toEqual({
      version: 0,
      block: {
        attributes: {
          id: { type: 'string', optional: true, computed: true },
          labels_all: { type: ['map', 'string'], computed: true },
          name: { type: 'string', required: true },
          status: { type: ['list', ['object', { phase: 'string' }]], computed: true },
          tags: { type: ['set', 'string'], optional: true },
        },
        block_types: {
          rule: { nesting_mode: 'set', block: { attributes: { key: { type: 'string', required: true } } } },
          spec: {
            nesting_mode: 'list',
            min_items: 1,
            max_items: 1,
            block: { attributes: { size: { type: 'number', required: true }, uri: { type: 'string', computed: true } } },
          },
        },
      },
    });
  });
});
