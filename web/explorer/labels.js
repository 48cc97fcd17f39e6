// Node labels that stay legible at every zoom and size: each label is drawn
// at a screen size of at least MIN_PX (the model font size follows the
// zoom), on a text background that keeps the edges from running through
// it, and labels are thinned by importance: the most important nodes are
// labelled first and a label that would overlap one already placed is left
// off (its name is in the tooltip, the panel and the search). The boxes
// are Cytoscape's own (renderedBoundingBox with the label only), so what is
// kept is what is drawn.

export const MIN_PX = 11; // the smallest label on screen, in CSS pixels
const TOP_PX = 13; // the labels of the most important nodes
const MAX_PX = 18; // no label grows past this when zoomed in
const BASE = 12; // the label size in model units at zoom 1
const GAP = 2; // pixels kept clear between two labels

// the screen size of a node's label at zoom z
function screenPx(z, top) {
  return Math.min(MAX_PX, Math.max(top ? TOP_PX : MIN_PX, BASE * z));
}

// a uniform grid of the placed boxes, to test overlaps in O(1) each
class Grid {
  constructor(cell) {
    this.cell = cell;
    this.cells = new Map();
  }
  keys(b) {
    const c = this.cell, out = [];
    for (let x = Math.floor(b.x1 / c); x <= Math.floor(b.x2 / c); x++) {
      for (let y = Math.floor(b.y1 / c); y <= Math.floor(b.y2 / c); y++) out.push(`${x},${y}`);
    }
    return out;
  }
  hits(b) {
    for (const k of this.keys(b)) {
      for (const o of this.cells.get(k) || []) {
        if (b.x1 < o.x2 + GAP && o.x1 < b.x2 + GAP && b.y1 < o.y2 + GAP && o.y1 < b.y2 + GAP) return true;
      }
    }
    return false;
  }
  add(b) {
    for (const k of this.keys(b)) {
      if (!this.cells.has(k)) this.cells.set(k, []);
      this.cells.get(k).push(b);
    }
  }
}

// forgetLabelSize makes Cytoscape measure a node's label again. When only
// a data-mapped font size changes (placeLabels changes it with every zoom,
// so the screen size stays put), Cytoscape 3.35 keeps the node's rendered
// style "clean" and its label measured by a key (the text hashed into the
// font's style hash) that can come out the same for two sizes: the label
// kept the box of the zoom before. Read off the canvas by
// web/e2e/legibility.mjs after zooming out to 0.18: a 13 px label in a
// box 64 px wide where its text takes 94, the text background too narrow
// and the overlap test below fooled (more labels kept than fit). Marking
// both stale (rscratch and rstyle are Cytoscape's per-element scratch, not
// a public API; there is none for this) is what a changed text would do.
function forgetLabelSize(n) {
  const p = n[0] && n[0]._private;
  if (!p) return;
  if (p.rscratch) p.rscratch.prefixedLabelDimsKey = undefined;
  if (p.rstyle) p.rstyle.clean = false;
}

// placeLabels labels the shown nodes of cy in the order of rank (ids, most
// important first; the rest after, by id), each if it overlaps no label
// placed before it; `top` is how many of the first get the larger size and
// their full (three-line) name, the others one line. Returns the count.
export function placeLabels(cy, rank, top) {
  const z = cy.zoom();
  const shown = cy.nodes().not(".hidden");
  const pos = new Map(rank.map((id, i) => [id, i]));
  const order = shown.toArray().sort((a, b) => {
    const pa = pos.has(a.id()) ? pos.get(a.id()) : Infinity;
    const pb = pos.has(b.id()) ? pos.get(b.id()) : Infinity;
    return pa - pb || (a.id() < b.id() ? -1 : 1);
  });
  // every shown node gets its candidate label at its size, then the boxes
  // are read and the labels that collide are taken off again
  cy.startBatch();
  order.forEach((n, i) => {
    const isTop = i < top;
    const px = screenPx(z, isTop);
    n.data({ lbl: isTop ? n.data("display") : n.data("display1"), fs: px / z, pad: 2 / z, my: 3 / z });
  });
  cy.endBatch();
  order.forEach(forgetLabelSize);
  const grid = new Grid(80);
  const drop = [];
  let placed = 0;
  for (const n of order) {
    if (!n.data("lbl")) continue;
    // the box the label takes on screen (with the node's overlay area, as
    // Cytoscape counts it): a label never covers another labelled node
    const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
    if (!(b.w > 0 && b.h > 0) || grid.hits(b)) {
      drop.push(n);
      continue;
    }
    grid.add(b);
    placed++;
  }
  cy.batch(() => drop.forEach((n) => n.data("lbl", "")));
  // edges whose label shows (hover, selection, path) follow the zoom too
  cy.batch(() => cy.edges().forEach((e) => e.data({ fs: Math.max(MIN_PX, Math.min(14, 10 * z)) / z, pad: 2 / z })));
  return placed;
}
