// Browser test of the graph explorer at /explore, in Debian's Chromium
// driven by playwright-core. Asserts on what is drawn (window.phakhiCy and
// the canvas pixels), not only that the page loads.
//
//   node web/e2e/explore.mjs http://127.0.0.1:8080 /tmp/explore.png
//
// Exits 0 when every check passes, 1 with a clear message otherwise.
import { existsSync, statSync } from "node:fs";
import { Failure, check, ok, run, operations, THAI, STEP_TIMEOUT } from "./browser.mjs";

const [base, shot] = process.argv.slice(2);
if (!base || !shot) {
  console.error("usage: node explore.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}

// the public API, to compare what is drawn with what the server says
async function gql(query, variables) {
  const res = await fetch(new URL("/query", base), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Failure(`API error for ${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}
async function hoodIds(id) {
  const d = await gql(`query($id: ID!) { neighborhood(id: $id) { nodes { id } edges { id } } }`, { id });
  return { nodes: d.neighborhood.nodes.map((n) => n.id), edges: d.neighborhood.edges.map((e) => e.id) };
}

async function main({ page, pageErrors, badResponses }) {
  const { ops, settle } = operations(page, pageErrors);
  const cyInfo = () =>
    page.evaluate(() => {
      const cy = window.phakhiCy;
      return {
        nodes: cy.nodes().map((n) => n.id()),
        edges: cy.edges().map((e) => e.id()),
        visibleNodes: cy.nodes(":visible").length,
      };
    });
  // page coordinates of a node's center, or of an edge's midpoint
  async function pagePos(id) {
    return page.evaluate((id) => {
      const cy = window.phakhiCy;
      const el = cy.getElementById(id);
      const box = cy.container().getBoundingClientRect();
      const p = el.isNode() ? el.renderedPosition() : el.renderedMidpoint();
      return { x: box.left + p.x, y: box.top + p.y, inside: p.x > 5 && p.y > 5 && p.x < box.width - 5 && p.y < box.height - 5 };
    }, id);
  }
  // nodes whose center no other node (or edge midpoint, for edges) crowds
  async function clearTargets(kind) {
    return page.evaluate((kind) => {
      const cy = window.phakhiCy;
      const pts = cy.nodes(":visible").map((n) => ({ id: n.id(), p: n.renderedPosition(), r: n.renderedOuterWidth() / 2 }));
      // edges: only those without parallel siblings, whose midpoints are unambiguous
      const els = kind === "node" ? cy.nodes(":visible") : cy.edges(":visible").filter((e) => e.parallelEdges().length === 1);
      const free = [];
      els.forEach((el) => {
        const p = kind === "node" ? el.renderedPosition() : el.renderedMidpoint();
        let gap = Math.min(...pts.filter((q) => q.id !== el.id()).map((q) => Math.hypot(q.p.x - p.x, q.p.y - p.y) - q.r));
        if (kind === "edge") {
          // and no other edge passes near the midpoint
          cy.edges(":visible").forEach((o) => {
            if (o.same(el)) return;
            const a = o.source().renderedPosition(), b = o.target().renderedPosition();
            const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2 || 1;
            const t = Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2));
            gap = Math.min(gap, Math.hypot(p.x - a.x - t * (b.x - a.x), p.y - a.y - t * (b.y - a.y)));
          });
        }
        free.push({ id: el.id(), gap });
      });
      return free.sort((a, b) => b.gap - a.gap).filter((f) => f.gap > 14).map((f) => f.id);
    }, kind);
  }

  // 1. the page, its font and its graph library
  const res = await page.goto(new URL("/explore", base).href, { waitUntil: "load" });
  check(res && res.status() === 200, `GET /explore answered ${res && res.status()}`);
  await page.waitForFunction(() => document.body.dataset.state === "idle" && window.phakhiCy, null, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure("the explorer did not start: window.phakhiCy is missing or the page never became idle"); });
  check(await page.locator("header").isVisible(), "no header");
  const fontOk = await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check("12px Sarabun", "ภาคี") && [...document.fonts].some((f) => f.family.replace(/"/g, "") === "Sarabun" && f.status === "loaded");
  });
  check(fontOk, "the Sarabun Thai webfont did not load");
  ok("page /explore loaded with Cytoscape and the Sarabun Thai webfont");

  // 2. search in Thai, pick CODI
  let before = await ops();
  await page.locator("#search-input").fill("พอช");
  await page.locator("#search-input").press("Enter");
  const codiResult = page.locator('#search-results li[data-id="codi"]');
  await codiResult.waitFor({ timeout: STEP_TIMEOUT }).catch(() => { throw new Failure('searching "พอช" did not list CODI (id codi)'); });
  const resultText = await codiResult.innerText();
  check(resultText.includes("สถาบันพัฒนาองค์กรชุมชน"), `CODI's search result does not show its Thai name: ${resultText}`);
  ok('search "พอช" lists สถาบันพัฒนาองค์กรชุมชน (codi)');

  before = await ops();
  await codiResult.click();
  await settle(before, "drawing CODI's neighborhood", () => window.phakhiCy.nodes().length > 0 && window.phakhiCy.getElementById("codi").nonempty());
  const want = await hoodIds("codi");
  let info = await cyInfo();
  check(want.nodes.length >= 8 && want.edges.length >= 8, `the API's neighborhood of codi is too small to test: ${want.nodes.length} nodes`);
  check(info.nodes.length === want.nodes.length && info.edges.length === want.edges.length,
    `drawn ${info.nodes.length} nodes / ${info.edges.length} edges, the API has ${want.nodes.length} / ${want.edges.length}`);
  check(want.nodes.every((id) => info.nodes.includes(id)) && want.edges.every((id) => info.edges.includes(id)), "the drawing misses elements of the neighborhood");
  const drawn = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const codi = cy.getElementById("codi");
    const ext = cy.extent();
    const inView = cy.nodes().every((n) => {
      const p = n.position();
      return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2;
    });
    const colors = new Set(cy.nodes().map((n) => n.style("background-color")));
    // count painted pixels on the canvas layers
    let painted = 0;
    for (const c of cy.container().querySelectorAll("canvas")) {
      const ctx = c.getContext("2d");
      if (!c.width || !c.height) continue;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
    }
    return { label: codi.style("label"), root: codi.hasClass("root"), inView, colors: colors.size, painted, font: codi.style("font-family") };
  });
  check(drawn.root, "codi is not marked as the root");
  check(THAI.test(drawn.label), `codi's label is not Thai: "${drawn.label}"`);
  check(drawn.font.includes("Sarabun"), `labels do not use Sarabun: ${drawn.font}`);
  check(drawn.inView, "some nodes are outside the viewport after the layout");
  check(drawn.colors >= 3, `nodes are not colored by label (${drawn.colors} colors)`);
  check(drawn.painted > 5000, `the graph canvas is (nearly) blank: ${drawn.painted} painted pixels`);
  ok(`CODI's neighborhood is drawn: ${info.nodes.length} nodes, ${info.edges.length} edges, ${drawn.colors} colors, ${drawn.painted} painted pixels`);

  // 3. click a node: the side panel shows its evidence, a Thai quote with its source
  const nodeTargets = await clearTargets("node");
  check(nodeTargets.length > 0, "no node stands clear enough to click");
  const target = nodeTargets.includes("codi") ? "codi" : nodeTargets[0];
  let pos = await pagePos(target);
  check(pos.inside, `node ${target} is outside the graph area`);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForFunction((id) => {
    const p = document.querySelector("#panel");
    return p.dataset.id === id && p.querySelector(".evidence .quote");
  }, target, { timeout: STEP_TIMEOUT }).catch(() => { throw new Failure(`clicking node ${target} did not show its evidence in the panel`); });
  const nodePanel = await page.evaluate(() => {
    const p = document.querySelector("#panel");
    return { quote: p.querySelector(".evidence .quote").textContent, source: p.querySelector(".evidence .meta").textContent, title: p.querySelector("h2").textContent };
  });
  check(THAI.test(nodePanel.quote), `the evidence quote is not Thai: ${nodePanel.quote}`);
  check(nodePanel.source.includes("ที่มา"), `the evidence has no source: ${nodePanel.source}`);
  check(THAI.test(nodePanel.title), `the panel title is not the Thai name: ${nodePanel.title}`);
  check(await page.evaluate((id) => window.phakhiCy.getElementById(id).selected(), target), `node ${target} is not selected after the click`);
  ok(`clicking node ${target} shows ${nodePanel.title} with the quote ${nodePanel.quote.slice(0, 40)}…`);

  // 4. click an edge: its relationship and evidence
  const edgeTargets = await clearTargets("edge");
  if (edgeTargets.length) {
    const edge = edgeTargets[0];
    pos = await pagePos(edge);
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction((id) => document.querySelector("#panel").dataset.id === id, edge, { timeout: STEP_TIMEOUT })
      .catch(() => { throw new Failure(`clicking edge ${edge} did not show it in the panel`); });
    const q = await page.locator("#panel .evidence .quote").first().textContent();
    check(THAI.test(q), `the edge's evidence quote is not Thai: ${q}`);
    ok(`clicking edge ${edge} shows its evidence ${q.slice(0, 40)}…`);
  } else {
    console.log("# no edge midpoint stands clear enough to click; edge click skipped");
  }

  // 5. expand: double-click a node, then the panel's Expand button on another
  const candidates = [];
  for (const id of info.nodes.filter((id) => id !== "codi")) {
    const h = await hoodIds(id);
    const fresh = h.nodes.filter((n) => !info.nodes.includes(n));
    if (fresh.length) candidates.push({ id, fresh: fresh.length });
  }
  check(candidates.length >= 1, "no drawn node has neighbors left to expand");
  const clickable = await clearTargets("node");
  const byDbl = candidates.find((c) => clickable.includes(c.id)) || candidates[0];
  info = await cyInfo();
  let n0 = info.nodes.length;
  before = await ops();
  pos = await pagePos(byDbl.id);
  await page.mouse.dblclick(pos.x, pos.y);
  await settle(before, `expanding ${byDbl.id} by double-click`, (n) => window.phakhiCy.nodes().length > n, n0);
  info = await cyInfo();
  check(await page.evaluate((id) => window.phakhiCy.getElementById(id).hasClass("expanded"), byDbl.id), `${byDbl.id} is not marked expanded`);
  ok(`double-clicking ${byDbl.id} expanded the drawing from ${n0} to ${info.nodes.length} nodes`);

  const drawnNow = new Set(info.nodes);
  let byButton = null;
  for (const c of candidates) {
    if (c.id === byDbl.id) continue;
    const h = await hoodIds(c.id);
    if (h.nodes.some((n) => !drawnNow.has(n))) {
      byButton = { id: c.id, expect: new Set([...drawnNow, ...h.nodes]).size };
      break;
    }
  }
  if (byButton) {
    await page.evaluate((id) => window.phakhiExplorer.select(id), byButton.id);
    await page.locator("#panel-expand").waitFor();
    n0 = info.nodes.length;
    before = await ops();
    await page.locator("#panel-expand").click();
    await settle(before, `expanding ${byButton.id} with the Expand button`, (n) => window.phakhiCy.nodes().length > n, n0);
    info = await cyInfo();
    check(info.nodes.length === byButton.expect, `after expanding ${byButton.id}: ${info.nodes.length} nodes drawn, expected ${byButton.expect}`);
    ok(`the Expand button on ${byButton.id} merged its neighborhood: ${n0} -> ${info.nodes.length} nodes`);
  }

  // 6. filters: node type (server side) and strategy side (client side)
  const personsBefore = await page.evaluate(() => window.phakhiCy.nodes('[label = "Person"]').length);
  check(personsBefore > 0, "no Person drawn to filter");
  before = await ops();
  await page.locator('#label-filters input[value="Person"]').uncheck();
  await settle(before, "filtering out Person nodes");
  const roots = await page.evaluate(() => window.phakhiExplorer.state.roots);
  const personsLeft = await page.evaluate((roots) => window.phakhiCy.nodes('[label = "Person"]').filter((n) => !roots.includes(n.id())).length, roots);
  check(personsLeft === 0, `${personsLeft} Person nodes still drawn after unchecking Person`);
  before = await ops();
  await page.locator('#label-filters input[value="Person"]').check();
  await settle(before, "filtering Person nodes back in", (n) => window.phakhiCy.nodes('[label = "Person"]').length === n, personsBefore);
  ok(`the node-type filter hides the ${personsBefore} Person nodes and brings them back`);

  await page.locator("#side").selectOption("side-social-process");
  const side = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const visible = cy.nodes(":visible");
    const advancers = visible.filter((n) => n.data("advances").includes("side-social-process"));
    const strays = visible.filter((n) => !n.data("advances").includes("side-social-process") && n.id() !== "side-social-process"
      && n.neighborhood("node:visible").filter((m) => m.data("advances").includes("side-social-process") || m.id() === "side-social-process").length < 2);
    return { visible: visible.length, hidden: cy.nodes(".hidden").length, advancers: advancers.length, strays: strays.map((n) => n.id()) };
  });
  check(side.advancers > 0 && side.hidden > 0, `the side filter shows ${side.visible} nodes, hides ${side.hidden}, ${side.advancers} advancers`);
  check(side.strays.length === 0, `the side filter shows nodes that neither advance the side nor connect two that do: ${side.strays}`);
  await page.locator("#side").selectOption("");
  check(await page.evaluate(() => window.phakhiCy.nodes(".hidden").length === 0), "clearing the side filter left nodes hidden");
  ok(`the side filter keeps ${side.advancers} actors advancing side-social-process (+ connectors), hides ${side.hidden}`);

  // relationship type and date filters go to the server: the drawing must
  // be the union of the roots' filtered neighborhoods
  before = await ops();
  await page.locator("#date-from").fill("2007");
  await page.locator("#date-from").dispatchEvent("change");
  await settle(before, "filtering by date from 2007");
  before = await ops();
  await page.locator("#types-box summary").click();
  await page.locator('#type-filters input[value="PARTICIPATES_IN"]').uncheck();
  await settle(before, "filtering out PARTICIPATES_IN");
  const allTypes = await page.evaluate(() => Array.from(document.querySelectorAll("#type-filters input"), (i) => i.value));
  const types = allTypes.filter((t) => t !== "PARTICIPATES_IN");
  const union = new Set();
  for (const id of await page.evaluate(() => window.phakhiExplorer.state.roots)) {
    const d = await gql(`query($id: ID!, $types: [RelationshipType!]) { neighborhood(id: $id, types: $types, from: "2007") { nodes { id } edges { id } } }`, { id, types });
    d.neighborhood.nodes.forEach((n) => union.add(n.id));
    d.neighborhood.edges.forEach((e) => union.add(e.id));
  }
  info = await cyInfo();
  const drawnIds = [...info.nodes, ...info.edges];
  const participates = await page.evaluate(() => window.phakhiCy.edges('[type = "PARTICIPATES_IN"]').length);
  check(participates === 0, `${participates} PARTICIPATES_IN edges drawn after unchecking the type`);
  check(drawnIds.length === union.size && drawnIds.every((id) => union.has(id)),
    `with types ≠ PARTICIPATES_IN and from 2007, ${drawnIds.length} elements drawn, the API has ${union.size}`);
  ok(`the relationship-type and date filters redraw ${info.nodes.length} nodes / ${info.edges.length} edges, as the API says`);
  before = await ops();
  await page.locator('#type-filters input[value="PARTICIPATES_IN"]').check();
  await settle(before, "filtering PARTICIPATES_IN back in");
  before = await ops();
  await page.locator("#date-from").fill("");
  await page.locator("#date-from").dispatchEvent("change");
  await settle(before, "clearing the date filter");

  // 7. the path between thipawan and walailak-university, highlighted
  const api = await gql(`{ paths(from: "thipawan", to: "walailak-university", k: 1, maxLength: 6) { nodes { id } edges { id } } }`);
  check(api.paths.length === 1, "the API finds no path thipawan -> walailak-university");
  const pathNodes = api.paths[0].nodes.map((n) => n.id);
  const pathEdges = api.paths[0].edges.map((e) => e.id);
  await page.locator("#path-from").fill("thipawan");
  await page.locator("#path-to").fill("walailak-university");
  before = await ops();
  await page.locator("#path-find").click();
  await settle(before, "finding the path thipawan -> walailak-university", () => window.phakhiCy.elements(".path").length > 0);
  const hl = await page.evaluate(({ pathNodes, pathEdges }) => {
    const cy = window.phakhiCy;
    const ids = [...pathNodes, ...pathEdges];
    return {
      missing: ids.filter((id) => cy.getElementById(id).empty()),
      notHighlighted: ids.filter((id) => !cy.getElementById(id).hasClass("path")),
      hiddenOnPath: ids.filter((id) => cy.getElementById(id).nonempty() && !cy.getElementById(id).visible()),
      highlighted: cy.elements(".path").length,
      fadedOthers: cy.elements().not(".path").every((e) => e.hasClass("faded")),
      pathColor: cy.getElementById(pathEdges[0]).style("line-color"),
      otherColor: cy.edges().not(".path").first().style("opacity"),
      steps: document.querySelectorAll("#path-result li").length,
      stepEdges: Array.from(document.querySelectorAll("#path-result .rel button"), (b) => b.dataset.edge),
    };
  }, { pathNodes, pathEdges });
  check(hl.missing.length === 0, `path elements not drawn: ${hl.missing}`);
  check(hl.notHighlighted.length === 0, `path elements not highlighted: ${hl.notHighlighted}`);
  check(hl.hiddenOnPath.length === 0, `path elements hidden: ${hl.hiddenOnPath}`);
  check(hl.highlighted === pathNodes.length + pathEdges.length, `${hl.highlighted} elements highlighted, the path has ${pathNodes.length + pathEdges.length}`);
  check(hl.fadedOthers, "elements off the path are not faded");
  check(hl.steps === pathNodes.length && hl.stepEdges.join() === pathEdges.join(),
    `the path list shows ${hl.steps} nodes and relationships ${hl.stepEdges}, the path has ${pathNodes.length} nodes and ${pathEdges}`);
  ok(`the path ${pathNodes.join(" → ")} is drawn and highlighted (${hl.highlighted} elements, edge color ${hl.pathColor})`);

  // a step of the path list opens that relationship's evidence
  await page.locator("#types-box summary").click(); // fold the type list again
  await page.locator("#path-result .rel button").first().click();
  await page.waitForFunction((id) => document.querySelector("#panel").dataset.id === id, pathEdges[0], { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure(`the path list's first step did not open ${pathEdges[0]}`); });
  const pathQuote = await page.locator("#panel .evidence .quote").first().textContent();
  check(THAI.test(pathQuote), `the path edge's evidence is not Thai: ${pathQuote}`);
  ok(`the path list opens ${pathEdges[0]} with its evidence ${pathQuote.slice(0, 40)}…`);

  // 8. the picture
  await page.mouse.move(2, 2);
  await page.locator("#path-result").scrollIntoViewIfNeeded();
  await page.waitForTimeout(400); // let the fit animation end
  await page.screenshot({ path: shot });
  check(existsSync(shot) && statSync(shot).size > 20_000, `screenshot ${shot} is missing or tiny`);
  check(pageErrors.length === 0, `page errors: ${pageErrors.join(" | ")}`);
  check(badResponses.length === 0, `failed requests: ${badResponses.join(" | ")}`);
  ok(`screenshot saved to ${shot} (${statSync(shot).size} bytes); no page errors, no failed requests`);
}

await run(main);
