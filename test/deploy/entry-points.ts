// The entry points functions/index.ts registers with the Functions Framework, read from its
// syntax tree (functions.cloudEvent('name', ...) / functions.http('name', ...)) without running it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export type SignatureType = 'cloudevent' | 'http';

export const INDEX_FILE = join(__dirname, '..', '..', 'functions', 'index.ts');

export function registeredEntryPoints(file = INDEX_FILE): Record<string, SignatureType> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Record<string, SignatureType> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const [first] = node.arguments;
      if ((method === 'cloudEvent' || method === 'http') && first && ts.isStringLiteral(first)) {
        found[first.text] = method === 'http' ? 'http' : 'cloudevent';
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
