// Browser test of the explorer at the 1,000-node cap, in Debian's Chromium
// driven by playwright-core: the Go test has imported ~1,000 extra nodes
// around CODI (importBundle), and a shared URL opens CODI at two hops with
// the cap at 1,000. Asserted from the rendered page: 1,000 nodes drawn and
// the status says the cap cut it; the labels shown are >= 10 px (as
// styled and as read off the canvas) and never overlap, fitted, zoomed in,
// out to the zoom limit and back in; the hubs stand apart (community layout);
// the PNG and SVG exports are real images (the SVG parses and holds the
// drawing's nodes, edges and labels); no request is rate limited.
//
//   node web/e2e/explore-cap.mjs http://127.0.0.1:8080 SCREENSHOT_DIR
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Failure, check, ok, run, STEP_TIMEOUT } from "./browser.mjs";
import { legible, zoomAt, svgOf } from "./legibility.mjs";

const [base, dir] = process.argv.slice(2);
if (!base || !dir) {
  console.error("usage: node explore-cap.mjs BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}

async function main({ page, pageErrors, badResponses }) {
  const url = new URL("/explore#roots=codi&depth=2&cap=1000&size=degree&color=community&group=community", base).href;
  await page.goto(url, { waitUntil: "load" });
  // a big drawing: the request, the measures and the layout take a while
  await page.waitForFunction(() => document.body.dataset.state === "idle" && window.phakhiCy && window.phakhiCy.nodes().length > 0, null, { timeout: 3 * STEP_TIMEOUT })
    .catch(async () => { throw new Failure(`CODI at the cap was not drawn (status "${await page.locator("#status").textContent()}"; ${pageErrors.join(" | ")})`); });
  const drawn = await page.evaluate(() => ({
    nodes: window.phakhiCy.nodes().length,
    edges: window.phakhiCy.edges().length,
    status: document.querySelector("#status").textContent,
    layoutMs: Number(document.body.dataset.layoutMs),
    comms: new Set(window.phakhiCy.nodes().map((n) => n.data("comm"))).size,
  }));
  check(drawn.nodes === 1000, `at the cap ${drawn.nodes} nodes are drawn, want 1000`);
  check(/truncated at the cap/.test(drawn.status) && drawn.status.includes("1000"), `the status does not say the cap cut the drawing: "${drawn.status}"`);
  ok(`CODI at two hops with cap 1000: ${drawn.nodes} nodes, ${drawn.edges} edges, ${drawn.comms} communities; status "${drawn.status}"; laid out in ${drawn.layoutMs} ms`);

  const fitted = await legible(page, "1000 nodes, fitted", { atLeast: 20, must: ["codi"] });
  // the hubs (networks of 30 groups) are labelled, and stand apart
  const hubs = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const hubs = cy.nodes('[id ^= "cap-net-"]');
    const labelled = hubs.filter((n) => n.style("label")).length;
    // the mean distance of a hub's members to their hub, against the
    // distance between hubs: clusters are tight and apart
    let inner = 0, count = 0;
    hubs.forEach((h) => h.incomers('edge[type = "MEMBER_OF"]').sources().forEach((m) => {
      inner += Math.hypot(m.position().x - h.position().x, m.position().y - h.position().y);
      count++;
    }));
    const hp = hubs.map((h) => h.position());
    let apart = 0, pairs = 0;
    for (let i = 0; i < hp.length; i++) for (let j = i + 1; j < hp.length; j++) {
      apart += Math.hypot(hp[i].x - hp[j].x, hp[i].y - hp[j].y);
      pairs++;
    }
    return { hubs: hubs.length, labelled, inner: inner / count, apart: apart / pairs };
  });
  check(hubs.hubs >= 25 && hubs.labelled >= hubs.hubs / 2, `${hubs.labelled} of ${hubs.hubs} hub networks are labelled`);
  check(hubs.apart > 2.5 * hubs.inner, `clusters do not stand apart: members are ${hubs.inner.toFixed(0)} from their hub, hubs ${hubs.apart.toFixed(0)} from each other`);
  await page.mouse.move(2, 2);
  const shot = join(dir, "explore-analyst-1000.png");
  await page.screenshot({ path: shot });
  ok(`fitted (zoom ${fitted.zoom.toFixed(2)}): ${fitted.count} labels >= ${fitted.minPx.toFixed(1)}px (drawn >= ${fitted.drawnMin.toFixed(1)}px), none overlapping; ${hubs.labelled}/${hubs.hubs} hubs labelled; members ${hubs.inner.toFixed(0)} from their hub, hubs ${hubs.apart.toFixed(0)} apart; screenshot ${shot}`);

  const zIn = await zoomAt(page, "cap-net-0", 4);
  const lIn = await legible(page, `1000 nodes zoomed in (zoom ${zIn.toFixed(2)})`, { atLeast: 5 });
  check(zIn > fitted.zoom * 1.5, `the zoom buttons did not zoom in: ${fitted.zoom} -> ${zIn}`);
  // out past the fitted view to the zoom limit, and back in
  const zOut = await zoomAt(page, "codi", -7);
  const lOut = await legible(page, `1000 nodes zoomed out (zoom ${zOut.toFixed(2)})`, { atLeast: 3, must: ["codi"] });
  check(zOut < fitted.zoom, `the zoom buttons did not zoom out past the fitted view: ${fitted.zoom} -> ${zOut}`);
  const zBack = await zoomAt(page, "codi", 3);
  const lBack = await legible(page, `1000 nodes zoomed back in (zoom ${zBack.toFixed(2)})`, { atLeast: 5, must: ["codi"] });
  const sizes = (l) => (l.ink.length ? `${l.count} labels, drawn ${l.drawnMin.toFixed(1)}px and up (${l.ink.length} read off the canvas, ${l.drawnRatios.map((r) => r.toFixed(2)).join("-")} of their style's size)` : `${l.count} labels (too short or covered to read off the canvas)`);
  ok(`fitted ${fitted.zoom.toFixed(2)}: ${sizes(fitted)}; in ${zIn.toFixed(2)}: ${sizes(lIn)}; out ${zOut.toFixed(2)}: ${sizes(lOut)}; back in ${zBack.toFixed(2)}: ${sizes(lBack)}; none overlapping`);

  const [d] = await Promise.all([page.waitForEvent("download", { timeout: STEP_TIMEOUT }), page.locator("#export-png").click()]);
  const p = await d.path();
  const png = readFileSync(p);
  check(statSync(p).size > 50_000 && png.subarray(1, 4).toString() === "PNG", `the PNG export at the cap is not a real image: ${statSync(p).size} bytes`);
  ok(`the PNG of the 1000-node view downloads: ${d.suggestedFilename()} ${statSync(p).size} bytes, ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);

  const [ds] = await Promise.all([page.waitForEvent("download", { timeout: STEP_TIMEOUT }), page.locator("#export-svg").click()]);
  const svgText = readFileSync(await ds.path(), "utf8");
  const svg = await svgOf(page, svgText);
  check(svg.error === "" && svg.nodes === svg.wantNodes && svg.edges === svg.wantEdges && svg.missing.length === 0 && svg.image.w > 100,
    `the SVG export at the cap: ${JSON.stringify({ ...svg, text: undefined, missing: (svg.missing || []).slice(0, 5) })}`);
  ok(`the SVG of the 1000-node view downloads: ${ds.suggestedFilename()} ${svgText.length} bytes, parses, ${svg.nodes} nodes, ${svg.edges} edges, the ${svg.labels} labels shown, a ${svg.image.w}×${svg.image.h} image`);

  const limited = badResponses.filter((r) => r.startsWith("429"));
  check(limited.length === 0, `rate limited: ${limited.join(" | ")}`);
  check(pageErrors.length === 0, `page errors: ${pageErrors.join(" | ")}`);
  ok("no request rate limited, no page errors");
}

await run(main);
