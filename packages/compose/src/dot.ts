// The composition as a Graphviz DOT graph: instances (boxes, with their component), the
// composition's open imports and exports (ellipses), and the wires between them, labelled with
// the import names. Deterministic, like the encoder. Rendering to SVG is the caller's business.
import type { CompositionGraph } from "./graph.js";

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** The graph in DOT. Throws a `CompositionError` if the graph does not check. */
export function graphToDot(graph: CompositionGraph, title = "composition"): string {
  const r = graph.resolve();
  const lines = [
    `digraph ${quote(title)} {`,
    "  rankdir=LR;",
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const importNode = (name: string) => quote(`import:${name}`);
  const instNode = (id: number) => quote(`instance:${graph.instanceName(id)}`);
  for (const imp of r.imports) {
    lines.push(`  ${importNode(imp.name)} [label=${quote(imp.name)}, shape=ellipse, style=dashed];`);
  }
  for (const id of r.order) {
    const c = graph.componentOf(id);
    const label = c.name === graph.instanceName(id) ? c.name : `${graph.instanceName(id)}\n(${c.name})`;
    lines.push(`  ${instNode(id)} [label=${quote(label)}, shape=box, style=rounded];`);
  }
  for (const id of r.order) {
    for (const [imp, ref] of r.args.get(id)!) {
      const from = ref.kind === "import" ? importNode(ref.name) : instNode(ref.instance);
      const what = ref.kind === "export" ? (ref.member === undefined ? ref.name : `${ref.name}.${ref.member}`) : imp;
      const label = what !== imp ? `${what} -> ${imp}` : imp;
      lines.push(`  ${from} -> ${instNode(id)} [label=${quote(label)}];`);
    }
  }
  for (const [name, ref] of graph.exports) {
    const node = quote(`export:${name}`);
    lines.push(`  ${node} [label=${quote(name)}, shape=ellipse, style=bold];`);
    if (ref.kind === "export") {
      const what = ref.member === undefined ? ref.name : `${ref.name}.${ref.member}`;
      const label = what === name ? "" : `, label=${quote(what)}`;
      lines.push(`  ${instNode(ref.instance)} -> ${node} [style=bold${label}];`);
    } else if (ref.kind === "instance") lines.push(`  ${instNode(ref.instance)} -> ${node} [style=bold];`);
    else lines.push(`  ${importNode(ref.name)} -> ${node} [style=bold];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Renders DOT as SVG with Graphviz compiled to wasm (@viz-js/viz, loaded on first use). */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  return (await instance()).renderString(dot, { format: "svg" });
}
