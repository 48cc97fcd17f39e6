// Re-reads Phakhi's export files with the libraries visualization
// front-ends use, and prints what each holds as JSON, for the Go tests:
//   node check.mjs DIR   (DIR holds graph.cytoscape.json, graph.graphology.json,
//                         graph.d3.json, graph.gexf, graph.graphml,
//                         graph.nodes.csv, graph.edges.csv, and the CSV
//                         zip's two files as graph.zip.nodes.csv and
//                         graph.zip.edges.csv)
// For each format: the numbers of nodes and edges, and every attribute of
// every node and edge as the library gives it back (edges with their
// source and target), keyed by id. A file a library refuses makes the
// script exit non-zero.
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

// without drops the keys a format adds on its own (ids, ends).
function without(attrs, ...keys) {
  const copy = { ...attrs };
  for (const k of keys) delete copy[k];
  return copy;
}

function summary(g) {
  const nodeAttrs = {};
  g.forEachNode((key, attrs) => { nodeAttrs[key] = { ...attrs }; });
  const edgeAttrs = {};
  g.forEachEdge((key, attrs, source, target) => { edgeAttrs[key] = { ...attrs, source, target }; });
  return { nodes: g.order, edges: g.size, nodeAttrs, edgeAttrs };
}

// Cytoscape.js, headless, loading the file as cy.json() does: the file is
// {"elements": {"nodes": [...], "edges": [...]}}.
{
  const file = JSON.parse(read('graph.cytoscape.json'));
  if (!file.elements || !Array.isArray(file.elements.nodes)) throw new Error('graph.cytoscape.json has no elements.nodes: cy.json() would load nothing');
  const cy = cytoscape({ headless: true });
  cy.json(file);
  const nodeAttrs = {};
  cy.nodes().forEach((n) => { nodeAttrs[n.id()] = without(n.data(), 'id'); });
  const edgeAttrs = {};
  cy.edges().forEach((e) => {
    edgeAttrs[e.id()] = { ...without(e.data(), 'id', 'source', 'target'), source: e.source().id(), target: e.target().id() };
  });
  out.cytoscape = { nodes: cy.nodes().length, edges: cy.edges().length, nodeAttrs, edgeAttrs };
}

// graphology (sigma.js).
out.graphology = summary(Graph.from(JSON.parse(read('graph.graphology.json'))));

// D3: a force simulation resolves every link's ends by id, or throws. The
// simulation writes positions into the objects, so the attributes come
// from a second reading of the file.
{
  const data = JSON.parse(read('graph.d3.json'));
  const pristine = JSON.parse(read('graph.d3.json'));
  const sim = forceSimulation(data.nodes).force('link', forceLink(data.links).id((d) => d.id)).stop();
  sim.tick(1);
  const nodeAttrs = {};
  for (const n of pristine.nodes) nodeAttrs[n.id] = without(n, 'id');
  const edgeAttrs = {};
  data.links.forEach((l, i) => {
    edgeAttrs[l.id] = { ...without(pristine.links[i], 'id', 'source', 'target'), source: l.source.id, target: l.target.id };
  });
  out.d3 = { nodes: data.nodes.length, edges: data.links.length, nodeAttrs, edgeAttrs };
}

// GEXF (Gephi) and GraphML, parsed by graphology's readers.
out.gexf = summary(gexf.parse(Graph, read('graph.gexf')));
out.graphml = summary(graphml.parse(Graph, read('graph.graphml')));

// CSV, as a spreadsheet or pandas would read it: every value a string.
function csv(nodesFile, edgesFile) {
  const nodes = parseCSV(read(nodesFile), { columns: true, bom: true });
  const edges = parseCSV(read(edgesFile), { columns: true, bom: true });
  const nodeAttrs = {};
  for (const n of nodes) nodeAttrs[n.id] = without(n, 'id');
  const edgeAttrs = {};
  for (const e of edges) edgeAttrs[e.id] = without(e, 'id');
  return { nodes: nodes.length, edges: edges.length, nodeAttrs, edgeAttrs };
}
out.csv = csv('graph.nodes.csv', 'graph.edges.csv');
out.csvzip = csv('graph.zip.nodes.csv', 'graph.zip.edges.csv');

process.stdout.write(JSON.stringify(out));
