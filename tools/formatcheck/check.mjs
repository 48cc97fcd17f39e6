// Re-reads Phakhi's export files with the libraries visualization
// front-ends use, and prints what each holds as JSON, for the Go tests:
//   node check.mjs DIR   (DIR holds graph.cytoscape.json, graph.graphology.json,
//                         graph.d3.json, graph.gexf, graph.graphml,
//                         graph.nodes.csv, graph.edges.csv)
// A file a library refuses makes the script exit non-zero.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Graph from 'graphology';
import gexf from 'graphology-gexf/node/index.js';
import graphml from 'graphology-graphml/node/index.js';
import cytoscape from 'cytoscape';
import { forceSimulation, forceLink } from 'd3-force';
import { parse as parseCSV } from 'csv-parse/sync';

const dir = process.argv[2];
const read = (name) => readFileSync(join(dir, name), 'utf8');
const out = {};

function summary(g) {
  const nodes = {};
  g.forEachNode((key, attrs) => { nodes[key] = { name: attrs.name, type: attrs.type, nameEn: attrs.nameEn }; });
  const edges = {};
  g.forEachEdge((key, attrs, source, target) => { edges[key] = { source, target, type: attrs.type, roleTh: attrs.roleTh, evidenceQuote: attrs.evidenceQuote }; });
  return { nodes: g.order, edges: g.size, nodeAttrs: nodes, edgeAttrs: edges };
}

// Cytoscape.js, headless, as a front-end would load the elements.
{
  const elements = JSON.parse(read('graph.cytoscape.json'));
  const cy = cytoscape({ headless: true, elements });
  const nodes = {};
  cy.nodes().forEach((n) => { nodes[n.id()] = { name: n.data('name'), type: n.data('type'), nameEn: n.data('nameEn') }; });
  const edges = {};
  cy.edges().forEach((e) => { edges[e.id()] = { source: e.source().id(), target: e.target().id(), type: e.data('type'), roleTh: e.data('roleTh'), evidenceQuote: e.data('evidenceQuote') }; });
  out.cytoscape = { nodes: cy.nodes().length, edges: cy.edges().length, nodeAttrs: nodes, edgeAttrs: edges };
}

// graphology (sigma.js).
out.graphology = summary(Graph.from(JSON.parse(read('graph.graphology.json'))));

// D3: a force simulation resolves every link's ends by id, or throws.
{
  const data = JSON.parse(read('graph.d3.json'));
  const sim = forceSimulation(data.nodes).force('link', forceLink(data.links).id((d) => d.id)).stop();
  sim.tick(1);
  const nodes = {};
  for (const n of data.nodes) nodes[n.id] = { name: n.name, type: n.type, nameEn: n.nameEn };
  const edges = {};
  for (const l of data.links) edges[l.id] = { source: l.source.id, target: l.target.id, type: l.type, roleTh: l.roleTh, evidenceQuote: l.evidenceQuote };
  out.d3 = { nodes: data.nodes.length, edges: data.links.length, nodeAttrs: nodes, edgeAttrs: edges };
}

// GEXF (Gephi) and GraphML, parsed by graphology's readers.
out.gexf = summary(gexf.parse(Graph, read('graph.gexf')));
out.graphml = summary(graphml.parse(Graph, read('graph.graphml')));

// CSV, as a spreadsheet or pandas would read it.
{
  const nodes = parseCSV(read('graph.nodes.csv'), { columns: true, bom: true });
  const edges = parseCSV(read('graph.edges.csv'), { columns: true, bom: true });
  const nodeAttrs = {};
  for (const n of nodes) nodeAttrs[n.id] = { name: n.name, type: n.type, nameEn: n.nameEn };
  const edgeAttrs = {};
  for (const e of edges) edgeAttrs[e.id] = { source: e.source, target: e.target, type: e.type, roleTh: e.roleTh, evidenceQuote: e.evidenceQuote };
  out.csv = { nodes: nodes.length, edges: edges.length, nodeAttrs, edgeAttrs };
}

process.stdout.write(JSON.stringify(out));
