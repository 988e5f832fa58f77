// The NODE_OPTIONS the Terraform module gives the functions, read from the module itself, so the
// fleet benches measure memory the way the function runs when deployed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';

export function deployedNodeOptions(): string {
  const tf = readFileSync(join(ROOT, 'deploy', 'terraform', 'function.tf'), 'utf8');
  const match = /^\s*NODE_OPTIONS\s*=\s*"([^"]*)"/m.exec(tf);
  if (!match?.[1]) throw new Error('deploy/terraform/function.tf sets no NODE_OPTIONS; the fleet benches run the function as deployed');
  return match[1];
}
