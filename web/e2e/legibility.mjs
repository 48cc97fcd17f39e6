// What the analyst tests assert of a drawing, read from the rendered page
// (window.phakhiCy): the node labels shown are at least 10 px on screen
// and no two of them overlap; labels of the focus and the selection show.
import { Failure, STEP_TIMEOUT } from "./browser.mjs";

export const MIN_LABEL_PX = 10;

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
// another, at least `atLeast` show and every id in `must` is labelled
export async function legible(page, what, { atLeast = 1, must = [] } = {}) {
  const l = await labels(page);
  if (l.small.length) throw new Failure(`${what}: labels under ${MIN_LABEL_PX}px: ${l.small.slice(0, 8).join(", ")}`);
  if (l.overlaps.length) throw new Failure(`${what}: ${l.overlaps.length} pairs of labels overlap: ${l.overlaps.slice(0, 8).join(", ")}`);
  if (l.count < atLeast) throw new Failure(`${what}: only ${l.count} labels shown of ${l.inView} nodes in view (want >= ${atLeast})`);
  const missing = must.filter((id) => !l.ids.includes(id));
  if (missing.length) throw new Failure(`${what}: not labelled: ${missing.join(", ")}`);
  return l;
}

// zoomAt centres the view on a node, clicks the toolbar's zoom button
// `steps` times (in if > 0, out if < 0) and waits until the labels were
// placed again for the new zoom
export async function zoomAt(page, id, steps) {
  await page.evaluate((id) => window.phakhiCy.center(window.phakhiCy.getElementById(id)), id);
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

