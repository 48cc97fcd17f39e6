// Measures of the drawing, computed in the page on what is shown (the
// elements not hidden by a filter): degree (distinct neighbours),
// betweenness (Brandes, normalized to [0, 1] like networkMetrics) and
// communities (Louvain, deterministic). They size and colour
// the nodes, group the layout and rank the labels. Computing them here
// costs no request: the page stays far within the rate limit, and the
// numbers are those of the network the analyst sees (the time slider and
// the side filter change them).

// nodes and the undirected adjacency (distinct neighbours) of a collection
function adjacency(nodes, edges) {
  const ids = nodes.map((n) => n.id());
  const index = new Map(ids.map((id, i) => [id, i]));
  const sets = ids.map(() => new Set());
  edges.forEach((e) => {
    const a = index.get(e.source().id());
    const b = index.get(e.target().id());
    if (a === undefined || b === undefined || a === b) return;
    sets[a].add(b);
    sets[b].add(a);
  });
  return { ids, adj: sets.map((s) => Int32Array.from(s)) };
}

// Brandes' betweenness on an unweighted undirected graph
function betweenness(adj) {
  const n = adj.length;
  const cb = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0, tail = 0, count = 0;
    queue[tail++] = s;
    while (head < tail) {
      const v = queue[head++];
      order[count++] = v;
      for (const w of adj[v]) {
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (let i = count - 1; i > 0; i--) {
      const w = order[i];
      for (const v of adj[w]) {
        if (dist[v] === dist[w] - 1) delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w]);
      }
      cb[w] += delta[w];
    }
  }
  // each pair was counted from both ends; normalize by the pairs
  // (n-1)(n-2)/2 that can have a node between them
  const norm = n > 2 ? (n - 1) * (n - 2) : 1;
  return Array.from(cb, (v) => v / norm);
}

// Louvain communities (modularity, local moves then aggregation, in a
// fixed order: deterministic); renumbered by size, largest first (0, 1, …).
// Label propagation (networkMetrics' method) folds a hub-and-spoke drawing
// into one or two groups; modularity keeps its clusters apart.
function communities(ids, adj) {
  const n0 = adj.length;
  let member = Int32Array.from({ length: n0 }, (_, i) => i); // original node -> current node
  // the current graph: weighted neighbours (Map) per node, self loops included
  let g = adj.map((nb) => new Map(Array.from(nb, (w) => [w, 1])));
  const order0 = Array.from({ length: n0 }, (_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : 1));
  let order = order0;
  for (let level = 0; level < 10; level++) {
    const n = g.length;
    const k = g.map((nb) => [...nb.values()].reduce((a, b) => a + b, 0));
    const m2 = k.reduce((a, b) => a + b, 0);
    if (!m2) break;
    const comm = Int32Array.from({ length: n }, (_, i) => i);
    const tot = Float64Array.from(k);
    let movedAny = false;
    for (let pass = 0; pass < 20; pass++) {
      let moved = false;
      for (const i of order) {
        const ci = comm[i];
        tot[ci] -= k[i];
        const w = new Map();
        for (const [j, wij] of g[i]) {
          if (j === i) continue;
          w.set(comm[j], (w.get(comm[j]) || 0) + wij);
        }
        let best = ci, gain = (w.get(ci) || 0) - (tot[ci] * k[i]) / m2;
        for (const [c, wc] of w) {
          const gc = wc - (tot[c] * k[i]) / m2;
          if (gc > gain + 1e-12) {
            best = c;
            gain = gc;
          }
        }
        comm[i] = best;
        tot[best] += k[i];
        if (best !== ci) moved = movedAny = true;
      }
      if (!moved) break;
    }
    if (!movedAny) break;
    // aggregate: one node per community
    const ren = new Map();
    for (const i of order) if (!ren.has(comm[i])) ren.set(comm[i], ren.size);
    const next = Array.from({ length: ren.size }, () => new Map());
    for (let i = 0; i < n; i++) {
      const a = ren.get(comm[i]);
      for (const [j, wij] of g[i]) {
        const b = ren.get(comm[j]);
        next[a].set(b, (next[a].get(b) || 0) + wij);
      }
    }
    member = member.map((v) => ren.get(comm[v]));
    g = next;
    order = Array.from({ length: next.length }, (_, i) => i);
  }
  const size = new Map();
  for (const l of member) size.set(l, (size.get(l) || 0) + 1);
  const rank = new Map([...size.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l], i) => [l, i]));
  return { community: Array.from(member, (l) => rank.get(l)), sizes: [...size.values()].sort((a, b) => b - a) };
}

// computeMeasures writes deg, btw and comm into the data of the shown
// nodes (hidden ones get zeros and comm -1) and returns a summary.
export function computeMeasures(cy) {
  const nodes = cy.nodes().not(".hidden");
  const edges = cy.edges().not(".hidden");
  const { ids, adj } = adjacency(nodes, edges);
  const btw = betweenness(adj);
  const { community, sizes } = communities(ids, adj);
  let maxDeg = 0, maxBtw = 0;
  cy.batch(() => {
    cy.nodes(".hidden").forEach((n) => n.data({ deg: 0, btw: 0, comm: -1 }));
    ids.forEach((id, i) => {
      const deg = adj[i].length;
      maxDeg = Math.max(maxDeg, deg);
      maxBtw = Math.max(maxBtw, btw[i]);
      cy.getElementById(id).data({ deg, btw: btw[i], comm: community[i] });
    });
  });
  return { nodes: ids.length, maxDeg, maxBtw, communities: sizes };
}

// ------------------------------------------------------------ scales

// twelve categorical colours that keep apart on the cream canvas, for the
// largest communities; the others share grey
export const CATEGORICAL = [
  "#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e",
  "#a6761d", "#e6ab02", "#17becf", "#8c564b", "#bcbd22", "#5f6b7a",
];
export const OTHER = "#b9b2a6";

// a sequential ramp (light to dark blue-purple), t in [0, 1]
const RAMP = ["#e0ecf4", "#9ebcda", "#8c96c6", "#8856a7", "#810f7c"];
export function ramp(t) {
  t = Math.max(0, Math.min(1, t || 0));
  const x = t * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(RAMP[i]), b = hex(RAMP[i + 1]);
  return `#${a.map((v, k) => Math.round(v + (b[k] - v) * f).toString(16).padStart(2, "0")).join("")}`;
}
export const RAMP_STOPS = RAMP;

function hex(c) {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

// relative luminance and contrast (WCAG 2)
export function luminance(c) {
  const [r, g, b] = hex(c).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
// the text colour (near-black or white) that reads best on background c
export function inkOn(c) {
  return contrast(c, "#1f2430") >= contrast(c, "#ffffff") ? "#1f2430" : "#ffffff";
}
