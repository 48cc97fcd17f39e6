// Phakhi graph explorer: search an actor, draw its neighborhood with
// Cytoscape.js, expand, filter, read the evidence, find paths. Talks only to
// the public GraphQL API at /query.

import { computeMeasures, CATEGORICAL, OTHER, ramp, RAMP_STOPS, inkOn } from "./measures.js";
import { placeLabels } from "./labels.js";
import { applyTime, timeDomain, dayRange, isoDay, dayText } from "./timeline.js";
import { toSVG } from "./svg.js";
import { mergeExports, mergeZip } from "./exports.js";
import { apiKey, storeKey, parseKey, openKeyBox, closeKeyBox } from "./apikey.js";
import { LABELS, LABEL } from "./vocabulary.js";

const cytoscape = window.cytoscape;

// ------------------------------------------------------------ vocabulary

const ACTOR_LABELS = new Set(["Agency", "Network", "Person"]);

const TYPES = [
  ["PART_OF", "เป็นส่วนหนึ่งของ"], ["LOCATED_IN", "ตั้งอยู่ที่"], ["MEMBER_OF", "เป็นสมาชิกของ"],
  ["WORKS_FOR", "ทำงานให้"], ["HOLDS_POSITION", "ดำรงตำแหน่ง"], ["LEADS", "นำ"],
  ["REPRESENTS", "เป็นตัวแทน"], ["FOUNDED", "ก่อตั้ง"], ["ORGANIZES", "จัด"],
  ["PARTICIPATES_IN", "เข้าร่วม"], ["FUNDS", "ให้ทุน"], ["SUPPORTS", "สนับสนุน"],
  ["RUNS", "ดำเนินงาน"], ["ADVANCES", "ขับเคลื่อน"], ["SECRETARIAT_OF", "เป็นเลขานุการของ"],
  ["HELD_AT", "จัดที่"], ["FOLLOWS_FROM", "สืบเนื่องจาก"], ["AUTHORED", "เขียน"], ["MENTIONS", "กล่าวถึง"],
];
const TYPE_TH = Object.fromEntries(TYPES);

let SIDES = [
  { id: "side-social-process", name: "กระบวนการทางชุมชน/สังคม", nameEn: "Community/social process" },
  { id: "side-knowledge", name: "การจัดการความรู้", nameEn: "Knowledge management" },
  { id: "side-politics", name: "ภาคการเมือง", nameEn: "Politics" },
];

const NODE_FRAGMENT = `fragment N on Node { id label name nameEn status ... on Actor { advances { id } }
  ... on Event { start { iso } end { iso } } ... on Program { start { iso } end { iso } } ... on Source { published { iso } } }`;
const EDGE_FRAGMENT = `fragment E on Relationship {
  id type role roleTh description current status basis from { id } to { id }
  start { iso text } end { iso text }
  evidence { quote locator note source { id name url } }
}`;

// ------------------------------------------------------------ small helpers

const $ = (sel) => document.querySelector(sel);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "style") el.style.cssText = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// replace an element's children, skipping null and false, flattening arrays
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return el;
}

// ------------------------------------------------------------ API key

// The key and its box: apikey.js, shared with the analysis page.

// fetch with the API key (or the one given) as a bearer token
function authFetch(url, init = {}, key = apiKey()) {
  const headers = new Headers(init.headers || {});
  if (key) headers.set("Authorization", `Bearer ${key}`);
  return fetch(url, { ...init, headers });
}

const AUTH_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);

async function gql(query, variables, key = apiKey()) {
  const res = await authFetch("/query", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  }, key);
  let body;
  try {
    body = await res.json();
  } catch {
    throw httpError(res);
  }
  if (body.errors && body.errors.length) {
    const err = new Error(body.errors.map((e) => e.message).join("; "));
    err.code = (body.errors[0].extensions && body.errors[0].extensions.code) || `HTTP_${res.status}`;
    if (AUTH_CODES.has(err.code)) {
      err.auth = true;
      err.serverMessage = err.message;
      err.message = keyProblem(err.code, key);
    }
    throw err;
  }
  if (!res.ok) throw httpError(res);
  return body.data;
}

function httpError(res) {
  const err = new Error(`HTTP ${res.status} ${res.statusText || ""}`.trim());
  err.code = `HTTP_${res.status}`;
  return err;
}

// an error as the status line says it: its code, then what it means
function errorText(err) {
  if (err.code === "RATE_LIMITED") return "ผิดพลาด error RATE_LIMITED: ส่งคำขอถี่เกินไป · too many requests, wait a moment and retry";
  return `ผิดพลาด error${err.code ? ` ${err.code}` : ""}: ${err.message}`;
}

// why a request was refused, in words, from its code and the key it carried
function keyProblem(code, key) {
  if (code === "FORBIDDEN") return "กุญแจนี้ไม่มีสิทธิ์อ่าน · this key's role may not read: the server needs a reader key";
  if (key) return "เซิร์ฟเวอร์ไม่รับกุญแจนี้ · the server refused this key (unknown or mistyped): it needs a valid reader key";
  return "ยังไม่ได้ใส่กุญแจ · no key given: this server needs a reader key";
}

// the server refused a read: say so over the graph and open the key field
function needKey(err) {
  document.body.dataset.auth = "needed";
  $("#auth-reason").textContent = err.message;
  $("#auth-reason").title = err.serverMessage || "";
  $("#auth-notice").hidden = false;
  $("#empty").hidden = true;
  openKeyBox();
  keyMessage(err.message, true);
}

function keyAccepted() {
  document.body.dataset.auth = apiKey() ? "key" : "open";
  $("#auth-notice").hidden = true;
  $("#empty").hidden = cy ? cy.nodes().length > 0 : false;
}

function keyMessage(text, isError = false) {
  const m = $("#key-msg");
  m.textContent = text || "";
  m.classList.toggle("error", isError);
}

function renderKeyState() {
  const has = !!apiKey();
  $("#key-button").classList.toggle("has-key", has);
  fill($("#key-state"), has ? ["ใช้กุญแจอยู่ ", h("span", { class: "en" }, "key set")] : ["กุญแจ ", h("span", { class: "en" }, "API key")]);
  $("#key-forget").disabled = !has;
}

// Save: check the key with one small read before keeping it, then redo
// what the refusal left undone (the sides, the search, the drawing)
async function saveKey() {
  let key;
  try {
    key = parseKey($("#key-input").value);
  } catch (err) {
    keyMessage(err.message, true);
    $("#key-input").focus();
    return;
  }
  keyMessage("กำลังตรวจกุญแจ · checking the key…");
  try {
    await withBusy("กำลังตรวจกุญแจ checking the key…", () => loadSides(key));
  } catch (err) {
    if (!err.auth) keyMessage(`ผิดพลาด error: ${err.message}`, true);
    return; // an auth refusal has shown itself (needKey); the key is not kept
  }
  storeKey(key);
  $("#key-input").value = "";
  renderKeyState();
  keyAccepted();
  keyMessage("รับกุญแจแล้ว · key accepted (kept in this tab's sessionStorage)");
  closeKeyBox();
  setStatus("รับกุญแจแล้ว · key accepted");
  const q = $("#search-input").value.trim();
  if (q) search(q).catch(() => {});
  if (state.roots.length) {
    if (cy.nodes().length) await refresh().catch(() => {});
    else await setRoot(state.roots[0]).catch(() => {});
  }
}

function forgetKey() {
  storeKey("");
  $("#key-input").value = "";
  renderKeyState();
  keyMessage("ลืมกุญแจแล้ว · key forgotten (removed from sessionStorage)");
}

function buildKeyControls() {
  renderKeyState();
  $("#key-button").addEventListener("click", () => ($("#key-box").hidden ? openKeyBox() : closeKeyBox()));
  $("#auth-open-key").addEventListener("click", openKeyBox);
  $("#key-box").addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveKey().catch(() => {});
  });
  $("#key-forget").addEventListener("click", forgetKey);
  $("#key-close").addEventListener("click", closeKeyBox);
  $("#key-box").addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      closeKeyBox();
      $("#key-button").focus();
    }
  });
}

// Thai has no spaces between words: break names at word boundaries
// (Intl.Segmenter) into at most three short lines for the canvas labels.
const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("th", { granularity: "word" }) : null;
function wrapLabel(text, width = 16, maxLines = 3) {
  if (!text) return "";
  const words = segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : text.split(/(\s+)/);
  const lines = [];
  let line = "";
  for (const w of words) {
    if (line && (line + w).length > width) {
      lines.push(line.trim());
      line = w.trimStart();
    } else {
      line += w;
    }
  }
  if (line.trim()) lines.push(line.trim());
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] += "…";
  }
  return lines.join("\n");
}

// body[data-state] is busy while requests run; body[data-ops] counts the
// finished operations (tests wait on both)
const busy = { n: 0, ops: 0 };
async function withBusy(what, fn) {
  busy.n++;
  document.body.dataset.state = "busy";
  setStatus(what, false, "busy");
  try {
    return await fn();
  } catch (err) {
    if (err.auth) {
      console.warn(err.serverMessage || err.message);
      setStatus(`ต้องใช้กุญแจ API · this server needs a reader API key (${err.code})`, true);
      needKey(err);
    } else {
      console.warn(err);
      setStatus(errorText(err), true);
    }
    throw err;
  } finally {
    document.body.dataset.ops = String(++busy.ops);
    if (--busy.n === 0) document.body.dataset.state = "idle";
  }
}

// the status line says what is true now; data-status says what kind of
// news it is (busy, results, empty, error, info) for tests and styling
function setStatus(text, isError = false, kind = isError ? "error" : "info") {
  const s = $("#status");
  s.textContent = text || "";
  s.classList.toggle("error", isError);
  s.dataset.status = text ? kind : "";
  s.hidden = !text;
}

function summarize() {
  const nodes = cy.nodes(":visible").length;
  const edges = cy.edges(":visible").length;
  let text = nodes ? `${nodes} โหนด nodes · ${edges} เส้น edges` : "";
  const hidden = cy.nodes(".hidden").length;
  const hiddenEdges = cy.edges(".hidden").length;
  if (hidden || hiddenEdges) {
    const by = [$("#side").value && "side", state.time.mode !== "all" && "time"].filter(Boolean).join(" and ");
    text += ` · ซ่อน ${hidden} โหนด ${hiddenEdges} เส้น · ${hidden} nodes, ${hiddenEdges} edges hidden by the ${by} filter`;
  }
  if (state.truncated) text += ` · ถูกตัดที่เพดาน ${filters().cap} truncated at the cap`;
  if (!nodes && state.roots.length) text = "ไม่มีอะไรให้แสดง · nothing to show with these filters";
  setStatus(text, false, nodes ? "results" : "empty");
  $("#empty").hidden = cy.nodes().length > 0 || !$("#auth-notice").hidden;
}

// ------------------------------------------------------------ state

const state = {
  roots: [], // ids whose neighborhoods are drawn, in order
  path: null, // { from, to, nodes: [ids], edges: [ids], steps }
  truncated: false,
  details: new Map(), // node id -> node(id:) details
  time: { mode: "all", at: "", from: "", to: "" }, // the time slider, ISO days
  measures: null, // computeMeasures' summary of what is shown
  live: false, // whether the address bar carries the whole view (#…)
};

// ------------------------------------------------------------ filters

function checked(container) {
  return Array.from(container.querySelectorAll("input:checked"), (i) => i.value);
}

function filters() {
  const labels = checked($("#label-filters"));
  const types = checked($("#type-filters"));
  const f = {
    depth: Number($("#depth").value) || 1,
    cap: Math.min(1000, Math.max(1, Number($("#cap").value) || 200)),
  };
  if (labels.length < LABELS.length) f.labels = labels;
  if (types.length < TYPES.length) f.types = types;
  const from = $("#date-from").value.trim();
  const to = $("#date-to").value.trim();
  if (from) f.from = from;
  if (to) f.to = to;
  return f;
}

const DATE_RE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
function datesValid() {
  for (const sel of ["#date-from", "#date-to"]) {
    const v = $(sel).value.trim();
    if (v && !DATE_RE.test(v)) {
      setStatus(`วันที่ไม่ถูกต้อง invalid date "${v}": use 2007, 2007-04 or 2007-04-11`, true);
      return false;
    }
  }
  return true;
}

// neighborhood of several ids in one request (one alias per root)
async function fetchNeighborhoods(ids) {
  const f = filters();
  const decl = ["$depth: Int!", "$cap: Int!"];
  const args = ["depth: $depth", "cap: $cap"];
  const vars = { depth: f.depth, cap: f.cap };
  for (const [name, type] of [["types", "[RelationshipType!]"], ["labels", "[String!]"], ["from", "String"], ["to", "String"]]) {
    if (f[name] !== undefined) {
      decl.push(`$${name}: ${type}`);
      args.push(`${name}: $${name}`);
      vars[name] = f[name];
    }
  }
  const fields = ids.map((id, i) => {
    decl.push(`$id${i}: ID!`);
    vars[`id${i}`] = id;
    return `n${i}: neighborhood(id: $id${i}, ${args.join(", ")}) { truncated nodes { ...N } edges { ...E } }`;
  });
  const q = `query Neighborhood(${decl.join(", ")}) {\n${fields.join("\n")}\n}\n${NODE_FRAGMENT}\n${EDGE_FRAGMENT}`;
  const data = await gql(q, vars);
  const out = { nodes: new Map(), edges: new Map(), truncated: false };
  ids.forEach((_, i) => {
    const sg = data[`n${i}`];
    out.truncated ||= sg.truncated;
    for (const n of sg.nodes) out.nodes.set(n.id, n);
    for (const e of sg.edges) out.edges.set(e.id, e);
  });
  return out;
}

// ------------------------------------------------------------ drawing

function nodeData(n) {
  const l = LABEL[n.label] || { color: "#999", shape: "ellipse" };
  return {
    id: n.id,
    label: n.label,
    name: n.name,
    nameEn: n.nameEn || "",
    advances: (n.advances || []).map((s) => s.id),
    status: n.status || "STATED",
    display: wrapLabel(n.name),
    display1: wrapLabel(n.name, 18, 1),
    start: (n.start || n.published || {}).iso || "",
    end: (n.end || {}).iso || "",
    color: l.color,
    fill: l.color,
    ink: inkOn(l.color),
    shape: l.shape,
    sz: 24,
    lbl: "",
    fs: 12,
    pad: 2,
    my: 3,
  };
}

function edgeData(e) {
  return {
    id: e.id,
    source: e.from.id,
    target: e.to.id,
    type: e.type,
    role: e.role || "",
    roleTh: e.roleTh || "",
    status: e.status || "STATED",
    // the type in Thai, and the role in Thai when it has one
    display: [TYPE_TH[e.type] || e.type, e.roleTh].filter(Boolean).join(" · "),
    rel: e,
    fs: 11,
    pad: 2,
  };
}

// a small deterministic random generator (mulberry32), seeded by a string:
// the same view lays out the same way when it is opened again
function seeded(text) {
  let a = 2166136261;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 16777619);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// merge nodes and edges into the drawing; new nodes start near `around`
function merge(nodes, edges, around) {
  const added = [];
  const center = around && cy.getElementById(around).nonempty() ? cy.getElementById(around).position() : null;
  const random = seeded([...nodes.keys()].sort().join(","));
  cy.batch(() => {
    for (const n of nodes.values()) {
      const el = cy.getElementById(n.id);
      if (el.nonempty()) {
        el.data(nodeData(n));
        continue;
      }
      const pos = center
        ? { x: center.x + (random() - 0.5) * 160, y: center.y + (random() - 0.5) * 160 }
        : { x: random() * 400, y: random() * 400 };
      added.push(cy.add({ group: "nodes", data: nodeData(n), position: pos }));
    }
    for (const e of edges.values()) {
      if (cy.getElementById(e.id).nonempty()) continue;
      if (cy.getElementById(e.from.id).empty() || cy.getElementById(e.to.id).empty()) continue;
      added.push(cy.add({ group: "edges", data: edgeData(e) }));
    }
    cy.nodes().removeClass("root");
    for (const id of state.roots) cy.getElementById(id).addClass("root expanded");
  });
  return added.length;
}

// the group a node is laid out with: its community, or its strategy side
function groupOf(n, by) {
  if (by === "community") return n.data("comm");
  if (by === "side") return sideOf(n);
  return 0;
}

// the strategy side of a node: the side itself, the one side it advances,
// "several", or "" (none)
function sideOf(n) {
  if (n.data("label") === "StrategySide") return n.id();
  const adv = n.data("advances") || [];
  return adv.length === 1 ? adv[0] : adv.length > 1 ? "several" : "";
}

// a force layout (fCoSE) that keeps each group together and the groups
// apart: edges within a group are short and stiff, edges between groups
// long and slack. Seeded, so a view lays out the same way again.
function runLayout(randomize) {
  const visible = cy.elements().not(".hidden");
  if (visible.empty()) return Promise.resolve();
  const by = $("#group-by").value;
  const same = (e) => by !== "none" && groupOf(e.source(), by) === groupOf(e.target(), by) && groupOf(e.source(), by) !== "";
  const n = visible.nodes().length;
  const spread = n > 300 ? 0.6 : 1; // big drawings: shorter edges, the view fits them
  const fcose = !!cytoscape("layout", "fcose");
  const options = fcose
    ? {
      name: "fcose",
      quality: "default",
      randomize,
      animate: false,
      fit: true,
      padding: 30,
      samplingType: false, // greedy pivots: deterministic
      nodeDimensionsIncludeLabels: false,
      packComponents: true,
      nodeRepulsion: () => 9000,
      idealEdgeLength: (e) => (same(e) ? 70 : 190) * spread,
      edgeElasticity: (e) => (same(e) ? 0.5 : 0.08),
      nodeSeparation: 90,
      gravity: 0.2,
      gravityRange: 3.0,
      numIter: 2500,
      tile: true,
    }
    : {
      name: "cose",
      animate: false,
      randomize,
      fit: true,
      padding: 40,
      nodeRepulsion: () => 12000,
      idealEdgeLength: (e) => (same(e) ? 70 : 160),
      edgeElasticity: () => 80,
      gravity: 0.5,
      numIter: 1500,
    };
  const began = performance.now();
  return new Promise((resolve) => {
    const layout = visible.layout(options);
    layout.one("layoutstop", () => (document.body.dataset.layoutMs = String(Math.round(performance.now() - began))));
    layout.one("layoutstop", () => resolve());
    // the layouts draw from Math.random: seed it while they run
    const random = Math.random;
    Math.random = seeded(visible.nodes().map((x) => x.id()).sort().join(","));
    try {
      layout.run();
    } finally {
      Math.random = random;
    }
  });
}

// the side filter: keep the actors that advance the side (and the side
// itself), plus the nodes that connect two of them; path elements stay
function applySide() {
  const side = $("#side").value;
  cy.batch(() => {
    cy.elements().removeClass("hidden timed-out");
    if (!side) return;
    const kept = cy.nodes().filter((n) => n.id() === side || n.data("advances").includes(side));
    const connectors = cy.nodes().difference(kept).filter((n) => n.neighborhood("node").intersection(kept).length >= 2);
    const visible = kept.union(connectors).union(cy.elements(".path"));
    cy.nodes().difference(visible).addClass("hidden");
    cy.edges().filter((e) => e.source().hasClass("hidden") || e.target().hasClass("hidden")).addClass("hidden");
  });
}

// the side filter, then the time slider; then the measures of what is
// shown and the styling that shows them
function applyFilters() {
  applySide();
  const f = timeFilter();
  const cut = applyTime(cy, f, state.roots);
  if (state.path && f) {
    // a path stays whole: show its elements whatever their time
    cy.elements(".path.timed-out").removeClass("hidden timed-out");
  }
  state.timeCut = cut;
  state.measures = computeMeasures(cy);
  applyStyling();
}

function applyHighlight() {
  cy.batch(() => {
    cy.elements().removeClass("path faded");
    if (!state.path) return;
    const els = cy.collection();
    for (const id of [...state.path.nodes, ...state.path.edges]) els.merge(cy.getElementById(id));
    cy.elements().difference(els).addClass("faded");
    els.addClass("path");
  });
}

async function redraw(randomize) {
  applyHighlight();
  setTimeDomain();
  applyFilters();
  await runLayout(randomize);
  relabel();
  summarize();
  saveView();
}

// draw one node's neighborhood from scratch
async function setRoot(id) {
  await withBusy("กำลังโหลด loading…", async () => {
    state.roots = [id];
    state.path = null;
    renderPathSteps();
    const hood = await fetchNeighborhoods([id]);
    state.truncated = hood.truncated;
    cy.elements().remove();
    merge(hood.nodes, hood.edges);
    await redraw(true);
    const url = new URL(location.href);
    url.searchParams.set("id", id);
    history.replaceState(null, "", url);
    saveView();
  });
  select(id);
}

// merge a node's neighborhood into the drawing
async function expand(id) {
  await withBusy("กำลังขยาย expanding…", async () => {
    if (!state.roots.includes(id)) state.roots.push(id);
    const hood = await fetchNeighborhoods([id]);
    state.truncated ||= hood.truncated;
    const added = merge(hood.nodes, hood.edges, id);
    await redraw(false);
    if (!added) setStatus(`${$("#status").textContent} · ไม่มีโหนดใหม่ nothing new around ${id}`);
  });
}

// refetch every root with the current filters
async function refresh() {
  if (!state.roots.length || !datesValid()) return;
  await withBusy("กำลังกรอง filtering…", async () => {
    const hood = await fetchNeighborhoods(state.roots);
    state.truncated = hood.truncated;
    let pathNodes = new Map(), pathEdges = new Map();
    if (state.path) ({ nodes: pathNodes, edges: pathEdges } = await fetchPath(state.path.from, state.path.to));
    const keep = new Set([...hood.nodes.keys(), ...hood.edges.keys(), ...pathNodes.keys(), ...pathEdges.keys()]);
    cy.elements().filter((el) => !keep.has(el.id())).remove();
    const kept = cy.nodes().length;
    const added = merge(hood.nodes, hood.edges) + merge(pathNodes, pathEdges);
    // many new nodes (a deeper neighbourhood): lay out afresh
    await redraw(added > kept);
  });
}

// ------------------------------------------------------------ paths

async function fetchPath(from, to) {
  const f = filters();
  const vars = { from, to };
  let decl = "$from: ID!, $to: ID!";
  let typesArg = "";
  if (f.types) {
    decl += ", $types: [RelationshipType!]";
    typesArg = ", types: $types";
    vars.types = f.types;
  }
  const q = `query Path(${decl}) { paths(from: $from, to: $to, k: 1, maxLength: 6${typesArg}) { length nodes { ...N } edges { ...E } } }\n${NODE_FRAGMENT}\n${EDGE_FRAGMENT}`;
  const data = await gql(q, vars);
  const p = data.paths[0];
  const nodes = new Map(), edges = new Map();
  if (p) {
    for (const n of p.nodes) nodes.set(n.id, n);
    for (const e of p.edges) edges.set(e.id, e);
    state.path = { from, to, nodes: p.nodes.map((n) => n.id), edges: p.edges.map((e) => e.id), raw: p };
  } else {
    state.path = null;
  }
  return { nodes, edges, found: !!p };
}

// an input holds a picked node (dataset.id) or free text: an id or a name
async function resolveInput(input) {
  const v = input.value.trim();
  if (!v) throw new Error(`${input.getAttribute("aria-label")}: empty`);
  if (input.dataset.id && input.dataset.name === v) return input.dataset.id;
  const inDrawing = cy.getElementById(v);
  if (inDrawing.nonempty() && inDrawing.isNode()) return v;
  const data = await gql(
    `query Resolve($ids: [ID!]!, $q: String!) { nodes(ids: $ids) { id } search(query: $q, first: 1) { edges { node { id name } } } }`,
    { ids: [v], q: v },
  );
  if (data.nodes[0]) return data.nodes[0].id;
  const hit = data.search.edges[0];
  if (!hit) throw new Error(`ไม่พบ not found: ${v}`);
  setPathInput(input, hit.node.id, hit.node.name);
  return hit.node.id;
}

function setPathInput(input, id, name) {
  input.value = name;
  input.dataset.id = id;
  input.dataset.name = name;
}

async function findPath() {
  await withBusy("กำลังหาเส้นทาง finding a path…", async () => {
    const from = await resolveInput($("#path-from"));
    const to = await resolveInput($("#path-to"));
    const { nodes, edges, found } = await fetchPath(from, to);
    if (!found) {
      applyHighlight();
      renderPathSteps();
      summarize();
      setStatus(`ไม่พบเส้นทาง no path (≤ 6 hops) between ${from} and ${to}`, true);
      return;
    }
    const anchor = [...nodes.keys()].find((id) => cy.getElementById(id).nonempty());
    const added = merge(nodes, edges, anchor);
    applyHighlight();
    setTimeDomain();
    applyFilters();
    if (added) await runLayout(cy.nodes().length === nodes.size);
    cy.fit(cy.elements(".path"), 60);
    relabel();
    summarize();
    renderPathSteps();
    saveView();
  });
}

function clearPath() {
  state.path = null;
  applyHighlight();
  applyFilters();
  relabel();
  renderPathSteps();
  summarize();
  saveView();
}

function nodeName(id) {
  const n = cy.getElementById(id);
  return n.nonempty() ? n.data("name") : id;
}

function renderPathSteps() {
  const ol = $("#path-result");
  ol.replaceChildren();
  if (!state.path) return;
  const p = state.path.raw;
  p.nodes.forEach((n, i) => {
    const e = p.edges[i];
    ol.append(h("li", { lang: "th" },
      h("button", { type: "button", class: "linklike", onclick: () => select(n.id) }, n.name),
      e ? h("div", { class: "rel" },
        h("button", { type: "button", class: "linklike", dataset: { edge: e.id }, onclick: () => select(e.id) },
          `${e.from.id === n.id ? "↓" : "↑"} ${e.roleTh || TYPE_TH[e.type] || e.type} (${e.type})`)) : null));
  });
}

// ------------------------------------------------------------ search

let searchSeq = 0;
async function search(q) {
  q = q.trim();
  const ul = $("#search-results");
  if (!q) {
    ul.replaceChildren();
    return;
  }
  const seq = ++searchSeq;
  const f = filters();
  const vars = { q };
  let decl = "$q: String!", labelsArg = "";
  if (f.labels) {
    decl += ", $labels: [String!]";
    labelsArg = ", labels: $labels";
    vars.labels = f.labels;
  }
  // the results and the status line are written before the page is idle
  // again, so the status never lags behind what the list shows
  await withBusy(`กำลังค้นหา “${q}” · searching…`, async () => {
    const data = await gql(`query Search(${decl}) { search(query: $q${labelsArg}, first: 12) { totalCount edges { matchedText matchedField node { id label name nameEn } } } }`, vars);
    if (seq !== searchSeq) return;
    renderResults(q, data.search);
  });
}

function renderResults(q, found) {
  const ul = $("#search-results");
  ul.replaceChildren();
  const n = found.edges.length;
  if (!n) {
    ul.append(h("li", { class: "none", role: "option", "aria-disabled": "true" }, `ไม่พบ “${q}” · no match`));
    setStatus(`ไม่พบ “${q}” · nothing found`, false, "empty");
    return;
  }
  setStatus(n < found.totalCount
    ? `พบ ${found.totalCount} รายการ แสดง ${n} · ${found.totalCount} found for “${q}”, showing ${n}`
    : `พบ ${n} รายการ · ${n} found for “${q}”`, false, "results");
  for (const [i, { node, matchedText }] of found.edges.entries()) {
    const l = LABEL[node.label] || {};
    const pick = () => setRoot(node.id).catch(() => {});
    ul.append(h("li", {
      tabindex: i === 0 ? "0" : "-1", // one tab stop; the arrows move within
      role: "option",
      "aria-selected": "false",
      dataset: { id: node.id },
      title: `${node.nameEn || ""} (${node.id})`,
      onclick: pick,
      onkeydown: (ev) => {
        if (ev.key === "Enter" && ev.target === ev.currentTarget) pick();
      },
    },
    h("span", { class: "swatch", style: `background:${l.color}` }),
    h("div", { class: "r-main" },
      h("div", { class: "r-name", lang: "th" }, node.name),
      h("div", { class: "r-en" }, [node.nameEn, l.th && `${l.th} · ${node.label}`].filter(Boolean).join(" — ")),
      matchedText && matchedText !== node.name ? h("div", { class: "r-match", lang: "th" }, `พบใน: ${matchedText}`) : null),
    h("button", {
      type: "button",
      class: "r-add",
      tabindex: "-1",
      title: "เพิ่มลงในภาพ · Add to the drawing (keep what is drawn); key: +",
      "aria-label": `เพิ่ม ${node.name} · add to the drawing`,
      onclick: (ev) => {
        ev.stopPropagation();
        addNode(node.id);
      },
    }, "+")));
  }
}

function addNode(id) {
  if (!cy.nodes().length) setRoot(id).catch(() => {});
  else expand(id).then(() => select(id)).catch(() => {});
}

// the results list: ArrowDown/ArrowUp (and Home/End) move between results,
// Enter draws one, + adds it to the drawing, Escape goes back to the input;
// ArrowDown in the input enters the list
function resultsKeys() {
  const ul = $("#search-results");
  const items = () => Array.from(ul.querySelectorAll("li[data-id]"));
  const focusItem = (li) => {
    if (!li) return;
    for (const x of items()) {
      x.tabIndex = x === li ? 0 : -1;
      x.setAttribute("aria-selected", String(x === li));
    }
    li.focus();
  };
  ul.addEventListener("keydown", (ev) => {
    const list = items();
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    const go = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: list.length - 1 }[ev.key];
    if (go !== undefined) {
      ev.preventDefault();
      if (go < 0) $("#search-input").focus();
      else focusItem(list[Math.min(go, list.length - 1)]);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      $("#search-input").focus();
    } else if (ev.key === "+") {
      ev.preventDefault();
      addNode(list[i].dataset.id);
    }
  });
  $("#search-input").addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" && items().length) {
      ev.preventDefault();
      focusItem(items()[0]);
    }
  });
}

// ------------------------------------------------------------ side panel

function badge(label) {
  const l = LABEL[label] || { color: "#777", th: "" };
  const el = h("span", { class: "badge" }, l.th ? `${l.th} · ${label}` : label);
  el.style.background = l.color;
  el.style.color = inkOn(l.color); // AA contrast on any label colour
  return el;
}

function evidenceList(evidence) {
  if (!evidence || !evidence.length) return [h("p", { class: "en" }, "ไม่มีหลักฐาน · no evidence recorded")];
  return evidence.map((ev) =>
    h("div", { class: "evidence" },
      h("blockquote", { class: "quote", lang: "th" }, `“${ev.quote}”`),
      ev.note ? h("div", { class: "note" }, ev.note) : null,
      h("div", { class: "meta" },
        "ที่มา source: ",
        ev.source.url ? h("a", { href: ev.source.url, target: "_blank", rel: "noopener" }, ev.source.name) : ev.source.name,
        ev.locator ? ` — ${ev.locator}` : "")));
}

function select(id) {
  const el = cy.getElementById(id);
  if (el.empty()) return;
  cy.$(":selected").unselect();
  el.select();
  if (el.isNode()) showNode(id);
  else showEdge(id);
}

// the selection's relationships show their labels; the selected node is
// labelled first
function onSelectionChange() {
  cy.batch(() => {
    cy.edges(".sel-edge").removeClass("sel-edge");
    cy.nodes(":selected").connectedEdges().addClass("sel-edge");
  });
  relabelSoon();
  saveViewSoon();
}

// whether the keyboard is in the search results or the panel: then the
// panel's heading takes the focus once it is drawn
function keyboardInPanel() {
  const a = document.activeElement;
  return !!a && ($("#panel").contains(a) || $("#search-results").contains(a));
}
function focusPanel() {
  const t = $("#panel h2");
  if (t) t.focus();
}

let panelSeq = 0;
async function showNode(id) {
  const seq = ++panelSeq;
  const keyboard = keyboardInPanel();
  const el = cy.getElementById(id);
  const d = el.data();
  const panel = $("#panel");
  panel.dataset.kind = "node";
  panel.dataset.id = id;
  const nodeActions = h("div", { class: "actions" },
    h("button", { type: "button", class: "primary", id: "panel-expand", onclick: () => expand(id) }, "ขยาย Expand"),
    h("button", { type: "button", onclick: () => setPathInput($("#path-from"), id, d.name) }, "เส้นทางจาก Path from"),
    h("button", { type: "button", onclick: () => setPathInput($("#path-to"), id, d.name) }, "เส้นทางถึง Path to"),
    h("button", { type: "button", onclick: () => setRoot(id) }, "เริ่มใหม่ Focus"));
  const head = [
    badge(d.label),
    h("h2", { lang: "th", tabindex: "-1" }, d.name),
    d.nameEn ? h("p", { class: "name-en", lang: "en" }, d.nameEn) : null,
    nodeActions,
  ];
  fill(panel, ...head, h("p", { class: "en" }, "กำลังโหลด loading…"));

  let det = state.details.get(id);
  if (!det) {
    try {
      const data = await gql(
        `query Node($id: ID!) { node(id: $id) { id label name nameEn aliases description descriptionEn status basis evidence { quote locator note source { id name url } } } }`,
        { id });
      det = data.node;
      state.details.set(id, det);
    } catch (err) {
      if (seq === panelSeq) fill(panel, ...head, h("p", { class: "status error", role: "alert" }, errorText(err)));
      if (err.auth) needKey(err);
      return;
    }
  }
  if (seq !== panelSeq) return;
  const sides = (d.advances || []).map((s) => (SIDES.find((x) => x.id === s) || { name: s }).name);
  const rels = el.connectedEdges().map((e) => {
    const out = e.source().id() === id;
    const other = out ? e.target() : e.source();
    return h("li", {},
      h("button", { type: "button", class: "linklike", onclick: () => select(e.id()) },
        `${out ? "→" : "←"} ${e.data("display")}`),
      " ",
      h("button", { type: "button", class: "linklike plain", onclick: () => select(other.id()) }, other.data("name")));
  });
  const m = el.data();
  const commSize = state.measures && m.comm >= 0 ? state.measures.communities[m.comm] : 0;
  fill(panel,
    ...head,
    h("dl", {},
      h("dt", {}, "id"), h("dd", {}, h("code", {}, det.id)),
      h("dt", {}, "สถานะ status"), h("dd", { class: "status-of" }, `${(STATUS_NAMES[det.status] || [det.status])[0]} · ${det.status}`),
      det.basis ? [h("dt", {}, "เหตุผล basis"), h("dd", { lang: "th" }, det.basis)] : null,
      det.aliases.length ? [h("dt", {}, "ชื่ออื่น aliases"), h("dd", { lang: "th" }, det.aliases.join(", "))] : null,
      sides.length ? [h("dt", {}, "ด้าน sides"), h("dd", {}, sides.join(", "))] : null,
      el.visible() ? [
        h("dt", {}, "ระดับ degree"), h("dd", { class: "m-degree" }, String(m.deg)),
        h("dt", {}, "ความเป็นสะพาน betweenness"), h("dd", { class: "m-betweenness" }, m.btw.toFixed(3)),
        h("dt", {}, "กลุ่ม community"), h("dd", { class: "m-community" }, `${m.comm + 1} (${commSize} โหนด nodes)`),
      ] : null),
    det.description ? h("p", { class: "desc", lang: "th" }, det.description) : null,
    det.descriptionEn ? h("p", { class: "desc en-desc", lang: "en" }, det.descriptionEn) : null,
    h("h3", {}, "หลักฐาน ", h("span", { class: "en" }, "Evidence")),
    ...evidenceList(det.evidence),
    ...(rels.length ? [h("h3", {}, "ความสัมพันธ์ในภาพ ", h("span", { class: "en" }, `Relationships drawn (${rels.length})`)), h("ul", { class: "rels" }, rels)] : []),
  );
  if (keyboard) focusPanel();
}

function showEdge(id) {
  ++panelSeq;
  const keyboard = keyboardInPanel();
  const el = cy.getElementById(id);
  const e = el.data("rel");
  const panel = $("#panel");
  panel.dataset.kind = "edge";
  panel.dataset.id = id;
  const date = (d) => (d ? `${d.iso}${d.text ? ` (${d.text})` : ""}` : null);
  fill(panel,
    h("span", { class: "badge badge-rel" }, `ความสัมพันธ์ · ${e.type}`),
    h("h2", { lang: "th", tabindex: "-1" }, el.data("display")),
    h("p", { class: "name-en" },
      h("button", { type: "button", class: "linklike", onclick: () => select(e.from.id) }, nodeName(e.from.id)),
      ` → ${TYPE_TH[e.type] || ""} → `,
      h("button", { type: "button", class: "linklike", onclick: () => select(e.to.id) }, nodeName(e.to.id))),
    h("dl", {},
      h("dt", {}, "type"), h("dd", {}, e.type),
      e.role ? [h("dt", {}, "role"), h("dd", {}, e.role)] : null,
      e.roleTh ? [h("dt", {}, "roleTh"), h("dd", { lang: "th" }, e.roleTh)] : null,
      e.start ? [h("dt", {}, "เริ่ม start"), h("dd", {}, date(e.start))] : null,
      e.end ? [h("dt", {}, "สิ้นสุด end"), h("dd", {}, date(e.end))] : null,
      h("dt", {}, "current"), h("dd", {}, e.current ? "yes" : "no"),
      h("dt", {}, "สถานะ status"), h("dd", { class: "status-of" }, `${(STATUS_NAMES[e.status] || [e.status])[0]} · ${e.status}`),
      e.basis ? [h("dt", {}, "เหตุผล basis"), h("dd", { lang: "th" }, e.basis)] : null,
      h("dt", {}, "id"), h("dd", {}, h("code", {}, e.id))),
    e.description ? h("p", { class: "desc", lang: "th" }, e.description) : null,
    h("h3", {}, "หลักฐาน ", h("span", { class: "en" }, "Evidence")),
    ...evidenceList(e.evidence),
  );
  if (keyboard) focusPanel();
}

// the panel: ArrowDown/ArrowUp move between its buttons and links (the
// heading first), Escape goes back to the search results
function panelKeys() {
  const panel = $("#panel");
  panel.addEventListener("keydown", (ev) => {
    if (!["ArrowDown", "ArrowUp", "Escape"].includes(ev.key)) return;
    if (ev.target.matches("input, select, textarea")) return;
    if (ev.key === "Escape") {
      const li = $("#search-results li[tabindex='0']");
      if (li) {
        ev.preventDefault();
        li.focus();
      }
      return;
    }
    const stops = Array.from(panel.querySelectorAll("h2[tabindex], button, a[href]")).filter((x) => x.offsetParent !== null);
    const i = stops.indexOf(document.activeElement);
    const next = stops[ev.key === "ArrowDown" ? i + 1 : Math.max(0, i - 1)];
    if (next) {
      ev.preventDefault();
      next.focus();
    }
  });
}

// ------------------------------------------------------------ size and colour by measure

const SIDE_COLORS = {
  "side-social-process": "#d95f02",
  "side-knowledge": "#1b9e77",
  "side-politics": "#7570b3",
  several: "#e7298a",
  "": OTHER,
};
// how the sources carry a node or relationship (assertion status)
const STATUS_COLORS = { STATED: "#1b7f5f", INFERRED: "#d99a00", DISPUTED: "#c62828" };
const STATUS_NAMES = { STATED: ["ระบุในแหล่ง", "stated"], INFERRED: ["อนุมาน", "inferred"], DISPUTED: ["โต้แย้ง", "disputed"] };
const MEASURE_NAMES = {
  status: ["สถานะการยืนยัน", "assertion status"],
  type: ["ประเภท", "type"],
  degree: ["ระดับ", "degree"],
  betweenness: ["ความเป็นสะพาน", "betweenness"],
  community: ["กลุ่ม", "community"],
  side: ["ด้านยุทธศาสตร์", "strategy side"],
  none: ["เท่ากัน", "uniform"],
};

function sideName(id) {
  if (id === "several") return ["หลายด้าน", "several sides"];
  if (!id) return ["ไม่ระบุด้าน", "no side"];
  const s = SIDES.find((x) => x.id === id) || { name: id, nameEn: id };
  return [s.name, s.nameEn || s.id];
}

// node sizes and fills from the chosen measures (computeMeasures' data)
function applyStyling() {
  const sizeBy = $("#size-by").value;
  const colorBy = $("#color-by").value;
  const m = state.measures || { maxDeg: 0, maxBtw: 0 };
  const scale = (v, max) => (max > 0 ? Math.sqrt(v / max) : 0);
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const d = n.data();
      let sz = 24;
      if (sizeBy === "degree") sz = 16 + 34 * scale(d.deg, m.maxDeg);
      else if (sizeBy === "betweenness") sz = 16 + 38 * scale(d.btw, m.maxBtw);
      let fill = d.color;
      if (colorBy === "community") fill = d.comm >= 0 ? CATEGORICAL[d.comm] || OTHER : OTHER;
      else if (colorBy === "side") fill = SIDE_COLORS[sideOf(n)] || OTHER;
      else if (colorBy === "status") fill = STATUS_COLORS[d.status] || OTHER;
      else if (colorBy === "degree") fill = ramp(m.maxDeg ? d.deg / m.maxDeg : 0);
      else if (colorBy === "betweenness") fill = ramp(m.maxBtw ? Math.sqrt(d.btw / m.maxBtw) : 0);
      n.data({ sz, fill });
    });
  });
  renderLegend();
}

function swatch(color) {
  const i = h("i", { class: "swatch" });
  i.style.background = color;
  return i;
}

// the legend over the drawing: what the colours and the sizes say
function renderLegend() {
  const colorBy = $("#color-by").value;
  const sizeBy = $("#size-by").value;
  const m = state.measures;
  const box = $("#map-legend");
  const items = [];
  if (colorBy === "type") {
    const present = new Set(cy ? cy.nodes().not(".hidden").map((n) => n.data("label")) : []);
    for (const l of LABELS) {
      if (present.size && !present.has(l.id)) continue;
      items.push(h("li", {}, swatch(l.color), `${l.th} `, h("span", { class: "en" }, l.id)));
    }
  } else if (colorBy === "community") {
    const sizes = (m && m.communities) || [];
    sizes.slice(0, CATEGORICAL.length).forEach((size, i) =>
      items.push(h("li", { title: `community ${i + 1}: ${size} nodes` }, swatch(CATEGORICAL[i]), `${i + 1} `, h("span", { class: "en" }, `(${size})`))));
    if (sizes.length > CATEGORICAL.length) {
      const rest = sizes.slice(CATEGORICAL.length).reduce((a, b) => a + b, 0);
      items.push(h("li", { class: "wide" }, swatch(OTHER), "กลุ่มอื่น ", h("span", { class: "en" }, `${sizes.length - CATEGORICAL.length} smaller (${rest})`)));
    }
    items.unshift(h("li", { class: "wide" }, `${sizes.length} กลุ่ม `, h("span", { class: "en" }, `communities (Louvain)`)));
  } else if (colorBy === "side") {
    for (const id of [...SIDES.map((s) => s.id), "several", ""]) {
      const [th, en] = sideName(id);
      items.push(h("li", {}, swatch(SIDE_COLORS[id] || OTHER), `${th} `, h("span", { class: "en" }, en)));
    }
  } else if (colorBy === "status") {
    for (const [k, [th, en]] of Object.entries(STATUS_NAMES)) items.push(h("li", {}, swatch(STATUS_COLORS[k]), `${th} `, h("span", { class: "en" }, en)));
  } else {
    const max = m ? (colorBy === "degree" ? m.maxDeg : m.maxBtw) : 0;
    const fmt = (v) => (colorBy === "degree" ? String(Math.round(v)) : v.toFixed(3));
    items.push(h("li", { class: "ramp" }, ...RAMP_STOPS.map(swatch), h("span", { class: "en" }, `0 – ${fmt(max)}`)));
  }
  const [cth, cen] = MEASURE_NAMES[colorBy];
  const [sth, sen] = MEASURE_NAMES[sizeBy];
  fill(box,
    h("div", { class: "legend-title" }, `สี: ${cth} `, h("span", { class: "en" }, `colour: ${cen}`)),
    h("ul", { class: colorBy === "community" ? "legend-items many" : "legend-items" }, items),
    h("div", { class: "legend-title" }, `ขนาด: ${sth} `, h("span", { class: "en" }, `size: ${sen}${m && sizeBy !== "none" ? ` (max ${sizeBy === "degree" ? m.maxDeg : m.maxBtw.toFixed(3)})` : ""}`)),
    edgeStatusNote(),
    m ? h("div", { class: "legend-note en" }, `วัดจากภาพ · measured on the ${m.nodes} nodes shown`) : null);
  box.hidden = !cy || cy.nodes().empty();
}

// what the edges' dashes and red say, when the drawing has such edges
function edgeStatusNote() {
  if (!cy) return null;
  const shown = cy.edges().not(".hidden");
  const inferred = shown.filter((e) => e.data("status") === "INFERRED").length;
  const disputed = shown.filter((e) => e.data("status") === "DISPUTED").length;
  if (!inferred && !disputed) return null;
  return h("div", { class: "legend-note" },
    inferred ? [`เส้นประ: อนุมาน (${inferred}) `, h("span", { class: "en" }, "dashed: inferred")] : null,
    inferred && disputed ? " · " : null,
    disputed ? [`เส้นแดง: โต้แย้ง (${disputed}) `, h("span", { class: "en" }, "red: disputed")] : null);
}

// ------------------------------------------------------------ labels

// importance: the focus, the selection and the path first, then the
// size measure (or degree), so the labels that stay are the ones that matter
let labelRuns = 0;
function relabel() {
  if (!cy) return;
  const key = $("#size-by").value === "betweenness" ? "btw" : "deg";
  const first = [...cy.nodes(":selected").map((n) => n.id()), ...state.roots, ...(state.path ? state.path.nodes : [])];
  const firstSet = new Set(first);
  const rest = cy.nodes().not(".hidden").filter((n) => !firstSet.has(n.id())).toArray()
    .sort((a, b) => b.data(key) - a.data(key) || b.data("deg") - a.data("deg") || (a.id() < b.id() ? -1 : 1))
    .map((n) => n.id());
  const shown = cy.nodes().not(".hidden").length;
  const top = Math.max(5, Math.ceil(Math.sqrt(shown)));
  const placed = placeLabels(cy, [...new Set(first)].concat(rest), top);
  document.body.dataset.labels = String(placed);
  document.body.dataset.labelRuns = String(++labelRuns);
}
let relabelTimer;
function relabelSoon() {
  clearTimeout(relabelTimer);
  relabelTimer = setTimeout(relabel, 120);
}

// ------------------------------------------------------------ time

function timeFilter() {
  const t = state.time;
  if (t.mode === "asof") {
    const r = dayRange(t.at);
    return r ? { mode: "asof", at: r[1] } : null;
  }
  if (t.mode === "span") {
    const a = dayRange(t.from), b = dayRange(t.to);
    return a && b ? { mode: "span", from: a[0], to: b[1] } : null;
  }
  return null;
}

// the sliders span the dates of the drawing (a month either side)
function setTimeDomain() {
  const dom = timeDomain(cy);
  const a = $("#time-a"), b = $("#time-b");
  const none = !dom;
  $("#time-card").dataset.dated = none ? "no" : "yes";
  if (none) {
    a.disabled = b.disabled = true;
    $("#time-note").textContent = "ภาพนี้ไม่มีวันที่ · nothing drawn has a date";
    renderTime();
    return;
  }
  const lo = dom.lo - 31, hi = dom.hi + 31;
  for (const r of [a, b]) {
    r.min = String(lo);
    r.max = String(hi);
  }
  const t = state.time;
  if (!t.at) t.at = isoDay(dom.hi);
  if (!t.from) t.from = isoDay(dom.lo);
  if (!t.to) t.to = isoDay(dom.hi);
  $("#time-note").textContent = `วันที่ในภาพ ${dayText(dom.lo)} – ${dayText(dom.hi)} · undated elements stay`;
  renderTime();
}

// the controls from state.time
function renderTime() {
  const t = state.time;
  for (const r of document.querySelectorAll("input[name=time-mode]")) r.checked = r.value === t.mode;
  const a = $("#time-a"), b = $("#time-b");
  const dated = $("#time-card").dataset.dated === "yes";
  const day = (iso, end) => {
    const r = dayRange(iso);
    return r ? r[end ? 1 : 0] : Number(a.min);
  };
  if (t.mode === "span") {
    a.value = String(day(t.from, false));
    b.value = String(day(t.to, true));
  } else {
    a.value = String(day(t.at, true));
  }
  a.disabled = !dated || t.mode === "all";
  b.disabled = !dated || t.mode !== "span";
  $("#time-b-row").hidden = t.mode !== "span";
  const aText = t.mode === "span" ? "ตั้งแต่ from" : "ณ วันที่ as of";
  $("#time-a-label").textContent = aText;
  $("#time-a-text").textContent = t.mode === "all" ? "ทุกช่วงเวลา · all time" : dayText(Number(a.value));
  $("#time-b-text").textContent = dayText(Number(b.value));
  a.setAttribute("aria-valuetext", $("#time-a-text").textContent);
  b.setAttribute("aria-valuetext", $("#time-b-text").textContent);
}

// a move of the slider: filter what is drawn, no request, no new layout
// (the picture stays put so the analyst sees what comes and goes)
function onTimeInput() {
  const t = state.time;
  const a = Number($("#time-a").value), b = Number($("#time-b").value);
  if (t.mode === "asof") t.at = isoDay(a);
  if (t.mode === "span") {
    t.from = isoDay(Math.min(a, b));
    t.to = isoDay(Math.max(a, b));
  }
  renderTime();
  if (!cy.nodes().length) return;
  applyHighlight();
  applyFilters();
  relabel();
  summarize();
  saveViewSoon();
}

function buildTimeControls() {
  for (const r of document.querySelectorAll("input[name=time-mode]")) {
    r.addEventListener("change", () => {
      state.time.mode = r.value;
      renderTime();
      onTimeInput();
    });
  }
  $("#time-a").addEventListener("input", onTimeInput);
  $("#time-b").addEventListener("input", onTimeInput);
  renderTime();
}

// ------------------------------------------------------------ the view in the URL

// the whole view as URL parameters: focus (roots), depth, cap, filters,
// side, styling, time, path and selection
function viewParams() {
  const p = new URLSearchParams();
  const f = filters();
  if (state.roots.length) p.set("roots", state.roots.join(","));
  p.set("depth", String(f.depth));
  p.set("cap", String(f.cap));
  if (f.labels) p.set("labels", f.labels.join(","));
  if (f.types) p.set("types", f.types.join(","));
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if ($("#side").value) p.set("side", $("#side").value);
  p.set("size", $("#size-by").value);
  p.set("color", $("#color-by").value);
  p.set("group", $("#group-by").value);
  const t = state.time;
  if (t.mode === "asof") p.set("asof", t.at);
  if (t.mode === "span") p.set("span", `${t.from}~${t.to}`);
  if (state.path) p.set("path", `${state.path.from}~${state.path.to}`);
  const sel = cy && cy.$(":selected");
  if (sel && sel.nonempty()) p.set("sel", sel.first().id());
  return p;
}

function viewURL() {
  const url = new URL(location.href);
  url.search = "";
  url.hash = viewParams().toString();
  return url.href;
}

let lastHash = "";
function saveView() {
  if (!cy) return;
  const href = viewURL();
  $("#share-url").value = href;
  if (state.live) {
    lastHash = new URL(href).hash;
    history.replaceState(null, "", href);
  }
}
let saveTimer;
function saveViewSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveView, 150);
}

function setChecks(container, values) {
  const want = values ? new Set(values) : null;
  for (const i of container.querySelectorAll("input")) i.checked = !want || want.has(i.value);
}

function setSelect(sel, value) {
  if (value != null && Array.from(sel.options).some((o) => o.value === value)) sel.value = value;
}

// openView draws the view a URL's hash describes: the controls first, then
// the roots' neighbourhoods in one request (and the path in another)
async function openView(p) {
  const list = (k) => (p.get(k) ? p.get(k).split(",").filter(Boolean) : null);
  setSelect($("#depth"), p.get("depth"));
  if (p.get("cap")) $("#cap").value = p.get("cap");
  setChecks($("#label-filters"), list("labels"));
  setChecks($("#type-filters"), list("types"));
  $("#date-from").value = p.get("from") || "";
  $("#date-to").value = p.get("to") || "";
  setSelect($("#side"), p.get("side") || "");
  setSelect($("#size-by"), p.get("size"));
  setSelect($("#color-by"), p.get("color"));
  setSelect($("#group-by"), p.get("group"));
  state.time = { mode: "all", at: "", from: "", to: "" };
  if (p.get("asof")) Object.assign(state.time, { mode: "asof", at: p.get("asof") });
  else if (p.get("span")) {
    const [from, to] = p.get("span").split("~");
    Object.assign(state.time, { mode: "span", from, to });
  }
  renderTime();
  state.live = true;
  const roots = list("roots") || [];
  const path = (p.get("path") || "").split("~");
  if (!roots.length && path.length !== 2) {
    saveView();
    return;
  }
  if (!datesValid()) return;
  await withBusy("กำลังเปิดมุมมอง · opening the shared view…", async () => {
    state.roots = roots;
    state.path = null;
    const hood = roots.length ? await fetchNeighborhoods(roots) : { nodes: new Map(), edges: new Map(), truncated: false };
    state.truncated = hood.truncated;
    let pathNodes = new Map(), pathEdges = new Map();
    if (path.length === 2 && path[0] && path[1]) ({ nodes: pathNodes, edges: pathEdges } = await fetchPath(path[0], path[1]));
    cy.elements().remove();
    merge(hood.nodes, hood.edges);
    merge(pathNodes, pathEdges);
    renderPathSteps();
    await redraw(true);
  });
  const sel = p.get("sel");
  if (sel && cy.getElementById(sel).nonempty()) select(sel);
  else saveView();
}

async function share() {
  state.live = true;
  saveView();
  const href = $("#share-url").value;
  let copied = false;
  try {
    await navigator.clipboard.writeText(href);
    copied = true;
  } catch {
    // no clipboard (permissions, http): the link is in the field to copy
  }
  $("#share-url").select();
  setStatus(copied ? "คัดลอกลิงก์มุมมองแล้ว · link to this view copied" : "ลิงก์มุมมองอยู่ในช่องด้านล่าง · the link to this view is in the field below", false, "info");
}

// ------------------------------------------------------------ export

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function viewName() {
  const root = state.roots[0] || (state.path ? `${state.path.from}-${state.path.to}` : "view");
  return `phakhi-${root}-d${filters().depth}`;
}

const BG = "#fffdf8";
async function exportImage(kind) {
  if (!cy.nodes().length) {
    setStatus("ยังไม่มีภาพให้ส่งออก · nothing drawn to export", true);
    return;
  }
  if (kind === "png") {
    const blob = cy.png({ output: "blob", full: true, scale: 2, bg: BG, maxWidth: 6000, maxHeight: 6000 });
    download(blob, `${viewName()}.png`);
  } else {
    // our own SVG writer (svg.js): the drawing as shown, labels as text
    const svg = await toSVG(cy, { bg: BG, title: `ภาคี Phakhi · ${viewName()}` });
    download(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }), `${viewName()}.svg`);
  }
  setStatus(`ส่งออกภาพ ${kind.toUpperCase()} แล้ว · ${kind.toUpperCase()} of the view downloaded`, false, "info");
}

// the view's subgraph in an export format, from the server (exportGraph):
// the neighbourhood of every focus at the view's depth, labels and types,
// and the path when one is drawn. One focus (or a path alone) is one
// exportGraph; several are one each, asked for in as few requests as the
// query cost allows, and merged by id in the page (exports.js).
const EXPORTS_PER_REQUEST = 8; // exportGraph costs 10,000 of the default 100,000
async function exportData() {
  const format = $("#export-format").value;
  const f = filters();
  const parts = state.roots.map((id) => {
    const sg = { around: id, depth: f.depth };
    if (f.labels) sg.labels = f.labels;
    if (f.types) sg.types = f.types;
    return sg;
  });
  if (state.path) parts.push({ pathFrom: state.path.from, pathTo: state.path.to, k: 1, maxLength: 6 });
  if (!parts.length) {
    setStatus("ยังไม่มีภาพให้ส่งออก · nothing drawn to export", true);
    return;
  }
  await withBusy(`กำลังส่งออก ${format} · exporting…`, async () => {
    // the files to ask for: the format itself, or (a zip of several parts)
    // the CSV tables the page zips
    const zipped = format === "CSV_ZIP" && parts.length > 1;
    const asks = zipped
      ? parts.flatMap((sg) => [{ format: "CSV_NODES", sg }, { format: "CSV_EDGES", sg }])
      : parts.map((sg) => ({ format, sg }));
    const got = [];
    for (let i = 0; i < asks.length; i += EXPORTS_PER_REQUEST) {
      const batch = asks.slice(i, i + EXPORTS_PER_REQUEST);
      const vars = {};
      const decl = [], fields = [];
      batch.forEach((a, j) => {
        decl.push(`$f${j}: ExportFormat!`, `$s${j}: SubgraphInput`);
        vars[`f${j}`] = a.format;
        vars[`s${j}`] = a.sg;
        fields.push(`x${j}: exportGraph(format: $f${j}, subgraph: $s${j}) { format contentType filename nodeCount edgeCount encoding content }`);
      });
      const data = await gql(`query Export(${decl.join(", ")}) {\n${fields.join("\n")}\n}`, vars);
      batch.forEach((_, j) => got.push(data[`x${j}`]));
    }
    const bytes = (x) => (x.encoding === "base64" ? Uint8Array.from(atob(x.content), (c) => c.charCodeAt(0)) : x.content);
    const ext = (name) => (/(\.[a-z]+)?\.[a-z0-9]+$/i.exec(name) || [""])[0];
    let blob, filename, nodeCount, edgeCount;
    if (got.length === 1) {
      const x = got[0];
      blob = new Blob([bytes(x)], { type: x.contentType });
      ({ filename, nodeCount, edgeCount } = x);
    } else if (zipped) {
      const m = mergeZip(got.filter((x) => x.format === "CSV_NODES").map((x) => x.content), got.filter((x) => x.format === "CSV_EDGES").map((x) => x.content));
      ({ blob, nodeCount, edgeCount } = m);
      filename = `${viewName()}.csv.zip`;
    } else {
      const m = mergeExports(format, got.map((x) => x.content));
      blob = new Blob([m.body], { type: got[0].contentType });
      filename = `${viewName()}${ext(got[0].filename)}`;
      nodeCount = m.nodeCount ?? Math.max(...got.map((x) => x.nodeCount));
      edgeCount = m.edgeCount ?? Math.max(...got.map((x) => x.edgeCount));
    }
    download(blob, filename);
    document.body.dataset.exported = JSON.stringify({ format, filename, nodeCount, edgeCount, parts: parts.length });
    const drawn = cy.nodes().length;
    const what = [state.roots.length && `${state.roots.length} focus${state.roots.length > 1 ? "es" : ""}`, state.path && "the path"].filter(Boolean).join(" and ");
    const counted = format === "CSV_NODES" ? `${nodeCount} โหนด · exported ${nodeCount} nodes` : format === "CSV_EDGES" ? `${edgeCount} เส้น · exported ${edgeCount} edges`
      : `${nodeCount} โหนด ${edgeCount} เส้น · exported ${nodeCount} nodes, ${edgeCount} edges`;
    setStatus(`ส่งออก ${filename} แล้ว: ${counted} (${what}; ${drawn} drawn${f.from || f.to ? "; without the date filter" : ""})`, false, "info");
  });
}

// the export formats the server has (its ExportFormat enum), when
// introspection is on; else the list in index.html stays
async function loadExportFormats() {
  let data;
  try {
    data = await gql(`{ __type(name: "ExportFormat") { enumValues { name description } } }`);
  } catch {
    return;
  }
  const values = data.__type && data.__type.enumValues;
  if (!values || !values.length) return;
  const sel = $("#export-format");
  const known = new Map(Array.from(sel.options, (o) => [o.value, o.textContent]));
  const current = sel.value;
  sel.replaceChildren(...values.map((v) => h("option", { value: v.name, title: v.description || "" }, known.get(v.name) || v.name)));
  if (values.some((v) => v.name === current)) sel.value = current;
}

function buildViewControls() {
  for (const sel of ["#size-by", "#color-by"]) {
    $(sel).addEventListener("change", () => {
      applyStyling();
      relabel();
      saveView();
    });
  }
  $("#group-by").addEventListener("change", async () => {
    if (!cy.nodes().length) return saveView();
    await runLayout(true);
    relabel();
    saveView();
  });
  $("#share").addEventListener("click", () => share().catch(() => {}));
  $("#export-png").addEventListener("click", () => exportImage("png").catch((err) => setStatus(errorText(err), true)));
  $("#export-svg").addEventListener("click", () => exportImage("svg").catch((err) => setStatus(errorText(err), true)));
  $("#export-data").addEventListener("click", () => exportData().catch(() => {}));
}

// ------------------------------------------------------------ controls

function buildControls() {
  $("#label-filters").replaceChildren(...LABELS.map((l) =>
    h("label", { title: l.id },
      h("input", { type: "checkbox", value: l.id, checked: true }),
      h("i", { class: "swatch", style: `background:${l.color}` }),
      `${l.th}`, h("small", { class: "en" }, ` ${l.id}`))));
  $("#type-filters").replaceChildren(...TYPES.map(([t, th]) =>
    h("label", { title: `${th} (${t})` }, h("input", { type: "checkbox", value: t, checked: true }), th, h("small", { class: "en" }, ` ${t}`))));
  renderSides();

  for (const sel of ["#label-filters", "#type-filters", "#depth", "#cap", "#date-from", "#date-to"]) {
    $(sel).addEventListener("change", () => refresh().catch(() => {}));
  }
  for (const btn of document.querySelectorAll("button[data-all]")) {
    btn.addEventListener("click", (ev) => {
      ev.preventDefault();
      const box = $(btn.dataset.all === "labels" ? "#label-filters" : "#type-filters");
      const inputs = Array.from(box.querySelectorAll("input"));
      const all = inputs.every((i) => i.checked);
      inputs.forEach((i) => (i.checked = !all));
      refresh().catch(() => {});
    });
  }
  $("#side").addEventListener("change", () => redraw(false).catch(() => {}));

  let timer;
  const input = $("#search-input");
  $("#search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    search(input.value).catch(() => {});
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value).catch(() => {}), 350);
  });
  for (const chip of document.querySelectorAll(".chip")) {
    chip.addEventListener("click", () => {
      input.value = chip.dataset.q;
      search(chip.dataset.q).catch(() => {});
    });
  }

  $("#path-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    findPath().catch(() => {});
  });
  $("#path-clear").addEventListener("click", clearPath);
  $("#fit").addEventListener("click", () => {
    cy.fit(cy.elements().not(".hidden"), 30);
    relabel();
  });
  $("#relayout").addEventListener("click", () => runLayout(true).then(relabel));
  // zoom buttons (the keyboard's way to zoom), about the view's centre
  const zoomBy = (f) => cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  $("#zoom-in").addEventListener("click", () => zoomBy(1.5));
  $("#zoom-out").addEventListener("click", () => zoomBy(1 / 1.5));
  $("#clear").addEventListener("click", () => {
    cy.elements().remove();
    state.roots = [];
    state.path = null;
    state.measures = null;
    renderPathSteps();
    renderLegend();
    summarize();
    saveView();
  });
  resultsKeys();
  panelKeys();
  buildTimeControls();
  buildViewControls();
}

function renderSides() {
  const sel = $("#side");
  const current = sel.value;
  sel.replaceChildren(h("option", { value: "" }, "ทุกด้าน · all sides"),
    ...SIDES.map((s) => h("option", { value: s.id }, `${s.name} · ${s.nameEn || s.id}`)));
  sel.value = current;
}

// ------------------------------------------------------------ cytoscape

function style() {
  const font = "Sarabun, sans-serif";
  return [
    {
      // labels: placeLabels (labels.js) sets lbl (the text, or none),
      // fs (the model size for the screen size) and the padding; the text
      // background keeps edges from running through a label
      selector: "node",
      style: {
        "background-color": "data(fill)",
        shape: "data(shape)",
        label: "data(lbl)",
        width: "data(sz)",
        height: "data(sz)",
        "font-family": font,
        "font-size": "data(fs)",
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": "data(my)",
        color: "#1f2430",
        "text-background-color": "#fffdf8",
        "text-background-opacity": 0.92,
        "text-background-padding": "data(pad)",
        "text-background-shape": "round-rectangle",
        "border-width": 1.5,
        "border-color": "#ffffff",
        "min-zoomed-font-size": 0,
      },
    },
    // labelled nodes above the others, so no node hides a label
    { selector: "node[?lbl]", style: { "z-index": 5 } },
    { selector: "node.expanded", style: { "border-color": "#2b2118", "border-width": 2 } },
    { selector: "node.root", style: { "border-width": 4, "border-color": "#2b2118", "font-weight": "bold", "z-index": 6 } },
    {
      selector: "edge",
      style: {
        width: 1.6,
        "line-color": "#b9b2a6",
        "target-arrow-color": "#b9b2a6",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
        "curve-style": "bezier",
        "font-family": font,
        "font-size": "data(fs)",
        "text-rotation": "autorotate",
        "text-background-color": "#fffdf8",
        "text-background-opacity": 0.95,
        "text-background-padding": "data(pad)",
        "text-background-shape": "round-rectangle",
        color: "#3d4350",
      },
    },
    // edge labels (type and role in Thai) on hover and for the selection,
    // drawn above the nodes
    { selector: "edge.sel-edge", style: { label: "data(display)", "line-color": "#9a6a4a", "target-arrow-color": "#9a6a4a", width: 2.2, "z-index-compare": "manual", "z-index": 20 } },
    { selector: "edge.hover", style: { label: "data(display)", "line-color": "#7d7468", "target-arrow-color": "#7d7468", "z-index-compare": "manual", "z-index": 30 } },
    // how the sources carry a relationship: inferred dashed, disputed red
    { selector: 'edge[status = "INFERRED"]', style: { "line-style": "dashed", "line-dash-pattern": [6, 3] } },
    { selector: 'edge[status = "DISPUTED"]', style: { "line-color": "#c62828", "target-arrow-color": "#c62828" } },
    { selector: "node:selected", style: { "border-color": "#b4541a", "border-width": 5, "z-index": 7 } },
    { selector: "edge:selected", style: { label: "data(display)", width: 3.5, "line-color": "#b4541a", "target-arrow-color": "#b4541a", "z-index-compare": "manual", "z-index": 30 } },
    { selector: ".faded", style: { opacity: 0.18 } },
    { selector: "node.path", style: { "border-color": "#e0a800", "border-width": 6, "font-weight": "bold" } },
    { selector: "edge.path", style: { width: 5, "line-color": "#e0a800", "target-arrow-color": "#e0a800", label: "data(display)", "z-index": 10 } },
    { selector: ".hidden", style: { display: "none" } },
  ];
}

let cy;

// the three sides of the triangle, from the server (the first read; with
// `key`, the check of a key about to be saved)
async function loadSides(key = apiKey()) {
  const data = await gql("{ strategySides { id name nameEn } }", undefined, key);
  if (data.strategySides.length) {
    SIDES = data.strategySides;
    renderSides();
  }
  keyAccepted();
}

async function main() {
  // the webfont must be loaded before the canvas draws Thai labels
  await Promise.race([
    Promise.all([
      document.fonts.load("12px Sarabun", "ภาคี"),
      document.fonts.load("bold 14px Sarabun", "ภาคี"),
      document.fonts.load("12px Sarabun", "Phakhi"),
    ]),
    sleep(4000),
  ]).catch(() => {});

  cy = cytoscape({
    container: $("#cy"),
    style: style(),
    wheelSensitivity: 0.3,
    minZoom: 0.15,
    maxZoom: 4,
    selectionType: "single",
  });
  window.phakhiCy = cy;
  window.phakhiExplorer = { setRoot, expand, findPath, select, state, relabel, viewURL };
  cy.on("zoom", relabelSoon);
  cy.on("resize", relabelSoon);
  cy.on("select unselect", "node", onSelectionChange);
  cy.on("select unselect", "edge", saveViewSoon);

  const tip = $("#tooltip");
  cy.on("tap", "node", (ev) => showNode(ev.target.id()));
  cy.on("tap", "edge", (ev) => showEdge(ev.target.id()));
  cy.on("dbltap", "node", (ev) => expand(ev.target.id()).catch(() => {}));
  cy.on("mouseover", "node", (ev) => {
    const d = ev.target.data();
    const l = LABEL[d.label] || {};
    fill(tip,
      h("div", { lang: "th" }, d.name),
      d.nameEn ? h("div", { class: "t-en", lang: "en" }, d.nameEn) : null,
      h("div", { class: "t-label" }, `${l.th || ""} · ${d.label} · ${d.id}`));
    tip.hidden = false;
  });
  cy.on("mouseover", "edge", (ev) => {
    ev.target.addClass("hover");
    const d = ev.target.data();
    fill(tip,
      h("div", { lang: "th" }, `${nodeName(d.source)} → ${nodeName(d.target)}`),
      h("div", { class: "t-en" }, `${d.type}${d.role ? ` · ${d.role}` : ""}`));
    tip.hidden = false;
  });
  cy.on("mousemove", (ev) => {
    if (tip.hidden) return;
    tip.style.left = `${ev.renderedPosition.x + 14}px`;
    tip.style.top = `${ev.renderedPosition.y + 14}px`;
  });
  cy.on("tapstart viewport", () => (tip.hidden = true));
  // the mouse leaving the canvas ends any hover (Cytoscape may not see it go)
  $("#cy").addEventListener("mouseleave", () => {
    cy.elements(".hover").removeClass("hover");
    tip.hidden = true;
  });
  cy.on("mouseout", "node, edge", (ev) => {
    ev.target.removeClass("hover");
    tip.hidden = true;
  });

  buildControls();
  buildKeyControls();
  renderLegend();
  summarize();
  if (!cytoscape("layout", "fcose")) console.warn("cytoscape-fcose did not load: laying out with cose");

  try {
    await loadSides();
    await loadExportFormats();
  } catch (err) {
    if (err.auth) needKey(err);
    else console.warn("strategySides:", err);
  }

  // a shared view (#roots=…) opens whole; ?id= draws one neighbourhood
  const hash = new URLSearchParams(location.hash.slice(1));
  const start = new URL(location.href).searchParams.get("id");
  if (hash.has("roots") || hash.has("path")) await openView(hash).catch(() => {});
  else if (start) await setRoot(start).catch(() => {});
  window.addEventListener("hashchange", () => {
    if (location.hash === lastHash) return; // our own replaceState
    openView(new URLSearchParams(location.hash.slice(1))).catch(() => {});
  });
  saveView();
  document.body.dataset.state = busy.n ? "busy" : "idle";
}

main();
