// The drawing as an SVG file, written here from what Cytoscape shows: the
// positions, sizes, shapes and rendered styles of the visible elements.
//
// Hand-written, not a library: the one Cytoscape SVG extension
// (cytoscape-svg, on canvas2svg) is GPL-3.0, and Phakhi has no licence
// that could take GPL code into its binary; no permissively licensed one
// exists. What a graph drawing needs is small: lines and quadratic
// curves with an arrowhead, a dozen node shapes, and labels as real text
// (so they stay selectable, searchable and sharp), in Sarabun, whose
// webfont the file embeds (SIL OFL 1.1 allows it) so Thai reads the same
// anywhere.

const FONT_FILES = [
  ["sarabun-thai-400-normal.woff2", 400, "U+0E01-0E5B, U+200C-200D, U+25CC"],
  ["sarabun-thai-700-normal.woff2", 700, "U+0E01-0E5B, U+200C-200D, U+25CC"],
  ["sarabun-latin-400-normal.woff2", 400, "U+0000-00FF, U+2000-206F, U+2191, U+2193, U+2212"],
  ["sarabun-latin-700-normal.woff2", 700, "U+0000-00FF, U+2000-206F, U+2191, U+2193, U+2212"],
];

function esc(s) {
  // XML text and attribute values; characters XML 1.0 cannot hold go
  return String(s)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const num = (v) => (Math.round(v * 100) / 100).toString();
const px = (v) => parseFloat(v) || 0;

// the embedded fonts, as @font-face rules with data: URLs (fetched from
// the page's own vendor folder; left out, with a fallback, if that fails)
async function fontFaces(base) {
  const rules = [];
  for (const [file, weight, range] of FONT_FILES) {
    try {
      const res = await fetch(`${base}${file}`);
      if (!res.ok) continue;
      const bytes = new Uint8Array(await res.arrayBuffer());
      let bin = "";
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      rules.push(`@font-face{font-family:"Sarabun";font-weight:${weight};src:url(data:font/woff2;base64,${btoa(bin)}) format("woff2");unicode-range:${range}}`);
    } catch {
      // the text falls back to the viewer's fonts
    }
  }
  return rules.join("\n");
}

// the outline of a node shape, centred on (x, y), w by h: Cytoscape's
// unit shapes (node-shapes.mjs) scaled to the node
function shapeSVG(shape, x, y, w, h, attrs) {
  const hw = w / 2, hh = h / 2;
  const poly = (pts) => `<polygon points="${pts.map(([a, b]) => `${num(x + a * hw)},${num(y + b * hh)}`).join(" ")}"${attrs}/>`;
  switch (shape) {
    case "ellipse":
      return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(hw)}" ry="${num(hh)}"${attrs}/>`;
    case "rectangle":
      return `<rect x="${num(x - hw)}" y="${num(y - hh)}" width="${num(w)}" height="${num(h)}"${attrs}/>`;
    case "round-rectangle": {
      const r = Math.min(w / 4, h / 4, 8);
      return `<rect x="${num(x - hw)}" y="${num(y - hh)}" width="${num(w)}" height="${num(h)}" rx="${num(r)}"${attrs}/>`;
    }
    case "barrel": {
      // straight sides, the top and bottom bowed
      const by = hh * 0.1;
      return `<path d="M${num(x - hw)},${num(y - hh + by)} Q${num(x)},${num(y - hh - by)} ${num(x + hw)},${num(y - hh + by)} L${num(x + hw)},${num(y + hh - by)} Q${num(x)},${num(y + hh + by)} ${num(x - hw)},${num(y + hh - by)} Z"${attrs}/>`;
    }
    case "diamond":
    case "round-diamond":
      return poly([[0, -1], [1, 0], [0, 1], [-1, 0]]);
    case "hexagon":
      return poly([[-1, 0], [-0.5, -1], [0.5, -1], [1, 0], [0.5, 1], [-0.5, 1]]);
    case "tag":
    case "round-tag":
      return poly([[-1, -1], [0.25, -1], [1, 0], [0.25, 1], [-1, 1]]);
    case "star": {
      const pts = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const r = i % 2 ? 0.382 : 1;
        pts.push([r * Math.cos(a), r * Math.sin(a)]);
      }
      return poly(pts);
    }
    default:
      return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(hw)}" ry="${num(hh)}"${attrs}/>`;
  }
}

// a label as text on its background, lines centred in the box b (model
// coordinates), optionally rotated by `angle` radians about its centre
function labelSVG(el, text, b, angle = 0) {
  const fs = px(el.style("font-size"));
  const lines = String(text).split("\n");
  const cx = (b.x1 + b.x2) / 2, cy = (b.y1 + b.y2) / 2;
  const bgOpacity = Number(el.style("text-background-opacity")) || 0;
  const rot = angle ? ` transform="rotate(${num((angle * 180) / Math.PI)} ${num(cx)} ${num(cy)})"` : "";
  const out = [`<g class="label"${rot}>`];
  if (bgOpacity > 0) {
    out.push(`<rect x="${num(b.x1)}" y="${num(b.y1)}" width="${num(b.x2 - b.x1)}" height="${num(b.y2 - b.y1)}" rx="${num(Math.min(fs / 4, (b.y2 - b.y1) / 2))}" fill="${esc(el.style("text-background-color"))}" fill-opacity="${num(bgOpacity)}"/>`);
  }
  const weight = el.style("font-weight") === "bold" ? 700 : Number(el.style("font-weight")) || 400;
  const top = cy - (lines.length * fs) / 2;
  out.push(`<text font-family="Sarabun, sans-serif" font-size="${num(fs)}" font-weight="${weight}" fill="${esc(el.style("color"))}" text-anchor="middle" dominant-baseline="central">`);
  lines.forEach((line, i) => out.push(`<tspan x="${num(cx)}" y="${num(top + fs * (i + 0.5))}">${esc(line)}</tspan>`));
  out.push("</text></g>");
  return out.join("");
}

// the path of an edge from its endpoints and control points, and the
// direction it arrives in
function edgeGeometry(e) {
  const s = e.sourceEndpoint(), t = e.targetEndpoint();
  const cps = (e.style("curve-style") === "bezier" || e.style("curve-style") === "unbundled-bezier") ? e.controlPoints() || [] : [];
  if (!cps.length) return { d: `M${num(s.x)},${num(s.y)} L${num(t.x)},${num(t.y)}`, from: s, t };
  // Cytoscape's multi-point bezier: quadratic pieces joined at the
  // midpoints between control points
  let d = `M${num(s.x)},${num(s.y)}`;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    const end = i === cps.length - 1 ? t : { x: (c.x + cps[i + 1].x) / 2, y: (c.y + cps[i + 1].y) / 2 };
    d += ` Q${num(c.x)},${num(c.y)} ${num(end.x)},${num(end.y)}`;
  }
  return { d, from: cps[cps.length - 1], t };
}

// Cytoscape's arrow size for an edge width (arrow-shapes.mjs): the
// triangle is 0.3 of it long and 0.3 wide
function arrowSVG(e, from, t, color, opacity) {
  const width = px(e.style("width"));
  const size = Math.max(Math.pow(width * 13.37, 0.9), 29) * (Number(e.style("arrow-scale")) || 1);
  const dx = t.x - from.x, dy = t.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len, uy = dy / len;
  const l = 0.3 * size, hw = 0.15 * size;
  const bx = t.x - ux * l, by = t.y - uy * l;
  return `<polygon points="${num(t.x)},${num(t.y)} ${num(bx - uy * hw)},${num(by + ux * hw)} ${num(bx + uy * hw)},${num(by - ux * hw)}" fill="${esc(color)}"${opacity < 1 ? ` fill-opacity="${num(opacity)}"` : ""}/>`;
}

// toSVG writes the visible drawing of cy (the whole of it, not only the
// viewport) on a `bg` background, with `padding` model units around.
// `fontBase` is the folder of the Sarabun webfont files.
export async function toSVG(cy, { bg = "#ffffff", padding = 20, fontBase = "/explore/vendor/fonts/", title = "" } = {}) {
  const shown = cy.elements(":visible");
  const bb = shown.boundingBox({ includeLabels: true, includeOverlays: false });
  const x0 = bb.x1 - padding, y0 = bb.y1 - padding;
  const w = bb.w + 2 * padding, h = bb.h + 2 * padding;
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(w)}" height="${num(h)}" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(h)}">`,
    `<title>${esc(title)}</title>`,
    `<!-- Phakhi graph explorer. Labels in Sarabun (SIL Open Font License 1.1, embedded). -->`,
    `<style>\n${await fontFaces(fontBase)}\n</style>`,
    `<rect x="${num(x0)}" y="${num(y0)}" width="${num(w)}" height="${num(h)}" fill="${esc(bg)}"/>`,
  ];
  const byZ = (a, b) => (Number(a.style("z-index")) || 0) - (Number(b.style("z-index")) || 0);
  const edgeLabels = [];
  out.push(`<g class="edges">`);
  for (const e of shown.edges().toArray().sort(byZ)) {
    const color = e.style("line-color");
    const opacity = e.effectiveOpacity();
    const { d, from, t } = edgeGeometry(e);
    out.push(`<g class="edge" data-id="${esc(e.id())}"${opacity < 1 ? ` opacity="${num(opacity)}"` : ""}>`);
    const dash = e.style("line-style") === "dashed" ? ` stroke-dasharray="6 3"` : e.style("line-style") === "dotted" ? ` stroke-dasharray="1 3"` : "";
    out.push(`<path d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${num(px(e.style("width")))}"${dash}/>`);
    if (e.style("target-arrow-shape") !== "none") out.push(arrowSVG(e, from, t, e.style("target-arrow-color"), 1));
    out.push(`</g>`);
    const text = e.style("label");
    if (text) {
      const s = e.sourceEndpoint();
      let angle = Math.atan2(t.y - s.y, t.x - s.x);
      if (angle > Math.PI / 2) angle -= Math.PI;
      if (angle < -Math.PI / 2) angle += Math.PI;
      // the unrotated label box, centred on the edge's midpoint
      const m = e.midpoint();
      const fs = px(e.style("font-size"));
      const pad = px(e.style("text-background-padding"));
      const tw = textWidth(text, fs) + 2 * pad;
      const th = fs * String(text).split("\n").length + 2 * pad;
      edgeLabels.push({ e, text, b: { x1: m.x - tw / 2, x2: m.x + tw / 2, y1: m.y - th / 2, y2: m.y + th / 2 }, angle, opacity });
    }
  }
  out.push(`</g>`);
  out.push(`<g class="nodes">`);
  for (const n of shown.nodes().toArray().sort(byZ)) {
    const p = n.position();
    const opacity = n.effectiveOpacity();
    const bw = px(n.style("border-width"));
    const attrs = ` fill="${esc(n.style("background-color"))}"${bw ? ` stroke="${esc(n.style("border-color"))}" stroke-width="${num(bw)}"` : ""}`;
    out.push(`<g class="node" data-id="${esc(n.id())}"${opacity < 1 ? ` opacity="${num(opacity)}"` : ""}>`);
    out.push(shapeSVG(n.style("shape"), p.x, p.y, n.width(), n.height(), attrs));
    const text = n.style("label");
    if (text) out.push(labelSVG(n, text, n.boundingBox({ includeLabels: true, includeNodes: false, includeOverlays: false })));
    out.push(`</g>`);
  }
  out.push(`</g>`);
  if (edgeLabels.length) {
    out.push(`<g class="edge-labels">`);
    for (const { e, text, b, angle, opacity } of edgeLabels) {
      out.push(`<g data-id="${esc(e.id())}"${opacity < 1 ? ` opacity="${num(opacity)}"` : ""}>${labelSVG(e, text, b, angle)}</g>`);
    }
    out.push(`</g>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}

// the width of a line of text at fs model units, in Sarabun (the widest
// line of a label)
let measureCtx;
function textWidth(text, fs) {
  measureCtx ||= document.createElement("canvas").getContext("2d");
  measureCtx.font = `${fs}px Sarabun, sans-serif`;
  return Math.max(...String(text).split("\n").map((l) => measureCtx.measureText(l).width));
}
