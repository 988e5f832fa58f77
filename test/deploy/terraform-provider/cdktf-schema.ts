// Reads a Terraform provider schema back out of a prebuilt cdktf provider package
// (@cdktf/provider-google): its generated JavaScript names every attribute and block exactly as the
// provider schema does, and its shape says what kind each one is:
//   get x() { return this.getStringAttribute('snake') }  an attribute (getter kind = type);
//                                                       a setter makes it configurable, a reset
//                                                       method optional, no setter computed-only
//   this._x = new FooOutputReference(this, "snake")      a block of at most one (list, max 1)
//   this._x = new FooList(this, "snake", wrapsSet)       a list (or set) block
//   // snake - computed: C, optional: O, required: R      the flags of a block, or of a computed
//                                                       object attribute
// The result has the layout of `terraform providers schema -json` (block, attributes, block_types).
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>];

export interface SchemaAttribute {
  type: CtyType;
  required?: true;
  optional?: true;
  computed?: true;
}

export interface SchemaBlockType {
  nesting_mode: 'single' | 'list' | 'set';
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}

export interface TypeSchema {
  version: number;
  block: SchemaBlock;
}

interface Flags {
  computed: boolean;
  optional: boolean;
  required: boolean;
}

/** One child object a class creates in its constructor. */
interface ChildObject {
  snake: string;
  className: string;
  wrapsSet?: boolean;
  flags?: Flags;
}

interface ClassInfo {
  name: string;
  /** camelCase getter → an attribute read (`this.getXAttribute('snake')`) or a child field. */
  getters: Map<string, { snake: string; type: CtyType } | { field: string }>;
  setters: Set<string>;
  resets: Set<string>;
  children: Map<string, ChildObject>;
  /** For a `FooList`: the element class its get(index) returns. */
  element?: string;
}

const ATTRIBUTE_READERS: Record<string, CtyType> = {
  getStringAttribute: 'string',
  getNumberAttribute: 'number',
  getBooleanAttribute: 'bool',
  getListAttribute: ['list', 'string'],
  getNumberListAttribute: ['list', 'number'],
  getStringMapAttribute: ['map', 'string'],
  getNumberMapAttribute: ['map', 'number'],
  getBooleanMapAttribute: ['map', 'bool'],
  getAnyMapAttribute: ['map', 'dynamic'],
};

const MAP_CLASSES: Record<string, CtyType> = {
  'cdktf.StringMap': ['map', 'string'],
  'cdktf.NumberMap': ['map', 'number'],
  'cdktf.BooleanMap': ['map', 'bool'],
  'cdktf.AnyMap': ['map', 'dynamic'],
  'cdktf.StringMapList': ['list', ['map', 'string']],
};

const FLAGS = /(\w+) - computed: (true|false), optional: (true|false), required: (true|false)/;

function flagsIn(comments: string): Flags | undefined {
  const m = FLAGS.exec(comments);
  return m ? { computed: m[2] === 'true', optional: m[3] === 'true', required: m[4] === 'true' } : undefined;
}

/** `this.getXAttribute('snake')` or `cdktf.Fn.tolist(this.getListAttribute('snake'))`. */
function attributeRead(expr: ts.Expression): { snake: string; type: CtyType } | undefined {
  if (!ts.isCallExpression(expr)) return undefined;
  const callee = expr.expression;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'tolist' && expr.arguments[0]) {
    const inner = attributeRead(expr.arguments[0]);
    return inner && Array.isArray(inner.type) ? { snake: inner.snake, type: ['set', inner.type[1] as CtyType] } : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const type = ATTRIBUTE_READERS[callee.name.text];
  const [arg] = expr.arguments;
  return type !== undefined && arg && ts.isStringLiteral(arg) ? { snake: arg.text, type } : undefined;
}

function returned(body: ts.Block | undefined): ts.Expression | undefined {
  const statement = body?.statements.find(ts.isReturnStatement);
  return statement?.expression;
}

/** Every class of one generated module, by name. */
export function readClasses(file: string): Map<string, ClassInfo> {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const classes = new Map<string, ClassInfo>();
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const info: ClassInfo = { name: statement.name.text, getters: new Map(), setters: new Set(), resets: new Set(), children: new Map() };
    for (const member of statement.members) {
      const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (ts.isGetAccessorDeclaration(member) && name) {
        const expr = returned(member.body);
        const read = expr && attributeRead(expr);
        if (read) info.getters.set(name, read);
        else if (expr && ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword) {
          info.getters.set(name, { field: expr.name.text });
        }
      } else if (ts.isSetAccessorDeclaration(member) && name) {
        info.setters.add(name);
      } else if (ts.isMethodDeclaration(member) && name?.startsWith('reset')) {
        info.resets.add(name.slice('reset'.length));
      } else if (ts.isMethodDeclaration(member) && name === 'get') {
        const expr = returned(member.body);
        if (expr && ts.isNewExpression(expr)) info.element = expr.expression.getText();
      } else if (ts.isConstructorDeclaration(member)) {
        for (const s of member.body?.statements ?? []) {
          if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression)) continue;
          const { left, right } = s.expression;
          if (!ts.isPropertyAccessExpression(left) || !ts.isNewExpression(right)) continue;
          const [, snakeArg, setArg] = right.arguments ?? [];
          if (!snakeArg || !ts.isStringLiteral(snakeArg)) continue;
          const comments = (ts.getLeadingCommentRanges(text, s.getFullStart()) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n');
          info.children.set(left.name.text, {
            snake: snakeArg.text,
            className: right.expression.getText(),
            ...(setArg ? { wrapsSet: setArg.kind === ts.SyntaxKind.TrueKeyword } : {}),
            ...(flagsIn(comments) ? { flags: flagsIn(comments)! } : {}),
          });
        }
      }
    }
    classes.set(info.name, info);
  }
  return classes;
}

const capitalized = (camel: string): string => camel.charAt(0).toUpperCase() + camel.slice(1);

/** The schema block a resource, data source or nested-block class describes. */
export function blockOf(classes: Map<string, ClassInfo>, className: string, topLevel: boolean): SchemaBlock {
  const info = classes.get(className);
  if (!info) throw new Error(`no class ${className}`);
  const attributes: Record<string, SchemaAttribute> = {};
  const blockTypes: Record<string, SchemaBlockType> = {};
  for (const [camel, getter] of info.getters) {
    if ('snake' in getter) {
      const configurable = info.setters.has(camel);
      const optional = info.resets.has(capitalized(camel));
      // SDK resources compute `id`; everything else is as the bindings say.
      const computed = !configurable || (topLevel && getter.snake === 'id');
      attributes[getter.snake] = {
        type: getter.type,
        ...(configurable && !optional ? { required: true as const } : {}),
        ...(configurable && optional ? { optional: true as const } : {}),
        ...(computed ? { computed: true as const } : {}),
      };
      continue;
    }
    const child = info.children.get(getter.field);
    if (!child) continue;
    const mapType = MAP_CLASSES[child.className];
    if (mapType) {
      const configurable = info.setters.has(camel);
      attributes[child.snake] = { type: mapType, ...(configurable ? { optional: true as const } : { computed: true as const }) };
      continue;
    }
    const isList = child.className.endsWith('List');
    const elementClass = isList ? classes.get(child.className)?.element : child.className;
    if (!elementClass) throw new Error(`${className}.${camel}: no element class for ${child.className}`);
    const computedOnly = child.flags?.computed === true && !child.flags.optional && !child.flags.required;
    if (computedOnly) {
      attributes[child.snake] = { type: [child.wrapsSet ? 'set' : 'list', objectType(classes, elementClass)], computed: true };
      continue;
    }
    const block = blockOf(classes, elementClass, false);
    if (child.snake === 'timeouts' && topLevel) {
      blockTypes[child.snake] = { nesting_mode: 'single', block };
      continue;
    }
    blockTypes[child.snake] = {
      nesting_mode: isList && child.wrapsSet ? 'set' : 'list',
      block,
      ...(child.flags?.required ? { min_items: 1 } : {}),
      ...(isList ? {} : { max_items: 1 }),
    };
  }
  return {
    ...(Object.keys(attributes).length ? { attributes: sortKeys(attributes) } : {}),
    ...(Object.keys(blockTypes).length ? { block_types: sortKeys(blockTypes) } : {}),
  };
}

/** A computed nested value as one cty object type. */
function objectType(classes: Map<string, ClassInfo>, className: string): CtyType {
  const block = blockOf(classes, className, false);
  const fields: Record<string, CtyType> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) fields[name] = attribute.type;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    fields[name] = [nested.nesting_mode === 'set' ? 'set' : 'list', objectType(classes, classNameOf(classes, className, name))];
  }
  return ['object', sortKeys(fields)];
}

function classNameOf(classes: Map<string, ClassInfo>, className: string, snake: string): string {
  const child = [...classes.get(className)!.children.values()].find((c) => c.snake === snake)!;
  return child.className.endsWith('List') ? classes.get(child.className)!.element! : child.className;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The top-level class of a generated resource or data-source module (the one with tfResourceType). */
export function typeSchema(file: string, typeName: string): TypeSchema {
  const text = readFileSync(file, 'utf8');
  const m = new RegExp(`\\n(\\w+)\\.tfResourceType = "${typeName}";`).exec(text);
  if (!m) throw new Error(`${file}: no class with tfResourceType ${typeName}`);
  return { version: 0, block: blockOf(readClasses(file), m[1]!, true) };
}

/**
 * The provider's own configuration block, from its `synthesizeHclAttributes` listing: every
 * attribute and block of a provider configuration is optional.
 */
export function providerSchema(file: string): TypeSchema {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const hclFunctions = new Map<string, ts.ObjectLiteralExpression>();
  let top: ts.ObjectLiteralExpression | undefined;
  const attrsLiteral = (body: ts.Block | undefined): ts.ObjectLiteralExpression | undefined => {
    for (const s of body?.statements ?? []) {
      if (ts.isVariableStatement(s)) {
        const init = s.declarationList.declarations[0]?.initializer;
        if (init && ts.isObjectLiteralExpression(init)) return init;
      }
    }
    return undefined;
  };
  for (const s of source.statements) {
    if (ts.isFunctionDeclaration(s) && s.name?.text.endsWith('ToHclTerraform')) {
      const literal = attrsLiteral(s.body);
      if (literal) hclFunctions.set(s.name.text, literal);
    }
    if (ts.isClassDeclaration(s)) {
      for (const member of s.members) {
        if (ts.isMethodDeclaration(member) && member.name.getText() === 'synthesizeHclAttributes') top = attrsLiteral(member.body);
      }
    }
  }
  if (!top) throw new Error(`${file}: no synthesizeHclAttributes`);
  const block = (literal: ts.ObjectLiteralExpression): SchemaBlock => {
    const attributes: Record<string, SchemaAttribute> = {};
    const blockTypes: Record<string, SchemaBlockType> = {};
    for (const property of literal.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) continue;
      const entry = property.initializer;
      const field = (key: string): string | undefined => {
        const p = entry.properties.find((q) => q.name?.getText() === key);
        return p && ts.isPropertyAssignment(p) ? p.initializer.getText() : undefined;
      };
      const name = property.name.getText();
      const storage = JSON.parse(field('storageClassType') ?? '""') as string;
      if (field('isBlock') === 'true') {
        const nested = /(\w+ToHclTerraform)/.exec(field('value') ?? '')?.[1];
        const nestedLiteral = nested ? hclFunctions.get(nested) : undefined;
        if (!nestedLiteral) throw new Error(`${file}: provider block ${name} has no attribute listing`);
        blockTypes[name] = { nesting_mode: JSON.parse(field('type') ?? '"list"') === 'set' ? 'set' : 'list', block: block(nestedLiteral) };
        continue;
      }
      const types: Record<string, CtyType> = {
        string: 'string',
        number: 'number',
        boolean: 'bool',
        stringList: ['list', 'string'],
        stringMap: ['map', 'string'],
      };
      const type = types[storage];
      if (type === undefined) throw new Error(`${file}: provider attribute ${name} has storage ${storage}`);
      attributes[name] = { type, optional: true };
    }
    return {
      ...(Object.keys(attributes).length ? { attributes: sortKeys(attributes) } : {}),
      ...(Object.keys(blockTypes).length ? { block_types: sortKeys(blockTypes) } : {}),
    };
  };
  return { version: 0, block: block(top) };
}
