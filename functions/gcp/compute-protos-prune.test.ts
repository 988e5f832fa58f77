import { Root, type Type } from 'protobufjs';
import { pruneProtos, type ProtoJson } from './compute-protos-prune';

// A small descriptor with the traps of protobufjs name resolution: a nested type shadowing a
// package-level one, a name found by walking up, a name found by the downward search of a
// sibling namespace, a fully qualified name, and an unused API version beside the used one.
const FULL: ProtoJson = {
  nested: {
    google: {
      nested: {
        api: {
          nested: {
            http: { extend: 'google.protobuf.MethodOptions', type: 'HttpRule', id: 72295728 },
            HttpRule: { fields: { get: { type: 'string', id: 2 } } },
          },
        },
        protobuf: { nested: { MethodOptions: { fields: {} }, Unused: { fields: {} } } },
        shop: {
          nested: {
            v1: {
              options: { go_package: 'shop' },
              nested: {
                Carts: {
                  methods: {
                    Get: { requestType: 'GetCartRequest', responseType: 'Cart', options: { '(google.api.http).get': '/carts/{id}' } },
                  },
                },
                Orders: { methods: { Get: { requestType: 'GetOrderRequest', responseType: 'Order' } } },
                GetCartRequest: { fields: { id: { type: 'string', id: 1 } } },
                Cart: {
                  fields: {
                    item: { type: 'Item', id: 1 },
                    status: { type: 'Status', id: 2 },
                    price: { type: 'google.shop.money.Money', id: 3 },
                    tag: { type: 'Tag', id: 4 },
                  },
                  nested: { Item: { fields: { sku: { type: 'string', id: 1 } } } },
                },
                Item: { fields: { unrelated: { type: 'Order', id: 1 } } },
                Status: { values: { OPEN: 0, CLOSED: 1 } },
                GetOrderRequest: { fields: { id: { type: 'string', id: 1 } } },
                Order: { fields: { id: { type: 'string', id: 1 } } },
                labels: { nested: { Tag: { fields: { key: { type: 'string', id: 1 } } } } },
              },
            },
            v1beta: { nested: { Cart: { fields: {} } } },
            money: { nested: { Money: { fields: { units: { type: 'int64', id: 1 } } } } },
          },
        },
      },
    },
  },
};

const names = (json: ProtoJson | undefined) => Object.keys(json?.nested ?? {});
const shop = (json: ProtoJson) => json.nested!.google!.nested!.shop!;

describe('pruneProtos', () => {
  const pruned = pruneProtos(FULL, ['google.shop.v1.Carts'], 'google.shop');

  it('keeps the service and exactly the types its methods reach, resolved as protobufjs resolves them', () => {
    expect(names(shop(pruned))).toEqual(['v1', 'money']);
    // Cart.item is Cart.Item (nested first), not v1.Item; Tag is found inside the sibling
    // namespace `labels` by the downward search; Money by its fully qualified name.
    expect(names(shop(pruned).nested!.v1).sort()).toEqual(['Cart', 'Carts', 'GetCartRequest', 'Status', 'labels'].sort());
    expect(names(shop(pruned).nested!.money)).toEqual(['Money']);
    expect(shop(pruned).nested!.v1!.options).toEqual({ go_package: 'shop' });
  });

  it('binds every kept field to the same type in the pruned Root as in the full one', () => {
    const full = Root.fromJSON(FULL);
    const small = Root.fromJSON(pruned);
    small.resolveAll();
    const cart = (root: Root) => root.lookupType('google.shop.v1.Cart').resolveAll() as Type;
    for (const field of cart(small).fieldsArray) {
      expect(field.resolvedType?.fullName).toBe(cart(full).fields[field.name]!.resolvedType?.fullName);
    }
    expect(cart(small).fields.item!.resolvedType!.fullName).toBe('.google.shop.v1.Cart.Item');
  });

  it('keeps everything outside the API namespace whole, kept objects byte for byte', () => {
    expect(pruned.nested!.google!.nested!.api).toBe(FULL.nested!.google!.nested!.api);
    expect(pruned.nested!.google!.nested!.protobuf).toBe(FULL.nested!.google!.nested!.protobuf);
    expect(shop(pruned).nested!.v1!.nested!.Cart).toBe(shop(FULL).nested!.v1!.nested!.Cart);
  });

  it('says which service or reference is missing', () => {
    expect(() => pruneProtos(FULL, ['google.shop.v1.Baskets'], 'google.shop')).toThrow('protos: no service google.shop.v1.Baskets');
    expect(() => pruneProtos(FULL, ['google.api.HttpRule'], 'google.shop')).toThrow('protos: no service google.api.HttpRule');
    expect(() => pruneProtos(FULL, ['google.shop.v1.Carts'], 'google.mall')).toThrow('protos: no namespace google.mall');
    const broken: ProtoJson = { nested: { p: { nested: { S: { methods: { M: { requestType: 'Missing', responseType: 'Missing' } } } } } } };
    expect(() => pruneProtos(broken, ['p.S'], 'p')).toThrow('protos: p.S.M refers to Missing, which does not resolve to a type');
  });
});
