// A picture of each service's chain with every link's state: text for a terminal (a symbol per
// state, so it survives a pipe; colour on a terminal), Mermaid and Graphviz dot for docs and tickets.
import { LINK_SYMBOL, LINK_TITLE } from '../notify/describe';
import type { ChainLink, LinkState } from '../reconcile/chain';
import type { Colours } from './colour';

export const PICTURE_FORMATS = ['text', 'mermaid', 'dot'] as const;
export type PictureFormat = (typeof PICTURE_FORMATS)[number];

export interface ServiceChain {
  serviceKey: string;
  chain: ChainLink[];
}

export function stateColour(c: Colours, state: LinkState): (text: string) => string {
  const by: Record<LinkState, (text: string) => string> = { ok: c.green, missing: c.red, drifted: c.yellow, unknown: c.dim };
  return by[state];
}

/** One line per link, in traffic order: `→ ✗ forwarding rule  internal-lb-frontend  missing`. */
export function chainText(service: ServiceChain, c: Colours): string {
  const titleWidth = Math.max(...service.chain.map((l) => LINK_TITLE[l.kind].length));
  const nameWidth = Math.max(...service.chain.map((l) => l.name.length));
  const lines = service.chain.map((link, i) => {
    const colour = stateColour(c, link.state);
    const state = link.state === 'drifted' ? `drifted: ${link.fields.join(', ')}` : link.state;
    return `  ${i === 0 ? ' ' : '→'} ${colour(LINK_SYMBOL[link.state])} ${LINK_TITLE[link.kind].padEnd(titleWidth)}  ${link.name.padEnd(nameWidth)}  ${colour(state)}`;
  });
  return [`${c.bold(service.serviceKey)} chain:`, ...lines].join('\n') + '\n';
}

const FILL: Record<LinkState, { fill: string; stroke: string }> = {
  ok: { fill: '#e6f4ea', stroke: '#1e8e3e' },
  missing: { fill: '#fce8e6', stroke: '#d93025' },
  drifted: { fill: '#fef7e0', stroke: '#f9ab00' },
  unknown: { fill: '#f1f3f4', stroke: '#80868b' },
};

function label(link: ChainLink, newline: string): string {
  const state = link.state === 'drifted' ? `drifted: ${link.fields.join(', ')}` : link.state;
  return [`${LINK_SYMBOL[link.state]} ${LINK_TITLE[link.kind]}`, link.name, state].join(newline);
}

/** A Mermaid flowchart, one subgraph per service. */
export function chainMermaid(services: ServiceChain[]): string {
  const lines = ['flowchart LR'];
  services.forEach((service, s) => {
    const id = (link: ChainLink) => `s${s}_${link.kind}`;
    lines.push(`  subgraph s${s}["${service.serviceKey}"]`);
    for (const link of service.chain) lines.push(`    ${id(link)}["${label(link, '<br/>').replace(/"/g, '#quot;')}"]:::${link.state}`);
    lines.push(`    ${service.chain.map(id).join(' --> ')}`, '  end');
  });
  for (const [state, { fill, stroke }] of Object.entries(FILL)) lines.push(`  classDef ${state} fill:${fill},stroke:${stroke}`);
  return lines.join('\n') + '\n';
}

/** A Graphviz digraph, one cluster per service. */
export function chainDot(services: ServiceChain[]): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph chain {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="Helvetica"];'];
  services.forEach((service, s) => {
    const id = (link: ChainLink) => `s${s}_${link.kind}`;
    lines.push(`  subgraph cluster_${s} {`, `    label=${quote(service.serviceKey)};`);
    for (const link of service.chain) {
      const { fill, stroke } = FILL[link.state];
      lines.push(`    ${id(link)} [label=${quote(label(link, '\n')).replace(/\n/g, '\\n')}, fillcolor="${fill}", color="${stroke}"];`);
    }
    lines.push(`    ${service.chain.map(id).join(' -> ')};`, '  }');
  });
  return [...lines, '}'].join('\n') + '\n';
}
