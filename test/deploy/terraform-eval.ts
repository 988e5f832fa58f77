// Evaluates the small, deliberate subset of Terraform expressions the examples' mesh locals use:
// literals, `var.NAME` (the variable's default, or a value the test supplies for a variable
// without one), `local.NAME`, and string templates made of those. Anything else is refused with
// the expression named, so a richer expression in a mesh local fails loudly instead of being
// guessed at.
import type { TerraformConfig } from './terraform-config';

const WHOLE = /^\$\{([^{}]*)\}$/;
const PART = /\$\{([^{}]*)\}/g;

export class TerraformEvaluator {
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly config: TerraformConfig,
    /** Values for variables that have no default (like terraform.tfvars). */
    private readonly tfvars: Record<string, unknown> = {},
  ) {}

  evaluate(value: unknown): unknown {
    if (typeof value === 'string') return this.evaluateString(value);
    if (Array.isArray(value)) return value.map((v) => this.evaluate(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.evaluate(v)]));
    }
    return value;
  }

  local(name: string): unknown {
    if (!(name in this.config.locals)) throw new Error(`${this.config.dir}: no local ${name}`);
    if (this.evaluating.has(name)) throw new Error(`${this.config.dir}: local.${name} refers to itself`);
    this.evaluating.add(name);
    try {
      return this.evaluate(this.config.locals[name]);
    } finally {
      this.evaluating.delete(name);
    }
  }

  variable(name: string): unknown {
    if (name in this.tfvars) return this.tfvars[name];
    const declared = this.config.variables[name];
    if (!declared) throw new Error(`${this.config.dir}: var.${name} is not declared`);
    if (!('default' in declared)) throw new Error(`${this.config.dir}: var.${name} has no default and no tfvars value`);
    return this.evaluate(declared.default);
  }

  private evaluateString(text: string): unknown {
    const whole = WHOLE.exec(text);
    if (whole) return this.reference(whole[1]!);
    const out = text.replace(PART, (_, expr: string) => {
      const v = this.reference(expr);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new Error(`${this.config.dir}: \${${expr}} is not a primitive and cannot be interpolated`);
      }
      return String(v);
    });
    if (out.includes('${')) throw new Error(`${this.config.dir}: unsupported template ${JSON.stringify(text)}`);
    return out;
  }

  private reference(expr: string): unknown {
    const ref = /^\s*(var|local)\.([A-Za-z_][\w-]*)\s*$/.exec(expr);
    if (!ref) throw new Error(`${this.config.dir}: unsupported expression \${${expr}} (only var.NAME and local.NAME)`);
    return ref[1] === 'var' ? this.variable(ref[2]!) : this.local(ref[2]!);
  }
}
