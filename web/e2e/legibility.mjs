// What the analyst tests assert of a drawing, read from the rendered page
// (window.phakhiCy and the canvas pixels): the node labels shown are at
// least 10 px on screen and no two of them overlap; labels of the focus
// and the selection show; and the labels are drawn at the size their
// style says (inked() reads the glyphs off the canvas).
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Failure, STEP_TIMEOUT } from "./browser.mjs";

export const MIN_LABEL_PX = 10;
// how far the size read off the canvas may stray from the style's
// (anti-aliasing takes about a pixel off each end of a line's ink)
export const DRAWN_TOLERANCE = 0.2;

// inked() reads, from the canvas pixels, the size at which up to `max`
// labels in view are drawn: the ink of a label's widest line (dark pixels
// inside its box) against the width the browser gives that line at the
// style's font size (measureText). A label drawn from a stale texture
// (Cytoscape caches label bitmaps per zoom level) or before its size
// followed the zoom shows a ratio away from 1. Only labels whose box no
// other node covers are read. Waits two frames first, so the canvas shows
// the current style.
export async function inked(page, max = 20) {
  return page.evaluate(async (max) => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const cy = window.phakhiCy;
    const w = cy.width(), h = cy.height();
    const canvases = Array.from(cy.container().querySelectorAll("canvas")).filter((c) => c.width && c.height);
    const ratio = canvases.length ? canvases[0].width / canvases[0].clientWidth : 1;
    const measure = document.createElement("canvas").getContext("2d");
    const labelled = cy.nodes(":visible").filter((n) => String(n.style("label") || "").trim() !== "");
    // labelled nodes are drawn above the unlabelled ones (z-index), and
    // a label's background hides what is under it: only another labelled
    // node, or an edge label (the selection's, drawn above the nodes), can
    // cover a label; such labels are not read
    const boxes = labelled.map((n) => ({ n, b: n.renderedBoundingBox({ includeLabels: false }) }))
      .concat(cy.edges(":visible").filter((e) => String(e.style("label") || "") !== "")
        .map((e) => ({ n: e, b: e.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }) })));
    const out = [];
    // ink: a blend of the text colour (#1f2430) over the label's cream
    // background (#fffdf8), at least half text; a node's or an edge's
    // colour is not such a blend: a blend moves its three channels by one
    // fraction (up to rounding), another colour moves them apart (a
    // hovered edge's #7d7468 by 0.14, which a bound of 0.2 took for ink)
    const text = [31, 36, 48], cream = [255, 253, 248];
    const isInk = (r, g, b) => {
      const t = [r, g, b].map((v, k) => (cream[k] - v) / (cream[k] - text[k]));
      return t[0] > 0.5 && Math.max(...t) - Math.min(...t) < 0.08;
    };
    for (const n of labelled.toArray()) {
      if (out.length >= max) break;
      const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
      if (b.x1 < 0 || b.y1 < 0 || b.x2 > w || b.y2 > h) continue; // not wholly in view
      if (boxes.some((o) => o.n.id() !== n.id() && o.b.x1 < b.x2 && b.x1 < o.b.x2 && o.b.y1 < b.y2 && b.y1 < o.b.y2)) continue;
      const px = parseFloat(n.renderedStyle("font-size"));
      measure.font = `${n.style("font-style")} ${n.style("font-weight")} ${px}px ${n.style("font-family")}`;
      // (a trailing "…" is left out: its dots are too faint to count as
      // ink, so the line's ink ends before it)
      const want = Math.max(...String(n.style("label")).split("\n").map((line) => {
        const m = measure.measureText(line.replace(/…$/, ""));
        return m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
      }));
      // a short label's ink can't be read to 20%: anti-aliasing and a faint
      // "." at an end take a few pixels (ธกส.: 18 of 23 px); the bug this
      // finds moves every label alike, so the longer ones show it
      if (want < 40) continue;
      const x0 = Math.floor(b.x1 * ratio), y0 = Math.floor(b.y1 * ratio);
      const cw = Math.ceil((b.x2 - b.x1) * ratio), ch = Math.ceil((b.y2 - b.y1) * ratio);
      let left = Infinity, right = -Infinity;
      for (const c of canvases) {
        const px4 = c.getContext("2d").getImageData(x0, y0, cw, ch).data;
        for (let y = 0; y < ch; y++) {
          for (let x = 0; x < cw; x++) {
            const i = (y * cw + x) * 4;
            if (px4[i + 3] > 160 && isInk(px4[i], px4[i + 1], px4[i + 2])) {
              if (x < left) left = x;
              if (x > right) right = x;
            }
          }
        }
      }
      if (!(right >= left) || !(want > 0)) {
        out.push({ id: n.id(), px, drawnPx: 0, ratio: 0 });
        continue;
      }
      const drawnW = (right - left + 1) / ratio;
      const box = cy.container().getBoundingClientRect();
      out.push({ id: n.id(), px, drawnPx: px * (drawnW / want), ratio: drawnW / want, text: String(n.style("label")),
        want, drawnW, clip: { x: box.left + b.x1 - 20, y: box.top + b.y1 - 20, width: b.x2 - b.x1 + 40, height: b.y2 - b.y1 + 40 } });
    }
    return out;
  }, max);
}

// labels() measures every node label drawn in the viewport: its rendered
// font size and its box (renderedBoundingBox with the label only, as
// Cytoscape draws it), and the pairs of boxes that overlap
export async function labels(page) {
  return page.evaluate(() => {
    const cy = window.phakhiCy;
    const w = cy.width(), h = cy.height();
    const shown = cy.nodes(":visible").filter((n) => String(n.style("label") || "").trim() !== "");
    const boxes = [];
    shown.forEach((n) => {
      const b = n.renderedBoundingBox({ includeLabels: true, includeNodes: false });
      if (b.x2 < 0 || b.y2 < 0 || b.x1 > w || b.y1 > h) return; // off screen
      boxes.push({ id: n.id(), px: parseFloat(n.renderedStyle("font-size")), b, text: n.style("label") });
    });
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].b, c = boxes[j].b;
        if (a.x1 < c.x2 && c.x1 < a.x2 && a.y1 < c.y2 && c.y1 < a.y2) overlaps.push(`${boxes[i].id} × ${boxes[j].id}`);
      }
    }
    const small = boxes.filter((x) => !(x.px >= 10)).map((x) => `${x.id} ${x.px.toFixed(1)}px`);
    return {
      zoom: cy.zoom(),
      nodes: cy.nodes(":visible").length,
      inView: cy.nodes(":visible").filter((n) => {
        const p = n.renderedPosition();
        return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
      }).length,
      count: boxes.length,
      ids: boxes.map((x) => x.id),
      minPx: boxes.length ? Math.min(...boxes.map((x) => x.px)) : 0,
      small,
      overlaps,
    };
  });
}

// legible() fails unless the labels shown are >= 10 px, none overlaps
// another, at least `atLeast` show and every id in `must` is labelled; and
// unless the labels read off the canvas (inked) are drawn >= 10 px, within
// DRAWN_TOLERANCE of their style's size (of 5 labels or more, at least
// one must be readable)
export async function legible(page, what, { atLeast = 1, must = [] } = {}) {
  const l = await labels(page);
  if (l.small.length) throw new Failure(`${what}: labels under ${MIN_LABEL_PX}px: ${l.small.slice(0, 8).join(", ")}`);
  if (l.overlaps.length) throw new Failure(`${what}: ${l.overlaps.length} pairs of labels overlap: ${l.overlaps.slice(0, 8).join(", ")}`);
  if (l.count < atLeast) throw new Failure(`${what}: only ${l.count} labels shown of ${l.inView} nodes in view (want >= ${atLeast})`);
  const missing = must.filter((id) => !l.ids.includes(id));
  if (missing.length) throw new Failure(`${what}: not labelled: ${missing.join(", ")}`);
  const ink = await inked(page);
  // with a handful of labels all may be short or covered; with more, some
  // must be readable
  if (!ink.length && l.count >= 5) throw new Failure(`${what}: none of the ${l.count} labels could be read off the canvas`);
  const off = ink.filter((x) => !(x.drawnPx >= MIN_LABEL_PX) || Math.abs(x.ratio - 1) > DRAWN_TOLERANCE);
  if (off.length) {
    // a picture of the first, to look at
    const shot = join(tmpdir(), `phakhi-label-${off[0].id}.png`);
    await page.screenshot({ path: shot, clip: off[0].clip }).catch(() => {});
    throw new Failure(`${what}: labels drawn at another size than their style's: ${off.slice(0, 8).map((x) => `${x.id} "${x.text}" style ${x.px.toFixed(1)}px, drawn ${x.drawnPx.toFixed(1)}px (ink ${x.drawnW.toFixed(0)} of ${x.want.toFixed(0)} px wide)`).join(", ")}; the first is in ${shot}`);
  }
  l.ink = ink;
  l.drawnMin = ink.length ? Math.min(...ink.map((x) => x.drawnPx)) : NaN;
  l.drawnRatios = ink.length ? [Math.min(...ink.map((x) => x.ratio)), Math.max(...ink.map((x) => x.ratio))] : [NaN, NaN];
  return l;
}

// zoomAt centres the view on a node, clicks the toolbar's zoom button
// `steps` times (in if > 0, out if < 0) and waits until the labels were
// placed again for the new zoom
export async function zoomAt(page, id, steps) {
  // (the block body returns nothing: cy.center() returns cy, and a page
  // function's result is serialized; Cytoscape's core, at 1,000 nodes,
  // serializes to gigabytes and the renderer runs out of heap: "Target
  // crashed")
  await page.evaluate((id) => {
    window.phakhiCy.center(window.phakhiCy.getElementById(id));
  }, id);
  const z0 = await page.evaluate(() => window.phakhiCy.zoom());
  const button = page.locator(steps > 0 ? "#zoom-in" : "#zoom-out");
  for (let i = 0; i < Math.abs(steps); i++) {
    const before = await page.evaluate(() => Number(document.body.dataset.labelRuns || 0));
    const zb = await page.evaluate(() => window.phakhiCy.zoom());
    await button.click();
    if ((await page.evaluate(() => window.phakhiCy.zoom())) === zb) break; // at the zoom limit
    await page.waitForFunction((before) => Number(document.body.dataset.labelRuns || 0) > before, before, { timeout: STEP_TIMEOUT })
      .catch(() => { throw new Failure(`zooming at ${id} did not place the labels again`); });
  }
  const z = await page.evaluate(() => window.phakhiCy.zoom());
  if (steps > 0 ? !(z > z0) : !(z < z0)) throw new Failure(`the zoom buttons did not zoom: ${z0} -> ${z}`);
  return z;
}


// svgOf parses an SVG export in the page (DOMParser, as a browser reads
// the file) and compares it with the drawing: its node and edge groups
// against the visible elements, the text of every node label shown, the
// embedded fonts; and loads it as an image (its natural size)
export async function svgOf(page, text) {
  return page.evaluate(async (text) => {
    const cy = window.phakhiCy;
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const err = doc.querySelector("parsererror");
    const result = { error: err ? err.textContent.slice(0, 200) : "", wantNodes: cy.nodes(":visible").length, wantEdges: cy.edges(":visible").length };
    if (err) return result;
    const groups = (cls) => Array.from(doc.querySelectorAll(`g.${cls}`));
    result.nodes = groups("node").length;
    result.edges = groups("edge").length;
    const textOf = new Map(groups("node").map((g) => [g.getAttribute("data-id"), Array.from(g.querySelectorAll("tspan"), (t) => t.textContent).join("\n")]));
    const shown = cy.nodes(":visible").filter((n) => String(n.style("label") || "").trim() !== "");
    result.labels = shown.length;
    result.missing = shown.filter((n) => textOf.get(n.id()) !== n.style("label")).map((n) => n.id());
    result.text = doc.documentElement.textContent;
    result.fonts = (text.match(/@font-face/g) || []).length;
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    result.image = await new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve({ w: img.naturalWidth, h: img.naturalHeight });
      img.onerror = () => resolve({ w: 0, h: 0, error: "did not load" });
      img.src = url;
    });
    URL.revokeObjectURL(url);
    return result;
  }, text);
}
