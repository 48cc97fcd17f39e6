// Phakhi graph explorer: search an actor, draw its neighborhood with
// Cytoscape.js, expand, filter, read the evidence, find paths. Talks only to
// the public GraphQL API at /query.

const cytoscape = window.cytoscape;

// ------------------------------------------------------------ vocabulary

const LABELS = [
  { id: "Agency", th: "หน่วยงาน", color: "#2f6fb0", shape: "round-rectangle" },
  { id: "Network", th: "เครือข่าย", color: "#2e9c5a", shape: "hexagon" },
  { id: "Person", th: "บุคคล", color: "#e8782a", shape: "ellipse" },
  { id: "Program", th: "แผนงาน", color: "#8957b8", shape: "barrel" },
  { id: "Event", th: "เหตุการณ์", color: "#cf3a3a", shape: "round-tag" },
  { id: "AgendaSession", th: "ช่วงวาระ", color: "#e58bbf", shape: "round-tag" },
  { id: "StrategySide", th: "ด้านยุทธศาสตร์", color: "#c2a300", shape: "star" },
  { id: "Region", th: "ภาค", color: "#7b5b43", shape: "diamond" },
  { id: "Province", th: "จังหวัด", color: "#a37b5c", shape: "diamond" },
  { id: "District", th: "อำเภอ", color: "#c29f85", shape: "diamond" },
  { id: "Subdistrict", th: "ตำบล", color: "#d8bfae", shape: "diamond" },
  { id: "Venue", th: "สถานที่", color: "#7d8590", shape: "round-diamond" },
  { id: "Source", th: "แหล่งที่มา", color: "#1aa3b5", shape: "rectangle" },
];
const LABEL = Object.fromEntries(LABELS.map((l) => [l.id, l]));
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

const NODE_FRAGMENT = `fragment N on Node { id label name nameEn ... on Actor { advances { id } } }`;
const EDGE_FRAGMENT = `fragment E on Relationship {
  id type role roleTh description current from { id } to { id }
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

// A server run with -private-reads answers reads only to a bearer API key
// of the reader role or above. The key lives in sessionStorage: this tab
// only, gone when the tab closes (localStorage would keep it on disk for
// every later visit). It goes with every request the page makes.
const KEY_ITEM = "phakhi.apiKey";
let memoryKey = ""; // when sessionStorage is unavailable (storage disabled)
function apiKey() {
  try {
    return sessionStorage.getItem(KEY_ITEM) || "";
  } catch {
    return memoryKey;
  }
}
function storeKey(key) {
  memoryKey = key;
  try {
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // memoryKey holds it for this page
  }
}

// what the user typed, as a key; a clear error when it cannot be one
function parseKey(raw) {
  const key = raw.trim().replace(/^bearer\s+/i, "");
  if (!key) throw new Error("ใส่กุญแจก่อน · enter a key first");
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new Error("กุญแจมีอักขระที่ใช้ไม่ได้ · a key is printable ASCII without spaces, as `go run . new-key` prints it");
  }
  if (key.length > 1024) throw new Error("กุญแจยาวเกินไป · the key is too long (over 1024 characters)");
  return key;
}

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
    throw new Error(`HTTP ${res.status}`);
  }
  if (body.errors && body.errors.length) {
    const err = new Error(body.errors.map((e) => e.message).join("; "));
    err.code = body.errors[0].extensions && body.errors[0].extensions.code;
    if (AUTH_CODES.has(err.code)) {
      err.auth = true;
      err.serverMessage = err.message;
      err.message = keyProblem(err.code, key);
    }
    throw err;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return body.data;
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

function openKeyBox() {
  const box = $("#key-box");
  const wasHidden = box.hidden;
  box.hidden = false;
  $("#key-button").setAttribute("aria-expanded", "true");
  if (wasHidden) $("#key-input").focus();
}

function closeKeyBox() {
  $("#key-box").hidden = true;
  $("#key-button").setAttribute("aria-expanded", "false");
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
  setStatus(what);
  try {
    return await fn();
  } catch (err) {
    if (err.auth) {
      console.warn(err.serverMessage || err.message);
      setStatus("ต้องใช้กุญแจ API · this server needs a reader API key", true);
      needKey(err);
    } else {
      console.error(err);
      setStatus(`ผิดพลาด error: ${err.message}`, true);
    }
    throw err;
  } finally {
    document.body.dataset.ops = String(++busy.ops);
    if (--busy.n === 0) document.body.dataset.state = "idle";
  }
}

function setStatus(text, isError = false) {
  const s = $("#status");
  s.textContent = text || "";
  s.classList.toggle("error", isError);
  s.hidden = !text;
}

function summarize() {
  const nodes = cy.nodes(":visible").length;
  const edges = cy.edges(":visible").length;
  let text = nodes ? `${nodes} โหนด nodes · ${edges} เส้น edges` : "";
  const hidden = cy.nodes(".hidden").length;
  if (hidden) text += ` · ซ่อน ${hidden} hidden by side filter`;
  if (state.truncated) text += " · ถูกตัดที่เพดาน truncated at the cap";
  setStatus(text);
  $("#empty").hidden = cy.nodes().length > 0 || !$("#auth-notice").hidden;
}

// ------------------------------------------------------------ state

const state = {
  roots: [], // ids whose neighborhoods are drawn, in order
  path: null, // { from, to, nodes: [ids], edges: [ids], steps }
  truncated: false,
  details: new Map(), // node id -> node(id:) details
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
    display: wrapLabel(n.name),
    color: l.color,
    shape: l.shape,
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
    display: e.roleTh || TYPE_TH[e.type] || e.type,
    rel: e,
  };
}

// merge nodes and edges into the drawing; new nodes start near `around`
function merge(nodes, edges, around) {
  const added = [];
  const center = around && cy.getElementById(around).nonempty() ? cy.getElementById(around).position() : null;
  cy.batch(() => {
    for (const n of nodes.values()) {
      const el = cy.getElementById(n.id);
      if (el.nonempty()) {
        el.data(nodeData(n));
        continue;
      }
      const pos = center
        ? { x: center.x + (Math.random() - 0.5) * 160, y: center.y + (Math.random() - 0.5) * 160 }
        : { x: Math.random() * 400, y: Math.random() * 400 };
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

function runLayout(randomize) {
  const visible = cy.elements().not(".hidden");
  if (visible.empty()) return Promise.resolve();
  return new Promise((resolve) => {
    const layout = visible.layout({
      name: "cose",
      animate: false,
      randomize,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 12000,
      idealEdgeLength: () => 80,
      edgeElasticity: () => 80,
      nodeOverlap: 12,
      gravity: 0.5,
      componentSpacing: 60,
      numIter: 1500,
    });
    layout.one("layoutstop", () => resolve());
    layout.run();
  });
}

// the side filter: keep the actors that advance the side (and the side
// itself), plus the nodes that connect two of them; path elements stay
function applySide() {
  const side = $("#side").value;
  cy.batch(() => {
    cy.elements().removeClass("hidden");
    if (!side) return;
    const kept = cy.nodes().filter((n) => n.id() === side || n.data("advances").includes(side));
    const connectors = cy.nodes().difference(kept).filter((n) => n.neighborhood("node").intersection(kept).length >= 2);
    const visible = kept.union(connectors).union(cy.elements(".path"));
    cy.nodes().difference(visible).addClass("hidden");
    cy.edges().filter((e) => e.source().hasClass("hidden") || e.target().hasClass("hidden")).addClass("hidden");
  });
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
  applySide();
  await runLayout(randomize);
  summarize();
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
    merge(hood.nodes, hood.edges);
    merge(pathNodes, pathEdges);
    await redraw(false);
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
    applySide();
    if (added) await runLayout(cy.nodes().length === nodes.size);
    cy.animate({ fit: { eles: cy.elements(".path"), padding: 60 }, duration: 300 });
    summarize();
    renderPathSteps();
  });
}

function clearPath() {
  state.path = null;
  applyHighlight();
  applySide();
  renderPathSteps();
  summarize();
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
  const data = await withBusy("กำลังค้นหา searching…", () =>
    gql(`query Search(${decl}) { search(query: $q${labelsArg}, first: 12) { totalCount edges { matchedText matchedField node { id label name nameEn } } } }`, vars));
  if (seq !== searchSeq) return;
  ul.replaceChildren();
  if (!data.search.edges.length) {
    ul.append(h("li", { class: "none" }, `ไม่พบ “${q}” · no match`));
  }
  for (const { node, matchedText } of data.search.edges) {
    const l = LABEL[node.label] || {};
    const pick = () => setRoot(node.id);
    ul.append(h("li", {
      tabindex: "0",
      dataset: { id: node.id },
      title: `${node.nameEn || ""} (${node.id})`,
      onclick: pick,
      onkeydown: (ev) => ev.key === "Enter" && pick(),
    },
    h("span", { class: "swatch", style: `background:${l.color}` }),
    h("div", { class: "r-main" },
      h("div", { class: "r-name", lang: "th" }, node.name),
      h("div", { class: "r-en" }, [node.nameEn, l.th && `${l.th} · ${node.label}`].filter(Boolean).join(" — ")),
      matchedText && matchedText !== node.name ? h("div", { class: "r-match", lang: "th" }, `พบใน: ${matchedText}`) : null),
    h("button", {
      type: "button",
      class: "r-add",
      title: "Add to the drawing (keep what is drawn)",
      onclick: (ev) => {
        ev.stopPropagation();
        if (!cy.nodes().length) setRoot(node.id);
        else expand(node.id).then(() => select(node.id));
      },
    }, "+")));
  }
}

// ------------------------------------------------------------ side panel

function badge(label) {
  const l = LABEL[label] || { color: "#777", th: "" };
  return h("span", { class: "badge", style: `background:${l.color}` }, l.th ? `${l.th} · ${label}` : label);
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

let panelSeq = 0;
async function showNode(id) {
  const seq = ++panelSeq;
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
    h("h2", { lang: "th" }, d.name),
    d.nameEn ? h("p", { class: "name-en", lang: "en" }, d.nameEn) : null,
    nodeActions,
  ];
  fill(panel, ...head, h("p", { class: "en" }, "กำลังโหลด loading…"));

  let det = state.details.get(id);
  if (!det) {
    try {
      const data = await gql(
        `query Node($id: ID!) { node(id: $id) { id label name nameEn aliases description descriptionEn evidence { quote locator note source { id name url } } } }`,
        { id });
      det = data.node;
      state.details.set(id, det);
    } catch (err) {
      if (seq === panelSeq) fill(panel, ...head, h("p", { class: "status error" }, err.message));
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
      h("button", { type: "button", class: "linklike", style: "color:inherit", onclick: () => select(other.id()) }, other.data("name")));
  });
  fill(panel,
    ...head,
    h("dl", {},
      h("dt", {}, "id"), h("dd", {}, h("code", {}, det.id)),
      det.aliases.length ? [h("dt", {}, "ชื่ออื่น aliases"), h("dd", { lang: "th" }, det.aliases.join(", "))] : null,
      sides.length ? [h("dt", {}, "ด้าน sides"), h("dd", {}, sides.join(", "))] : null),
    det.description ? h("p", { class: "desc", lang: "th" }, det.description) : null,
    det.descriptionEn ? h("p", { class: "desc en-desc", lang: "en" }, det.descriptionEn) : null,
    h("h3", {}, "หลักฐาน ", h("span", { class: "en" }, "Evidence")),
    ...evidenceList(det.evidence),
    ...(rels.length ? [h("h3", {}, "ความสัมพันธ์ในภาพ ", h("span", { class: "en" }, `Relationships drawn (${rels.length})`)), h("ul", { class: "rels" }, rels)] : []),
  );
}

function showEdge(id) {
  ++panelSeq;
  const el = cy.getElementById(id);
  const e = el.data("rel");
  const panel = $("#panel");
  panel.dataset.kind = "edge";
  panel.dataset.id = id;
  const date = (d) => (d ? `${d.iso}${d.text ? ` (${d.text})` : ""}` : null);
  fill(panel,
    h("span", { class: "badge", style: "background:#5b5f6a" }, `ความสัมพันธ์ · ${e.type}`),
    h("h2", { lang: "th" }, e.roleTh || TYPE_TH[e.type] || e.type),
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
      h("dt", {}, "id"), h("dd", {}, h("code", {}, e.id))),
    e.description ? h("p", { class: "desc", lang: "th" }, e.description) : null,
    h("h3", {}, "หลักฐาน ", h("span", { class: "en" }, "Evidence")),
    ...evidenceList(e.evidence),
  );
}

function renderLegend() {
  $("#legend").replaceChildren(...LABELS.map((l) =>
    h("span", {}, h("i", { class: "swatch", style: `background:${l.color}` }), `${l.th} `, h("small", { class: "en" }, l.id))));
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
  $("#side").addEventListener("change", async () => {
    applySide();
    await runLayout(false);
    summarize();
  });

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
  $("#fit").addEventListener("click", () => cy.animate({ fit: { eles: cy.elements().not(".hidden"), padding: 40 }, duration: 250 }));
  $("#relayout").addEventListener("click", () => runLayout(true));
  $("#clear").addEventListener("click", () => {
    cy.elements().remove();
    state.roots = [];
    state.path = null;
    renderPathSteps();
    summarize();
  });
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
      selector: "node",
      style: {
        "background-color": "data(color)",
        shape: "data(shape)",
        label: "data(display)",
        width: (n) => 22 + Math.min(n.degree(), 12) * 1.6,
        height: (n) => 22 + Math.min(n.degree(), 12) * 1.6,
        "font-family": font,
        "font-size": 12,
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 4,
        color: "#1f2430",
        "text-outline-color": "#fffdf8",
        "text-outline-width": 2,
        "border-width": 1.5,
        "border-color": "#ffffff",
        "min-zoomed-font-size": 6,
      },
    },
    { selector: "node.expanded", style: { "border-color": "#2b2118", "border-width": 2 } },
    { selector: "node.root", style: { "border-width": 4, "border-color": "#2b2118", "font-weight": "bold", "font-size": 14 } },
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
        "font-size": 10,
        "text-rotation": "autorotate",
        "text-outline-color": "#fffdf8",
        "text-outline-width": 2,
        color: "#4b5260",
      },
    },
    { selector: "edge.hover", style: { label: "data(display)", "line-color": "#7d7468", "target-arrow-color": "#7d7468" } },
    { selector: "node:selected", style: { "border-color": "#b4541a", "border-width": 5 } },
    { selector: "edge:selected", style: { label: "data(display)", width: 3.5, "line-color": "#b4541a", "target-arrow-color": "#b4541a" } },
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
  window.phakhiExplorer = { setRoot, expand, findPath, select, state };

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
  cy.on("mouseout", "node, edge", (ev) => {
    ev.target.removeClass("hover");
    tip.hidden = true;
  });

  buildControls();
  buildKeyControls();
  renderLegend();
  summarize();

  try {
    await loadSides();
  } catch (err) {
    if (err.auth) needKey(err);
    else console.warn("strategySides:", err);
  }

  const start = new URL(location.href).searchParams.get("id");
  if (start) await setRoot(start).catch(() => {});
  document.body.dataset.state = busy.n ? "busy" : "idle";
}

main();
