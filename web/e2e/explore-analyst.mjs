// Browser test of the explorer for analysts (issue 15), in Debian's
// Chromium driven by playwright-core, on the seed graph under the default
// rate limit. Everything is read from the rendered page (window.phakhiCy,
// the DOM, the downloads):
//   - the status line tells the truth: nothing found, results, errors with
//     their code; never "searching" once the results show
//   - the keyboard walks the search results and the side panel, with a
//     visible focus; the page's text meets WCAG AA contrast
//   - CODI at one and two hops: the labels shown are >= 10 px and never
//     overlap, at the fitted view and zoomed in and out
//   - edge labels (type, role in Thai) for the selection and on hover
//   - size and colour by measure, with a legend; degrees as networkMetrics
//   - the time slider: as of a date and over a span
//   - a shared URL reopens the same view in a new tab
//   - PNG and SVG of the view, and its subgraph in every export format
//
//   node web/e2e/explore-analyst.mjs http://127.0.0.1:8080 SCREENSHOT_DIR
import { readFileSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Failure, check, ok, run, operations, THAI, STEP_TIMEOUT } from "./browser.mjs";
import { legible, zoomAt, svgOf } from "./legibility.mjs";

const [base, dir] = process.argv.slice(2);
if (!base || !dir) {
  console.error("usage: node explore-analyst.mjs BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}

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

// the node and edge ids of a GEXF or GraphML file (attribute values, with
// XML's five entities decoded)
function xmlIds(t) {
  const dec = (v) => v.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]);
  const ids = (tag) => [...t.matchAll(new RegExp(`<${tag}\\s[^>]*?\\bid="([^"]*)"`, "g"))].map((m) => dec(m[1]));
  return [ids("node"), ids("edge")];
}

const status = (page) => page.evaluate(() => ({ text: document.querySelector("#status").textContent, kind: document.querySelector("#status").dataset.status }));

async function main({ page, context, pageErrors, badResponses }) {
  const { ops, settle } = operations(page, pageErrors);
  const queries = [];
  context.on("request", (r) => r.url().includes("/query") && queries.push(r.url()));

  // 1. the page with its vendored layout and SVG extensions
  await page.goto(new URL("/explore", base).href, { waitUntil: "load" });
  await page.waitForFunction(() => document.body.dataset.state === "idle" && window.phakhiCy, null, { timeout: STEP_TIMEOUT });
  const ext = await page.evaluate(() => ({ fcose: !!window.cytoscape("layout", "fcose"), gplSvg: typeof window.phakhiCy.svg === "function" }));
  check(ext.fcose, `the vendored layout extension is missing: ${JSON.stringify(ext)}`);
  check(!ext.gplSvg, "cytoscape-svg (GPL-3.0) is loaded: the SVG export is our own (svg.js)");
  ok("the explorer loads with cytoscape-fcose, and without cytoscape-svg");

  // 2. the status line: nothing found, then results (never "searching" after)
  let before = await ops();
  await page.locator("#search-input").fill("ไม่มีชื่อนี้zzq");
  await page.locator("#search-input").press("Enter");
  await settle(before, "searching for a name that is not there");
  let st = await status(page);
  check(st.kind === "empty" && st.text.includes("nothing found") && !/searching|กำลังค้นหา/.test(st.text), `after an empty search the status says "${st.text}" (${st.kind})`);
  check((await page.locator("#search-results li").innerText()).includes("no match"), "the results list does not say no match");
  ok(`an empty search says "${st.text}"`);

  // while the search is on its way (its request held here until the
  // status has been read) the status says so
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/query", async (route) => {
    if ((route.request().postData() || "").includes("query Search")) await held;
    await route.continue();
  });
  before = await ops();
  await page.locator("#search-input").fill("พอช");
  await page.locator("#search-input").press("Enter");
  await page.waitForFunction(() => document.querySelector("#status").dataset.status === "busy", null, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure("the status did not say the search was under way"); });
  st = await status(page);
  check(/searching/.test(st.text) && st.text.includes("กำลังค้นหา") && st.text.includes("พอช"), `while searching the status says "${st.text}"`);
  const searching = st.text;
  release();
  await settle(before, 'searching "พอช"');
  await page.unroute("**/query");
  ok(`while the search runs the status says "${searching}"`);
  st = await status(page);
  const listed = await page.locator("#search-results li[data-id]").count();
  check(st.kind === "results" && st.text.includes(`showing ${listed}`) || st.text.includes(`${listed} found`), `after the search the status says "${st.text}" with ${listed} results listed`);
  check(!/searching|กำลังค้นหา/.test(st.text), `the status still says searching: ${st.text}`);
  ok(`the search's status says "${st.text}" (${listed} listed)`);

  // 3. the keyboard: ArrowDown into the results, Enter draws, focus to the panel
  await page.locator("#search-input").focus();
  await page.keyboard.press("ArrowDown");
  let focus = await page.evaluate(() => ({ id: document.activeElement.dataset.id, outline: getComputedStyle(document.activeElement).outlineStyle, width: parseFloat(getComputedStyle(document.activeElement).outlineWidth) }));
  check(focus.id && focus.outline !== "none" && focus.width >= 2, `ArrowDown in the search box: focus on ${JSON.stringify(focus)}`);
  const firstId = focus.id;
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() => document.activeElement.dataset.id);
  await page.keyboard.press("ArrowUp");
  check(second && second !== firstId && (await page.evaluate(() => document.activeElement.dataset.id)) === firstId, "ArrowDown/ArrowUp do not move between results");
  check(firstId === "codi", `the first result for พอช is ${firstId}, not codi`);
  before = await ops();
  await page.keyboard.press("Enter");
  await settle(before, "drawing CODI from the keyboard", () => window.phakhiCy.getElementById("codi").nonempty());
  await page.waitForFunction(() => document.querySelector("#panel").dataset.id === "codi" && document.querySelector("#panel .evidence"), null, { timeout: STEP_TIMEOUT });
  focus = await page.evaluate(() => ({ tag: document.activeElement.tagName, text: document.activeElement.textContent }));
  check(focus.tag === "H2" && THAI.test(focus.text), `after Enter the focus is on ${focus.tag} "${focus.text}", not the panel's heading`);
  await page.keyboard.press("ArrowDown");
  focus = await page.evaluate(() => ({ id: document.activeElement.id, outline: getComputedStyle(document.activeElement).outlineStyle, width: parseFloat(getComputedStyle(document.activeElement).outlineWidth) }));
  check(focus.id === "panel-expand" && focus.outline !== "none" && focus.width >= 2, `ArrowDown in the panel: focus ${JSON.stringify(focus)}, want the Expand button with a visible outline`);
  ok("the keyboard walks the results (↑↓, Enter) and the panel (heading, then Expand), with a visible focus");

  // 4. one hop: legible labels, a truthful status, the picture
  const hood1 = (await gql(`{ neighborhood(id: "codi") { nodeCount edgeCount } }`)).neighborhood;
  let drawn = await page.evaluate(() => ({ n: window.phakhiCy.nodes().length, e: window.phakhiCy.edges().length }));
  check(drawn.n === hood1.nodeCount && drawn.e === hood1.edgeCount, `one hop: drawn ${drawn.n}/${drawn.e}, the API has ${hood1.nodeCount}/${hood1.edgeCount}`);
  st = await status(page);
  check(st.kind === "results" && st.text.includes(`${drawn.n} โหนด nodes`), `one hop: the status says "${st.text}"`);
  let l = await legible(page, "CODI at one hop", { atLeast: Math.min(8, drawn.n), must: ["codi"] });
  await page.mouse.move(2, 2);
  const shot1 = join(dir, "explore-analyst-1hop.png");
  await page.screenshot({ path: shot1 });
  ok(`CODI at one hop: ${drawn.n} nodes, ${l.count} labels of >= ${l.minPx.toFixed(1)}px (drawn ${l.drawnMin.toFixed(1)}px and up, read off the canvas), none overlapping; screenshot ${shot1}`);

  // 5. two hops (the hairball of issue 15): legible when fitted, zoomed in and out
  const hood2 = (await gql(`{ neighborhood(id: "codi", depth: 2) { nodeCount edgeCount } }`)).neighborhood;
  before = await ops();
  await page.locator("#depth").selectOption("2");
  await settle(before, "drawing CODI at two hops", (n) => window.phakhiCy.nodes().length === n, hood2.nodeCount);
  drawn = await page.evaluate(() => ({ n: window.phakhiCy.nodes().length, e: window.phakhiCy.edges().length }));
  check(drawn.e === hood2.edgeCount, `two hops: ${drawn.e} edges drawn, the API has ${hood2.edgeCount}`);
  l = await legible(page, "CODI at two hops, fitted", { atLeast: 8, must: ["codi"] });
  const fitted = l;
  const zIn = await zoomAt(page, "codi", 5);
  const lIn = await legible(page, `CODI at two hops zoomed in (zoom ${zIn.toFixed(2)})`, { atLeast: 5, must: ["codi"] });
  check(zIn > fitted.zoom * 1.5, `the wheel did not zoom in: ${fitted.zoom} -> ${zIn}`);
  const zOut = await zoomAt(page, "codi", -9);
  const lOut = await legible(page, `CODI at two hops zoomed out (zoom ${zOut.toFixed(2)})`, { atLeast: 3, must: ["codi"] });
  check(zOut < fitted.zoom, `the wheel did not zoom out: ${fitted.zoom} -> ${zOut}`);
  const runs = await page.evaluate(() => Number(document.body.dataset.labelRuns));
  await page.locator("#fit").click();
  await page.waitForFunction((runs) => Number(document.body.dataset.labelRuns) > runs, runs, { timeout: STEP_TIMEOUT });
  l = await legible(page, "CODI at two hops, fitted again", { atLeast: 8, must: ["codi"] });
  const drawnAt = (x) => `${x.count} labels at zoom ${x.zoom.toFixed(2)} (${x.ink.length ? `${x.ink.length} read off the canvas: drawn ${x.drawnMin.toFixed(1)}px and up, ${x.drawnRatios.map((r) => r.toFixed(2)).join("-")} of their style's size` : "too short or covered to read off the canvas"})`;
  ok(`CODI at two hops (${drawn.n} nodes, ${drawn.e} edges): ${drawnAt(fitted)}, ${drawnAt(lIn)}, ${drawnAt(lOut)}, fitted again ${drawnAt(l)}; all >= 10px, none overlapping`);

  // the labels are drawn over a text background above the edges
  const bg = await page.evaluate(() => {
    const n = window.phakhiCy.getElementById("codi");
    return { bg: n.style("text-background-opacity"), z: n.style("z-index"), edgeZ: window.phakhiCy.edges().first().style("z-index") };
  });
  check(Number(bg.bg) >= 0.8, `labels have no text background: ${JSON.stringify(bg)}`);
  ok(`labels sit on a text background (opacity ${bg.bg}) above the edges`);

  // 6. edge labels: the selection's relationships, in Thai; others unlabelled
  await page.evaluate(() => window.phakhiExplorer.select("codi"));
  await page.waitForFunction(() => document.querySelector("#panel").dataset.id === "codi");
  const el = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const mine = cy.getElementById("codi").connectedEdges();
    return {
      mine: mine.map((e) => e.style("label")),
      others: cy.edges().difference(mine).filter((e) => e.style("label")).length,
      types: mine.map((e) => e.data("type")),
    };
  });
  check(el.mine.length > 0 && el.mine.every((t) => THAI.test(t)), `the selection's edges are not labelled in Thai: ${el.mine.slice(0, 5)}`);
  check(el.others === 0, `${el.others} edges away from the selection are labelled`);
  const withRole = await page.evaluate(() => window.phakhiCy.getElementById("codi").connectedEdges().filter((e) => e.data("roleTh")).map((e) => [e.style("label"), e.data("roleTh")]));
  check(withRole.every(([label, role]) => label.includes(role)), `edge labels leave out the Thai role: ${JSON.stringify(withRole.slice(0, 3))}`);
  ok(`selecting codi labels its ${el.mine.length} relationships (e.g. "${el.mine.find((t) => t.includes("·")) || el.mine[0]}"), no others`);

  // hover: an edge away from the selection shows its label under the mouse
  const hoverTarget = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const box = cy.container().getBoundingClientRect();
    const nodes = cy.nodes().map((n) => ({ p: n.renderedPosition(), r: n.renderedOuterWidth() / 2 + 10 }));
    const lines = cy.edges().map((e) => [e.source().renderedPosition(), e.target().renderedPosition(), e.id()]);
    const dist = (p, a, b) => {
      const l2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2 || 1;
      const t = Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / l2));
      return Math.hypot(p.x - a.x - t * (b.x - a.x), p.y - a.y - t * (b.y - a.y));
    };
    for (const e of cy.edges().not(cy.getElementById("codi").connectedEdges()).filter((x) => x.parallelEdges().length === 1)) {
      const m = e.renderedMidpoint();
      if (m.x < 20 || m.y < 20 || m.x > cy.width() - 20 || m.y > cy.height() - 20) continue;
      if (nodes.some((n) => Math.hypot(n.p.x - m.x, n.p.y - m.y) < n.r)) continue;
      if (lines.some(([a, b, id]) => id !== e.id() && dist(m, a, b) < 8)) continue;
      return { id: e.id(), x: box.left + m.x, y: box.top + m.y };
    }
    return null;
  });
  if (hoverTarget) {
    await page.mouse.move(hoverTarget.x, hoverTarget.y);
    await page.waitForFunction((id) => window.phakhiCy.getElementById(id).hasClass("hover"), hoverTarget.id, { timeout: STEP_TIMEOUT })
      .catch(() => { throw new Failure(`hovering edge ${hoverTarget.id} did not mark it`); });
    const hov = await page.evaluate((id) => ({ label: window.phakhiCy.getElementById(id).style("label"), tip: document.querySelector("#tooltip").hidden ? "" : document.querySelector("#tooltip").textContent }), hoverTarget.id);
    check(THAI.test(hov.label), `hovering edge ${hoverTarget.id} shows no Thai label: "${hov.label}"`);
    await page.mouse.move(2, 2);
    await page.waitForFunction((id) => !window.phakhiCy.getElementById(id).style("label"), hoverTarget.id, { timeout: STEP_TIMEOUT })
      .catch(() => { throw new Failure(`edge ${hoverTarget.id} keeps its label after the mouse left`); });
    ok(`hovering edge ${hoverTarget.id} shows "${hov.label}"; it goes when the mouse leaves`);
  } else {
    console.log("# no edge midpoint stands clear enough to hover; hover skipped");
  }

  // 7. size and colour by measure, with a legend
  const metrics = await gql(`{ networkMetrics(around: "codi", depth: 2, orderBy: DEGREE, first: 5) { communityCount nodes { node { id } degree } } }`);
  const pageDeg = await page.evaluate((ids) => ids.map((id) => window.phakhiCy.getElementById(id).data("deg")), metrics.networkMetrics.nodes.map((n) => n.node.id));
  check(metrics.networkMetrics.nodes.every((n, i) => n.degree === pageDeg[i]), `degrees differ from networkMetrics: API ${metrics.networkMetrics.nodes.map((n) => `${n.node.id}:${n.degree}`)}, page ${pageDeg}`);
  await page.locator("#color-by").selectOption("community");
  await page.locator("#size-by").selectOption("betweenness");
  const sty = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const fills = new Set(cy.nodes().map((n) => n.style("background-color")));
    const comms = new Set(cy.nodes().map((n) => n.data("comm")));
    const sizes = cy.nodes().map((n) => [n.data("btw"), parseFloat(n.style("width"))]).sort((a, b) => a[0] - b[0]);
    const monotone = sizes.every((s, i) => i === 0 || s[1] >= sizes[i - 1][1] - 1e-6);
    const sameComm = cy.nodes().every((n) => cy.nodes().filter((m) => m.data("comm") === n.data("comm")).every((m) => m.style("background-color") === n.style("background-color")) || n.data("comm") >= 12);
    return { fills: fills.size, comms: comms.size, monotone, spread: sizes[sizes.length - 1][1] - sizes[0][1], sameComm,
      legend: document.querySelector("#map-legend").innerText, legendShown: !document.querySelector("#map-legend").hidden };
  });
  check(sty.comms >= 3 && sty.fills >= 3 && sty.sameComm, `colour by community: ${sty.comms} communities, ${sty.fills} colours, one colour per community ${sty.sameComm}`);
  check(sty.monotone && sty.spread > 15, `size by betweenness: monotone ${sty.monotone}, spread ${sty.spread}px`);
  check(sty.legendShown && /community/.test(sty.legend) && /betweenness/.test(sty.legend) && /กลุ่ม/.test(sty.legend), `the legend does not say colour = community, size = betweenness: ${sty.legend}`);
  l = await legible(page, "two hops, coloured by community and sized by betweenness", { atLeast: 8, must: ["codi"] });
  await page.locator("#color-by").selectOption("side");
  const side = await page.evaluate(() => ({ legend: document.querySelector("#map-legend").innerText, fill: window.phakhiCy.getElementById("side-social-process").nonempty() ? window.phakhiCy.getElementById("side-social-process").style("background-color") : "" }));
  check(/strategy side/.test(side.legend) && /several|หลายด้าน/.test(side.legend), `colour by side: legend ${side.legend}`);
  // colour by assertion status: each node's colour is its status's, as the
  // API has it; inferred relationships dashed, disputed ones red, always
  await page.locator("#color-by").selectOption("status");
  const apiStatus = (await gql(`{ neighborhood(id: "codi", depth: 2) { nodes { id status } edges { id status } } }`)).neighborhood;
  const st7 = await page.evaluate((api) => {
    const cy = window.phakhiCy;
    const want = { STATED: "rgb(27,127,95)", INFERRED: "rgb(217,154,0)", DISPUTED: "rgb(198,40,40)" };
    const wrongNodes = api.nodes.filter((n) => cy.getElementById(n.id).style("background-color") !== want[n.status]).map((n) => `${n.id}:${n.status}`);
    const wrongEdges = api.edges.filter((e) => {
      const el = cy.getElementById(e.id);
      if (e.status === "INFERRED") return el.style("line-style") !== "dashed";
      if (e.status === "DISPUTED") return el.style("line-color") !== want.DISPUTED;
      return el.style("line-style") !== "solid";
    }).map((e) => `${e.id}:${e.status}`);
    const count = (k) => api.edges.filter((e) => e.status === k).length + api.nodes.filter((n) => n.status === k).length;
    return { wrongNodes, wrongEdges, inferred: count("INFERRED"), stated: count("STATED"), legend: document.querySelector("#map-legend").innerText };
  }, apiStatus);
  check(st7.wrongNodes.length === 0, `colour by status: nodes not in their status's colour: ${st7.wrongNodes.slice(0, 5)}`);
  check(st7.wrongEdges.length === 0, `relationships not drawn as their status says: ${st7.wrongEdges.slice(0, 5)}`);
  check(st7.inferred > 0 && st7.stated > 0, `CODI at two hops has ${st7.inferred} inferred and ${st7.stated} stated facts: the test would prove little`);
  check(/assertion status/.test(st7.legend) && /inferred/.test(st7.legend), `the legend does not say colour = assertion status: ${st7.legend}`);
  await page.locator("#color-by").selectOption("community");
  ok(`colour by assertion status as the API has it (${st7.inferred} inferred facts; inferred relationships dashed, disputed red); legend "${st7.legend.replace(/\s+/g, " ").slice(0, 80)}…"`);
  ok(`degrees agree with networkMetrics (${metrics.networkMetrics.nodes.map((n) => `${n.node.id} ${n.degree}`).join(", ")}); ${sty.comms} communities in ${sty.fills} colours; sizes by betweenness span ${sty.spread.toFixed(0)}px; legend shown; colour by side too`);

  await page.evaluate(() => window.phakhiExplorer.select("codi"));
  await page.mouse.move(2, 2);
  await page.waitForFunction(() => Number(document.body.dataset.labelRuns) > 0);
  await legible(page, "two hops before the screenshot", { atLeast: 8, must: ["codi"] });
  const shot2 = join(dir, "explore-analyst-2hop.png");
  await page.screenshot({ path: shot2 });
  ok(`screenshot of two hops, community colours, betweenness sizes, codi selected: ${shot2}`);

  // 8. time: as of the earliest date, then a span, then all time again.
  // Each step waits until the explorer is idle: a fetch or layout still
  // under way (slower on a busy machine) would change the drawing after
  // the filter was read.
  const idle = () => page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout: STEP_TIMEOUT });
  await idle();
  await page.locator('input[name=time-mode][value="asof"]').check();
  const slider = page.locator("#time-a");
  await slider.focus();
  await page.keyboard.press("Home");
  await idle();
  const asof = await page.evaluate(() => {
    const cy = window.phakhiCy;
    const at = document.querySelector("#time-a-text").textContent;
    const day = Number(document.querySelector("#time-a").value) * 86400000;
    const iso = (d) => (d ? d.iso : null);
    const startOf = (i) => (i ? Date.parse(i.length === 4 ? `${i}-01-01` : i.length === 7 ? `${i}-01` : i) : null);
    const bad = cy.edges(":visible").filter((e) => {
      const s = startOf(iso(e.data("rel").start));
      return s != null && s > day;
    }).map((e) => e.id());
    // an orphan is told with its start and its relationships' classes, so
    // that a failure says why the filter kept it
    const orphans = cy.nodes(":visible").filter((n) => n.connectedEdges(":visible").empty() && !window.phakhiExplorer.state.roots.includes(n.id()))
      .map((n) => `${n.id()} (start ${n.data("start")}; relationships ${n.connectedEdges().map((e) => `${e.id()}[${e.classes().join(" ")}]`).join(", ") || "none"})`);
    return { at, hiddenNodes: cy.nodes(".hidden").length, hiddenEdges: cy.edges(".hidden").length, bad, orphans, status: document.querySelector("#status").textContent };
  });
  check(asof.hiddenEdges > 0, `as of the earliest date (${asof.at}) nothing is hidden`);
  check(asof.bad.length === 0, `as of ${asof.at}, edges that start later are shown: ${asof.bad}`);
  check(asof.orphans.length === 0, `as of ${asof.at}, nodes left without relationships are shown: ${asof.orphans}`);
  check(/time filter/.test(asof.status), `the status does not say the time filter hides elements: ${asof.status}`);
  await legible(page, `as of ${asof.at}`, { atLeast: 1, must: ["codi"] });
  await page.keyboard.press("End");
  const asofEnd = await page.evaluate(() => ({ at: document.querySelector("#time-a-text").textContent, hidden: window.phakhiCy.edges(".hidden").length }));
  check(asofEnd.hidden < asof.hiddenEdges, `as of the latest date (${asofEnd.at}) as much is hidden as at the earliest (${asofEnd.hidden})`);
  await page.locator('input[name=time-mode][value="span"]').check();
  await page.locator("#time-b").focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("PageDown");
  const span = await page.evaluate(() => ({ from: document.querySelector("#time-a-text").textContent, to: document.querySelector("#time-b-text").textContent, hidden: window.phakhiCy.elements(".hidden").length }));
  check(span.from !== span.to, `the span slider does not move: ${JSON.stringify(span)}`);
  ok(`time: as of ${asof.at} hides ${asof.hiddenNodes} nodes and ${asof.hiddenEdges} edges (none dated later is shown), as of ${asofEnd.at} hides ${asofEnd.hidden} edges; span ${span.from} – ${span.to} hides ${span.hidden}`);

  // 9. a shared URL reopens the same view: as of an early date, styled, codi selected
  await page.locator('input[name=time-mode][value="asof"]').check();
  await slider.focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("PageUp"); // a tenth of the dates in: some things hidden
  await page.locator("#share").click();
  await page.waitForFunction(() => location.hash.includes("roots=codi"), null, { timeout: STEP_TIMEOUT });
  const viewOf = (p) => p.evaluate(() => {
    const cy = window.phakhiCy;
    return {
      nodes: cy.nodes().map((n) => n.id()).sort(),
      edges: cy.edges().map((e) => e.id()).sort(),
      hidden: cy.elements(".hidden").map((e) => e.id()).sort(),
      selected: cy.$(":selected").map((e) => e.id()),
      controls: ["#depth", "#cap", "#side", "#size-by", "#color-by", "#group-by"].map((s) => document.querySelector(s).value),
      time: document.querySelector("#time-a-text").textContent + " " + document.querySelector("input[name=time-mode]:checked").value,
      fills: cy.nodes().map((n) => [n.id(), n.style("background-color")]).sort(),
      pos: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])),
    };
  });
  const url = page.url();
  const a = await viewOf(page);
  check(a.hidden.length > 0, "the shared view hides nothing by time: the test would prove little");
  const tab = await context.newPage();
  tab.on("pageerror", (err) => pageErrors.push(`second tab: ${err}`));
  await tab.goto(url, { waitUntil: "load" });
  await tab.waitForFunction(() => document.body.dataset.state === "idle" && window.phakhiCy && window.phakhiCy.nodes().length > 0 && window.phakhiCy.$(":selected").nonempty(), null, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure(`the shared URL ${url} did not reopen a drawing with a selection`); });
  const b = await viewOf(tab);
  for (const k of ["nodes", "edges", "hidden", "selected", "controls", "time", "fills"]) {
    check(JSON.stringify(a[k]) === JSON.stringify(b[k]), `the shared URL reopens a different ${k}: ${JSON.stringify(a[k]).slice(0, 200)} vs ${JSON.stringify(b[k]).slice(0, 200)}`);
  }
  await legible(tab, "the reopened view", { atLeast: 1, must: ["codi"] });
  const moved = Math.max(...a.nodes.map((id) => Math.hypot(a.pos[id].x - b.pos[id].x, a.pos[id].y - b.pos[id].y)));
  await tab.close();
  ok(`the shared URL (${url.length} chars) reopens the same view in a new tab: ${b.nodes.length} nodes, ${b.hidden.length} hidden by time (${b.time}), ${b.controls.join("/")}, selection ${b.selected}; node positions differ by up to ${moved.toFixed(0)} model px`);

  // 10. exports: PNG and SVG of the view, the subgraph in every format
  await page.locator('input[name=time-mode][value="all"]').check();
  async function downloadOf(click) {
    const [d] = await Promise.all([page.waitForEvent("download", { timeout: STEP_TIMEOUT }), click()]);
    const p = await d.path();
    return { name: d.suggestedFilename(), body: readFileSync(p), size: statSync(p).size };
  }
  const png = await downloadOf(() => page.locator("#export-png").click());
  check(png.size > 10_000 && png.body.subarray(1, 4).toString() === "PNG" && png.body.readUInt32BE(16) > 100 && png.body.readUInt32BE(20) > 100,
    `the PNG export ${png.name} is not a real image: ${png.size} bytes`);
  const svg = await downloadOf(() => page.locator("#export-svg").click());
  const svgCheck = await svgOf(page, svg.body.toString("utf8"));
  check(svgCheck.error === "", `the SVG export ${svg.name} does not parse: ${svgCheck.error}`);
  check(svgCheck.nodes === svgCheck.wantNodes && svgCheck.edges === svgCheck.wantEdges,
    `the SVG export has ${svgCheck.nodes} nodes and ${svgCheck.edges} edges, the drawing ${svgCheck.wantNodes} and ${svgCheck.wantEdges}`);
  check(svgCheck.missing.length === 0 && svgCheck.labels > 0, `the SVG export lacks the labels of ${svgCheck.missing.slice(0, 5).join(", ")} (${svgCheck.labels} labels in it)`);
  check(THAI.test(svgCheck.text) && svgCheck.fonts >= 2, `the SVG export has no Thai text or no embedded Sarabun (${svgCheck.fonts} @font-face)`);
  check(svgCheck.image.w > 100 && svgCheck.image.h > 100, `the SVG export does not load as an image: ${JSON.stringify(svgCheck.image)}`);
  ok(`PNG ${png.name} (${png.size} bytes, ${png.body.readUInt32BE(16)}×${png.body.readUInt32BE(20)}) and SVG ${svg.name} (${svg.size} bytes: parses, ${svgCheck.nodes} nodes, ${svgCheck.edges} edges, the ${svgCheck.labels} node labels shown, Sarabun embedded, loads as a ${svgCheck.image.w}×${svgCheck.image.h} image) download`);

  const want = {
    CYTOSCAPE: (t) => { const j = JSON.parse(t); return (j.elements || j).nodes.length > 0; }, // cy.json()'s file
    GRAPHOLOGY: (t) => JSON.parse(t).nodes.length > 0,
    D3: (t) => JSON.parse(t).links.length > 0,
    GEXF: (t) => t.includes("<gexf"),
    GRAPHML: (t) => t.includes("<graphml"),
    CSV_NODES: (t) => t.split("\n").length > 10,
    CSV_EDGES: (t) => t.split("\n").length > 10,
    CSV_ZIP: (_, b) => b.subarray(0, 2).toString() === "PK",
  };
  // the page offers every export format the server has
  const serverFormats = (await gql(`{ __type(name: "ExportFormat") { enumValues { name } } }`)).__type.enumValues.map((v) => v.name);
  const offered = await page.evaluate(() => Array.from(document.querySelectorAll("#export-format option"), (o) => o.value));
  check(offered.join() === serverFormats.join(), `the page offers the formats ${offered}, the server has ${serverFormats}`);
  check(serverFormats.every((f) => want[f]), `the test knows no check for ${serverFormats.filter((f) => !want[f])}`);

  // a second focus: the export holds the view's subgraph, both foci's
  // neighbourhoods (the server exports one at a time; the page merges)
  const drawnIds = new Set(await page.evaluate(() => window.phakhiCy.nodes().map((n) => n.id())));
  const depthNow = Number(await page.locator("#depth").inputValue());
  let focus2 = null;
  for (const id of [...drawnIds].filter((id) => id !== "codi").sort().slice(0, 25)) {
    const hood = (await gql(`query($id: ID!, $d: Int!) { neighborhood(id: $id, depth: $d, cap: 1000) { nodes { id } } }`, { id, d: depthNow })).neighborhood;
    if (hood.nodes.some((n) => !drawnIds.has(n.id))) {
      focus2 = id;
      break;
    }
  }
  check(focus2, "no drawn node has a neighbourhood reaching past the drawing: no second focus to export");
  before = await ops();
  await page.evaluate((id) => { window.phakhiExplorer.expand(id); }, focus2);
  await settle(before, `expanding ${focus2}`, (id) => window.phakhiExplorer.state.roots.includes(id), focus2);
  const roots = await page.evaluate(() => window.phakhiExplorer.state.roots.slice());
  const depth = Number(await page.locator("#depth").inputValue());
  const union = { nodes: new Set(), edges: new Set() };
  const alone = [];
  for (const id of roots) {
    const x = (await gql(`query($s: SubgraphInput) { exportGraph(format: CYTOSCAPE, subgraph: $s) { content } }`, { s: { around: id, depth } })).exportGraph;
    const j = JSON.parse(x.content);
    const els = j.elements || j;
    els.nodes.forEach((n) => union.nodes.add(n.data.id));
    els.edges.forEach((e) => union.edges.add(e.data.id));
    alone.push(els.nodes.length);
  }
  check(roots.length === 2 && union.nodes.size > Math.max(...alone), `two foci ${roots} whose neighbourhoods (${alone}) add nothing to each other: the test would prove little`);
  // the nodes and edges a file holds, read from the file
  const idsIn = {
    CYTOSCAPE: (t) => { const e = JSON.parse(t).elements; return [e.nodes.map((n) => n.data.id), e.edges.map((x) => x.data.id)]; },
    GRAPHOLOGY: (t) => { const j = JSON.parse(t); return [j.nodes.map((n) => n.key), j.edges.map((x) => x.key)]; },
    D3: (t) => { const j = JSON.parse(t); return [j.nodes.map((n) => n.id), j.links.map((x) => x.id)]; },
    GEXF: (t) => xmlIds(t),
    GRAPHML: (t) => xmlIds(t),
  };
  const sameIds = (got, want) => got.length === want.size && got.every((id) => want.has(id));

  const got = [];
  for (const [format, test] of Object.entries(want)) {
    await page.locator("#export-format").selectOption(format);
    before = await ops();
    const d = await downloadOf(() => page.locator("#export-data").click());
    await settle(before, `exporting ${format}`);
    let good = false;
    try {
      good = d.size > 0 && test(d.body.toString("utf8"), d.body);
    } catch {
      good = false;
    }
    check(good, `the ${format} export ${d.name} (${d.size} bytes) is not what the format says`);
    if (idsIn[format]) {
      const [nodes, edges] = idsIn[format](d.body.toString("utf8"));
      check(sameIds(nodes, union.nodes) && sameIds(edges, union.edges),
        `the ${format} export holds ${nodes.length} nodes and ${edges.length} edges, the two foci's neighbourhoods ${union.nodes.size} and ${union.edges.size}`);
    }
    const said = JSON.parse(await page.evaluate(() => document.body.dataset.exported || "{}"));
    check((format === "CSV_EDGES" || said.nodeCount === union.nodes.size) && (format === "CSV_NODES" || said.edgeCount === union.edges.size),
      `the ${format} export says ${said.nodeCount} nodes, ${said.edgeCount} edges; the two foci's neighbourhoods have ${union.nodes.size} and ${union.edges.size}`);
    st = await status(page);
    check(/exported \d+ (nodes|edges)/.test(st.text), `after the ${format} export the status says "${st.text}"`);
    got.push(`${d.name} ${d.size}B`);
  }
  ok(`the view's subgraph (foci ${roots.join(" + ")}: ${union.nodes.size} nodes, ${union.edges.size} edges) downloads in every format the server has: ${got.join(", ")}`);

  // 11. an error says its code
  before = await ops();
  await page.evaluate(() => { location.hash = "roots=no-such-node&depth=1"; });
  await settle(before, "opening a view of a node that does not exist");
  st = await status(page);
  check(st.kind === "error" && st.text.includes("NOT_FOUND"), `a missing node's status says "${st.text}" (${st.kind})`);
  ok(`a view of a missing node says "${st.text}"`);

  // 12. contrast: every visible text of the page meets WCAG AA
  const low = await page.evaluate(() => {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const v = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    };
    const lum = ([r, g, b]) => {
      const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let rgb = [255, 255, 255];
      for (const c of layers.reverse()) rgb = rgb.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
      return rgb;
    };
    const out = [];
    let checked = 0, inPanel = 0, inStatus = 0;
    for (const el of document.querySelectorAll("body *")) {
      if (el.closest("#cy, option, script, style") || el.matches(":disabled") || el.closest("[hidden]")) continue;
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === "hidden" || Number(cs.opacity) === 0) continue;
      const bg = background(el);
      const fg = parse(cs.color);
      const ink = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
      const [x, y] = [lum(ink), lum(bg)].sort((p, q) => q - p);
      const ratio = (x + 0.05) / (y + 0.05);
      const px = parseFloat(cs.fontSize);
      const large = px >= 24 || (px >= 18.66 && Number(cs.fontWeight) >= 700);
      checked++;
      if (el.closest("#panel")) inPanel++;
      if (el.closest("#status")) inStatus++;
      if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
    return { out, checked, inPanel, inStatus };
  });
  check(low.out.length === 0, `text under WCAG AA contrast: ${low.out.slice(0, 10).join(" | ")}`);
  check(low.inPanel >= 5 && low.inStatus >= 1, `the contrast check saw ${low.inPanel} texts of the panel and ${low.inStatus} of the status line`);
  ok(`all ${low.checked} visible texts of the page meet WCAG AA contrast (${low.inPanel} in the side panel, the status line's error among them)`);

  // 13. the requests, within the default rate limit (no 429), no page errors
  const limited = badResponses.filter((r) => r.startsWith("429"));
  check(limited.length === 0, `rate limited: ${limited.join(" | ")}`);
  const errors = pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  check(errors.length === 0, `page errors: ${errors.join(" | ")}`);
  check(existsSync(shot1) && existsSync(shot2), "a screenshot is missing");
  ok(`${queries.length} GraphQL requests from the pages, none refused by the rate limit; no page errors`);
}

await run(main);
