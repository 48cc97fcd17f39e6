// The document analysis page (/explore/analyze.html): paste a Thai text or
// drop a .txt file, run analyzeDocument, see the mentions highlighted by
// the label of the node each stands for, accept, reject or re-point each
// (to another of its candidates, or to any node found by name with the
// search query), keep or drop each proposed new node, then importBundle
// the curated draft: a dry run first, then for real, with an editor's key.
//
// The page edits the analyzer's draft rather than asking the server again:
// the MENTIONS of the known names are rebuilt from the decisions (each
// citing its mention's quote and locator, as the analyzer writes them),
// the proposals dropped are removed with their MENTIONS, and the places
// of the datasets no kept mention needs any more go too.
//
// body[data-state] is "busy" while a request runs, "idle" after;
// body[data-ops] counts the finished operations (the browser test waits
// on them, as on the explorer's).

import { apiKey, storeKey, parseKey, openKeyBox, closeKeyBox } from "./apikey.js";
import { LABEL as LABELS } from "./vocabulary.js"; // the labels' Thai names and colours, as the explorer draws them

const $ = (s) => document.querySelector(s);

const OTHER_COLOR = "#6b7280";
const STATES = {
  undecided: { th: "ยังไม่เลือก", en: "undecided (several candidates)" },
  rejected: { th: "ปฏิเสธ", en: "rejected" },
  proposal: { th: "โหนดใหม่ที่เสนอ", en: "proposed new node" },
};

// ------------------------------------------------------------ DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "style") el.style.cssText = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}
const en = (text) => h("span", { class: "en" }, text);

// ------------------------------------------------------------ API key

// The key and its box: apikey.js, shared with the explorer.

async function gql(query, variables, key = apiKey()) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch("/query", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  let body;
  try {
    body = await res.json();
  } catch {
    const err = new Error(`HTTP ${res.status} ${res.statusText || ""}`.trim());
    err.code = `HTTP_${res.status}`;
    throw err;
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const err = new Error(body.errors.map((x) => x.message).join("; "));
    err.code = (e.extensions && e.extensions.code) || `HTTP_${res.status}`;
    err.field = e.extensions && e.extensions.field;
    throw err;
  }
  if (!res.ok) {
    const err = new Error(`HTTP ${res.status}`);
    err.code = `HTTP_${res.status}`;
    throw err;
  }
  return body.data;
}

// what a refusal means, in words
function explain(err) {
  switch (err.code) {
    case "FORBIDDEN":
      return "กุญแจนี้ไม่มีสิทธิ์นำเข้า ต้องใช้กุญแจบรรณาธิการ · this key's role may not import: it needs an editor's key";
    case "UNAUTHENTICATED":
      return apiKey()
        ? "เซิร์ฟเวอร์ไม่รับกุญแจนี้ · the server refused this key (unknown or mistyped)"
        : "ยังไม่ได้ใส่กุญแจ · no key given: importing needs an editor's key";
    case "RATE_LIMITED":
      return "ส่งคำขอถี่เกินไป · too many requests: wait a moment and retry";
    default:
      return err.message;
  }
}

function errorText(err) {
  return `ผิดพลาด error ${err.code || ""}: ${explain(err)}${err.field ? ` (${err.field})` : ""}`.replace("error :", "error:");
}

// ------------------------------------------------------------ status and busy

function setStatus(text, kind = "") {
  const s = $("#status");
  s.textContent = text;
  s.classList.toggle("error", kind === "error");
  s.dataset.kind = kind;
}

let busy = 0;
async function operation(fn) {
  busy++;
  document.body.dataset.state = "busy";
  document.body.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    busy--;
    if (!busy) {
      document.body.dataset.state = "idle";
      document.body.removeAttribute("aria-busy");
    }
    document.body.dataset.ops = String(Number(document.body.dataset.ops || 0) + 1);
  }
}

// ------------------------------------------------------------ the key control

function keyMessage(text, isError = false) {
  $("#key-msg").textContent = text || "";
  $("#key-msg").classList.toggle("error", isError);
}
function renderKeyState() {
  const has = !!apiKey();
  $("#key-button").classList.toggle("has-key", has);
  $("#key-state").replaceChildren(...(has ? ["ใช้กุญแจอยู่ ", en("key set")] : ["กุญแจ ", en("API key")]));
  $("#key-forget").disabled = !has;
}
// Save: check the key with one small read before keeping it (an unknown
// key is refused there); whether its role may import, the import says
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
    await operation(() => gql("{ __typename }", {}, key));
  } catch (err) {
    keyMessage(err.code === "UNAUTHENTICATED" ? "เซิร์ฟเวอร์ไม่รับกุญแจนี้ · the server refused this key (unknown or mistyped)" : errorText(err), true);
    return;
  }
  storeKey(key);
  $("#key-input").value = "";
  renderKeyState();
  keyMessage("รับกุญแจแล้ว · key accepted (kept in this tab's sessionStorage)");
  closeKeyBox();
  $("#key-button").focus();
}
function buildKeyControls() {
  renderKeyState();
  $("#key-button").addEventListener("click", () => ($("#key-box").hidden ? openKeyBox() : closeKeyBox()));
  $("#key-box").addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveKey();
  });
  $("#key-forget").addEventListener("click", () => {
    storeKey("");
    renderKeyState();
    keyMessage("ลืมกุญแจแล้ว · key forgotten (removed from sessionStorage)");
  });
  $("#key-close").addEventListener("click", () => {
    closeKeyBox();
    $("#key-button").focus();
  });
  $("#key-box").addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      closeKeyBox();
      $("#key-button").focus();
    }
  });
}

// ------------------------------------------------------------ analysis

const ANALYZE = `query Analyze($text: String!, $source: SourceInput) {
  analyzeDocument(text: $text, source: $source) {
    sources { id kind name part existing }
    mentions { span { start end } text quote source chosen reason address
      candidates { id label name score reason new } }
    proposals { id label kind name span { start end } quote source pattern note similar }
    notes draft draftNodes draftRelationships
  }
}`;

const SEARCH = `query Find($q: String!) {
  search(query: $q, first: 8) { edges { node { id label name nameEn } } }
}`;

const IMPORT = `mutation Import($bundle: String!, $dryRun: Boolean) {
  importBundle(bundle: $bundle, dryRun: $dryRun) {
    ok dryRun nodes relationships nodesCreated nodesUpdated nodesUnchanged
    relationshipsCreated relationshipsUpdated relationshipsUnchanged
    problems { line record field reason }
  }
}`;

// the page's state: the analysis, its text as code points (offsets are
// in code points), and the curator's decisions
let analysis = null;
let chars = [];
let decisions = []; // per mention: { accept, target: {id, label, name} | null, how }
let keepProposal = []; // per proposal: true to import it
let dryRunOK = null; // the bundle text a dry run accepted

function sourceInput() {
  const src = {};
  for (const [f, sel] of [["id", "#src-id"], ["name", "#src-name"], ["url", "#src-url"], ["date", "#src-date"]]) {
    const v = $(sel).value.trim();
    if (v) src[f] = v;
  }
  return Object.keys(src).length ? src : null;
}

async function analyse() {
  const text = $("#text").value;
  if (!text.trim()) {
    setStatus("ใส่ข้อความก่อน · paste or drop a text first", "error");
    $("#text").focus();
    return;
  }
  setStatus("กำลังวิเคราะห์… · analysing…", "busy");
  await operation(async () => {
    try {
      const data = await gql(ANALYZE, { text, source: sourceInput() });
      show(text, data.analyzeDocument);
    } catch (err) {
      analysis = null;
      render();
      setStatus(errorText(err), "error");
    }
  });
}

function show(text, a) {
  analysis = a;
  chars = Array.from(text);
  dryRunOK = null;
  $("#report").replaceChildren();
  decisions = a.mentions.map((m) => {
    const c = m.candidates.find((x) => x.id === m.chosen);
    return { accept: !!c, target: c ? { id: c.id, label: c.label, name: c.name, isNew: c.new } : null, how: "analyzer" };
  });
  keepProposal = a.proposals.map(() => true);
  render();
  const undecided = decisions.filter((d) => !d.target).length;
  if (!a.mentions.length && !a.proposals.length) {
    setStatus(`ไม่พบชื่อที่รู้จักหรือโหนดใหม่ · nothing found${a.notes.length ? `: ${a.notes.join("; ")}` : ""}`, "empty");
    return;
  }
  setStatus(`พบ ${a.mentions.length} ชื่อ (ยังไม่เลือก ${undecided}) และโหนดใหม่ที่เสนอ ${a.proposals.length} · ` +
    `${a.mentions.length} mentions (${undecided} undecided), ${a.proposals.length} proposed new nodes, in ${a.sources.length} source${a.sources.length === 1 ? "" : "s"}` +
    (a.notes.length ? ` — ${a.notes.join("; ")}` : ""), "done");
}

// ------------------------------------------------------------ rendering

function labelColor(label) {
  return (LABELS[label] && LABELS[label].color) || OTHER_COLOR;
}
function labelName(label) {
  return LABELS[label] ? `${LABELS[label].th} ${label}` : label;
}
// the class a highlight has: the label of the node it stands for, or its state
function markKind(i) {
  const d = decisions[i];
  if (!d.accept) return d.target ? "rejected" : "undecided";
  return d.target.label;
}

function render() {
  renderMarked();
  renderLegend();
  renderMentions();
  renderProposals();
  const ready = !!analysis && (analysis.mentions.length > 0 || analysis.proposals.length > 0);
  $("#dry-run").disabled = !ready;
  $("#import").disabled = !ready || dryRunOK !== currentBundleText();
}

// the text with its mentions and proposals as links to their rows,
// coloured by kind; a span inside another is drawn inside it, one that
// crosses another is cut where the first ends
function renderMarked() {
  const box = $("#marked");
  if (!analysis) {
    box.replaceChildren();
    return;
  }
  const spans = [
    ...analysis.mentions.map((m, i) => ({ start: m.span.start, end: m.span.end, kind: markKind(i), ref: `mention-${i}`, i, what: "mention" })),
    ...analysis.proposals.map((p, i) => ({ start: p.span.start, end: p.span.end, kind: keepProposal[i] ? "proposal" : "rejected", ref: `proposal-${i}`, i, what: "proposal" })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const root = document.createDocumentFragment();
  // a stack of open highlights: [element, end]
  const stack = [{ el: root, end: Infinity }];
  let at = 0;
  const put = (upto) => {
    while (at < upto) {
      const top = stack[stack.length - 1];
      const stop = Math.min(upto, top.end);
      if (stop > at) top.el.append(chars.slice(at, stop).join(""));
      at = Math.max(at, stop);
      if (at >= top.end) stack.pop();
    }
  };
  for (const s of spans) {
    put(s.start);
    while (stack.length > 1 && stack[stack.length - 1].end <= s.start) stack.pop();
    const parent = stack[stack.length - 1];
    const end = Math.min(s.end, parent.end);
    if (end <= Math.max(s.start, at)) continue;
    const d = s.what === "mention" ? decisions[s.i] : null;
    const title = s.what === "mention"
      ? `${analysis.mentions[s.i].text} → ${d.target ? `${d.target.name} (${d.target.id}, ${d.target.label})` : "ยังไม่เลือก undecided"}${d.accept ? "" : " · ไม่นำเข้า not imported"}`
      : `${analysis.proposals[s.i].name}: ${labelName(analysis.proposals[s.i].label)} ใหม่ new${keepProposal[s.i] ? "" : " · ไม่นำเข้า not imported"}`;
    const el = h("a", {
      class: `az-mark k-${s.kind}`,
      href: `#${s.ref}`,
      title,
      style: STATES[s.kind] ? null : `--c: ${labelColor(s.kind)}`,
      dataset: { kind: s.kind, what: s.what, i: String(s.i), target: d && d.target ? d.target.id : "" },
      onclick: (ev) => {
        ev.preventDefault();
        const row = document.getElementById(s.ref);
        if (row) {
          row.scrollIntoView({ block: "nearest" });
          row.querySelector("input, select, button")?.focus();
        }
      },
    });
    parent.el.append(el);
    stack.push({ el, end });
  }
  put(chars.length);
  box.replaceChildren(root);
}

function renderLegend() {
  const ul = $("#legend");
  if (!analysis) {
    ul.replaceChildren();
    return;
  }
  const kinds = new Set(decisions.map((_, i) => markKind(i)));
  if (keepProposal.some((k) => k)) kinds.add("proposal");
  if (keepProposal.some((k) => !k)) kinds.add("rejected");
  const labels = [...kinds].filter((k) => !STATES[k]).sort((a, b) => Object.keys(LABELS).indexOf(a) - Object.keys(LABELS).indexOf(b));
  const states = Object.keys(STATES).filter((k) => kinds.has(k));
  ul.replaceChildren(
    ...labels.map((k) => h("li", { dataset: { kind: k } }, h("span", { class: `az-mark k-${k} az-swatch`, style: `--c: ${labelColor(k)}`, "aria-hidden": "true" }, "ก"), " ",
      LABELS[k] ? LABELS[k].th : k, " ", en(k))),
    ...states.map((k) => h("li", { dataset: { kind: k } }, h("span", { class: `az-mark k-${k} az-swatch`, "aria-hidden": "true" }, "ก"), " ", STATES[k].th, " ", en(STATES[k].en))),
  );
}

function sourceLabel(id) {
  const s = analysis.sources.find((x) => x.id === id);
  if (!s) return id;
  if (s.kind === "COMMENT") return `ความเห็นที่ ${s.part} · comment ${s.part}`;
  if (s.kind === "POST") return "บันทึก · post";
  return "เอกสาร · document";
}

function renderMentions() {
  const ol = $("#mentions");
  if (!analysis) {
    ol.replaceChildren();
    return;
  }
  if (!analysis.mentions.length) {
    ol.replaceChildren(h("li", { class: "az-none" }, "ไม่พบชื่อที่กราฟรู้จัก · no name the graph knows"));
    return;
  }
  ol.replaceChildren(...analysis.mentions.map((m, i) => mentionRow(m, i)));
}

function mentionRow(m, i) {
  const d = decisions[i];
  const group = `decide-${i}`;
  const select = h("select", { id: `target-${i}`, "aria-label": `ชี้ไปที่ · points to, for ${m.text}` },
    d.target ? null : h("option", { value: "" }, "— เลือกโหนด · choose a node —"),
    m.candidates.map((c) => h("option", {
      value: c.id,
      selected: d.target && d.target.id === c.id,
      // a place of the datasets the graph lacks is in the draft only when
      // the analyzer picked it: another cannot be pointed to from here
      disabled: c.new && c.id !== m.chosen,
      title: c.reason,
    }, `${c.name} · ${labelName(c.label)} · ${c.id} (${c.score.toFixed(2)})${c.new ? " ใหม่ new" : ""}`)),
    d.target && !m.candidates.some((c) => c.id === d.target.id)
      ? h("option", { value: d.target.id, selected: true }, `${d.target.name} · ${labelName(d.target.label)} · ${d.target.id} (ค้นหา search)`)
      : null,
  );
  select.addEventListener("change", () => {
    const c = m.candidates.find((x) => x.id === select.value);
    if (!c) return;
    d.target = { id: c.id, label: c.label, name: c.name, isNew: c.new };
    d.how = c.id === m.chosen ? "analyzer" : "candidate";
    d.accept = true;
    changed(`ชี้ "${m.text}" ไปที่ ${c.name} (${c.id}) · re-pointed to ${c.id}`, i, `#target-${i}`);
  });
  const radio = (value, th, english) =>
    h("label", { class: "az-choice" },
      h("input", {
        type: "radio", name: group, value, checked: (value === "accept") === d.accept,
        disabled: value === "accept" && !d.target,
        onchange: () => {
          d.accept = value === "accept";
          changed(`${d.accept ? "ยอมรับ accepted" : "ปฏิเสธ rejected"} "${m.text}"`, i, `input[name="${group}"][value="${value}"]`);
        },
      }), ` ${th} `, en(english));
  const results = h("ul", { class: "az-found", id: `found-${i}`, "aria-label": `ผลการค้นหา · search results for ${m.text}` });
  const find = h("input", { type: "search", id: `find-${i}`, placeholder: "ค้นหาโหนดอื่นตามชื่อ · find another node by name", "aria-label": `ค้นหาโหนดอื่น · find another node, for ${m.text}` });
  const form = h("form", {
    class: "search-row az-find", role: "search",
    onsubmit: (ev) => {
      ev.preventDefault();
      findNodes(i, find.value.trim(), results);
    },
  }, find, h("button", { type: "submit" }, "ค้นหา ", en("Find")));
  return h("li", { id: `mention-${i}`, class: `az-row k-${markKind(i)}`, dataset: { kind: markKind(i), target: d.target ? d.target.id : "", accept: String(d.accept) } },
    h("div", { class: "az-row-head" },
      h("span", { class: `az-mark k-${markKind(i)}`, style: `--c: ${d.target ? labelColor(d.target.label) : OTHER_COLOR}` }, m.text),
      " ", h("span", { class: "az-src" }, sourceLabel(m.source)),
      m.address ? h("span", { class: "az-src" }, " · ที่อยู่ address") : null),
    h("div", { class: "az-quote", lang: "th" }, "“", m.quote, "”"),
    h("div", { class: "az-why" }, m.reason),
    h("fieldset", { class: "az-decide" }, h("legend", { class: "sr-only" }, `ตัดสิน · decide: ${m.text}`),
      radio("accept", "ยอมรับ", "accept"), radio("reject", "ปฏิเสธ", "reject")),
    h("label", { for: `target-${i}`, class: "az-small" }, "ชี้ไปที่ ", en("points to")), select,
    form, results);
}

async function findNodes(i, q, results) {
  if (!q) {
    setStatus("พิมพ์ชื่อที่จะค้นหา · type a name to find", "error");
    return;
  }
  setStatus(`กำลังค้นหา "${q}"… · searching…`, "busy");
  await operation(async () => {
    try {
      const data = await gql(SEARCH, { q });
      const edges = data.search.edges;
      results.replaceChildren(...(edges.length
        ? edges.map(({ node: n }) => h("li", {},
          h("button", {
            type: "button", class: "az-point", dataset: { id: n.id },
            onclick: () => {
              decisions[i].target = { id: n.id, label: n.label, name: n.name, isNew: false };
              decisions[i].how = "search";
              decisions[i].accept = true;
              changed(`ชี้ "${analysis.mentions[i].text}" ไปที่ ${n.name} (${n.id}) · re-pointed to ${n.id}`, i, `#target-${i}`);
            },
          }, "ชี้ไปที่นี่ ", en("point here"), ": ", h("b", {}, n.name), " ", en(`${n.label} · ${n.id}`))))
        : [h("li", { class: "az-none" }, "ไม่พบ · nothing found")]));
      setStatus(`พบ ${edges.length} โหนดสำหรับ "${q}" · ${edges.length} nodes found`, "done");
    } catch (err) {
      setStatus(errorText(err), "error");
    }
  });
}

function renderProposals() {
  const ul = $("#proposals");
  if (!analysis) {
    ul.replaceChildren();
    return;
  }
  if (!analysis.proposals.length) {
    ul.replaceChildren(h("li", { class: "az-none" }, "ไม่มี · none"));
    return;
  }
  ul.replaceChildren(...analysis.proposals.map((p, i) => h("li", { id: `proposal-${i}`, class: "az-row", dataset: { id: p.id, keep: String(keepProposal[i]) } },
    h("label", { class: "az-choice" },
      h("input", {
        type: "checkbox", id: `keep-${i}`, checked: keepProposal[i],
        onchange: (ev) => {
          keepProposal[i] = ev.target.checked;
          changed(`${keepProposal[i] ? "เก็บ kept" : "ไม่เอา dropped"} ${p.name}`, null, `#keep-${i}`);
        },
      }),
      " นำเข้า ", en("import"), " ", h("b", {}, p.name), " ", en(`${labelName(p.label)}${p.kind ? ` · ${p.kind}` : ""} · ${p.id}`)),
    h("div", { class: "az-quote", lang: "th" }, "“", p.quote, "”"),
    h("div", { class: "az-why" }, p.note, p.similar.length ? ` · similar: ${p.similar.join(", ")}` : ""))));
}

// a decision changed: redraw, say so, and put the focus back where it was
function changed(what, i, focusSel) {
  dryRunOK = null;
  render();
  $("#report").replaceChildren();
  setStatus(`${what} — ตรวจก่อนนำเข้าอีกครั้ง · run the dry run again`, "done");
  if (focusSel) document.querySelector(focusSel)?.focus();
}

// ------------------------------------------------------------ the curated bundle

function locator(m) {
  const s = analysis.sources.find((x) => x.id === m.source);
  const where = s && s.kind === "POST" ? "post" : s && s.kind === "COMMENT" ? `comment ${s.part}` : "document";
  return `${where}, characters ${m.span.start}-${m.span.end} of the analysed text`;
}

function curatedBundle() {
  const draft = JSON.parse(analysis.draft);
  const proposalIds = new Set(analysis.proposals.map((p) => p.id));
  const dropped = new Set(analysis.proposals.filter((_, i) => !keepProposal[i]).map((p) => p.id));
  const draftRel = new Map();
  const rels = [];
  for (const r of draft.relationships) {
    if (r.type === "MENTIONS") {
      draftRel.set(`${r.from}>${r.to}`, r);
      // a proposal's MENTIONS stays with it; the known names' are rebuilt
      if (proposalIds.has(r.to) && !dropped.has(r.to)) rels.push(r);
      continue;
    }
    rels.push(r);
  }
  const byPair = new Map();
  analysis.mentions.forEach((m, i) => {
    const d = decisions[i];
    if (!d.accept || !d.target) return;
    const pair = `${m.source}>${d.target.id}`;
    const old = draftRel.get(pair);
    let ev = old && old.evidence.find((e) => e.quote === m.quote);
    if (!ev) {
      ev = { source: m.source, quote: m.quote, locator: locator(m) };
      if (d.how !== "analyzer") ev.note = `chosen by an editor on the analysis page${m.chosen ? ` (the analyzer picked ${m.chosen})` : ""}`;
      else if (m.candidates.length > 1) ev.note = `inferred: ${m.reason}`;
    }
    let r = byPair.get(pair);
    if (!r) {
      r = { type: "MENTIONS", from: m.source, to: d.target.id, evidence: [] };
      if (old) r.id = old.id; // the draft's id: the same draft imported twice is the same edge
      byPair.set(pair, r);
      rels.push(r);
    }
    if (r.evidence.length < 3 && !r.evidence.some((e) => e.quote === ev.quote)) r.evidence.push(ev);
  });
  // the nodes: the sources, the proposals kept, and the dataset places a
  // kept mention points to, with the places above them
  const analysed = new Set(analysis.sources.map((s) => s.id));
  const draftIds = new Set(draft.nodes.map((n) => n.id));
  const need = new Set();
  for (const r of rels) if (r.type === "MENTIONS" && draftIds.has(r.to)) need.add(r.to);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rels) {
      if (r.type === "PART_OF" && need.has(r.from) && draftIds.has(r.to) && !need.has(r.to)) {
        need.add(r.to);
        grew = true;
      }
    }
  }
  let nodes = draft.nodes.filter((n) => analysed.has(n.id) || (proposalIds.has(n.id) && !dropped.has(n.id)) || need.has(n.id) || n.label === "Source");
  const kept = new Set(nodes.map((n) => n.id));
  const keptRels = rels.filter((r) => (!draftIds.has(r.from) || kept.has(r.from)) && (!draftIds.has(r.to) || kept.has(r.to)));
  // a source of the draft that is not the analysed text's (the datasets)
  // stays only while something kept cites it
  const cited = new Set();
  for (const x of [...nodes.filter((n) => !(n.label === "Source" && !analysed.has(n.id))), ...keptRels]) for (const e of x.evidence || []) cited.add(e.source);
  nodes = nodes.filter((n) => n.label !== "Source" || analysed.has(n.id) || cited.has(n.id));
  return { nodes, relationships: keptRels };
}

function currentBundleText() {
  return analysis ? JSON.stringify(curatedBundle()) : "";
}

// text cut to about n characters where a Thai word ends (Intl.Segmenter's
// dictionary), never inside a word or a character cluster
const words = new Intl.Segmenter("th", { granularity: "word" });
function clip(text, n) {
  if (text.length <= n) return text;
  let out = "";
  for (const { segment } of words.segment(text)) {
    if (out && out.length + segment.length > n) return `${out.trimEnd()}…`;
    out += segment;
  }
  return out;
}

function reportView(rep, bundle) {
  const names = new Map();
  for (const m of analysis.mentions) for (const c of m.candidates) names.set(c.id, c.name);
  decisions.forEach((d) => d.target && names.set(d.target.id, d.target.name));
  for (const n of bundle.nodes) names.set(n.id, n.name);
  const counts = h("p", { class: "az-counts" },
    `โหนด nodes: สร้าง created ${rep.nodesCreated}, แก้ updated ${rep.nodesUpdated}, เหมือนเดิม unchanged ${rep.nodesUnchanged} · `,
    `ความสัมพันธ์ relationships: สร้าง created ${rep.relationshipsCreated}, แก้ updated ${rep.relationshipsUpdated}, เหมือนเดิม unchanged ${rep.relationshipsUnchanged}`);
  const problems = rep.problems.length
    ? h("ul", { class: "az-problems" }, rep.problems.map((p) => h("li", {}, `${p.record}${p.field ? ` ${p.field}` : ""}: ${p.reason}`)))
    : null;
  const list = h("details", { open: rep.dryRun },
    h("summary", {}, `สิ่งที่ส่ง · what is sent: ${bundle.nodes.length} nodes, ${bundle.relationships.length} relationships`),
    h("ul", { class: "az-items" },
      bundle.nodes.map((n) => h("li", { dataset: { node: n.id } }, h("b", {}, n.name), " ", en(`${labelName(n.label)} · ${n.id}`))),
      bundle.relationships.map((r) => h("li", { dataset: { rel: `${r.from}>${r.type}>${r.to}` } },
        `${names.get(r.from) || r.from} —${r.type}→ ${names.get(r.to) || r.to}`, " ",
        en(r.evidence && r.evidence.length ? `“${clip(r.evidence[0].quote, 60)}”` : "")))));
  return [counts, problems, list];
}

async function runImport(dryRun) {
  if (!analysis) return;
  const bundle = curatedBundle();
  const text = JSON.stringify(bundle);
  setStatus(dryRun ? "กำลังตรวจ (dry run)… · checking…" : "กำลังนำเข้า… · importing…", "busy");
  await operation(async () => {
    try {
      const rep = (await gql(IMPORT, { bundle: text, dryRun })).importBundle;
      $("#report").replaceChildren(...reportView(rep, bundle));
      if (!rep.ok) {
        dryRunOK = null;
        setStatus(`ผิดพลาด error BAD_USER_INPUT: ร่างมีปัญหา ${rep.problems.length} ข้อ · the draft has ${rep.problems.length} problems; nothing was written`, "error");
      } else if (dryRun) {
        dryRunOK = text;
        setStatus(`ตรวจแล้ว (ยังไม่เขียน) · dry run: would create ${rep.nodesCreated} nodes and ${rep.relationshipsCreated} relationships, update ${rep.nodesUpdated + rep.relationshipsUpdated}, leave ${rep.nodesUnchanged + rep.relationshipsUnchanged} unchanged`, "done");
      } else {
        const none = rep.nodesCreated + rep.nodesUpdated + rep.relationshipsCreated + rep.relationshipsUpdated === 0;
        setStatus(none
          ? `นำเข้าแล้ว ไม่มีอะไรเปลี่ยน · imported: nothing changed (${rep.nodesUnchanged} nodes and ${rep.relationshipsUnchanged} relationships are in the graph already)`
          : `นำเข้าแล้ว · imported: ${rep.nodesCreated} nodes and ${rep.relationshipsCreated} relationships created, ${rep.nodesUpdated + rep.relationshipsUpdated} updated`, "done");
      }
    } catch (err) {
      dryRunOK = null;
      setStatus(errorText(err), "error");
      if (err.code === "UNAUTHENTICATED" || err.code === "FORBIDDEN") openKeyBox();
    }
  });
  $("#import").disabled = dryRunOK !== currentBundleText();
}

// ------------------------------------------------------------ input: paste, drop, file

async function readFile(file) {
  if (!file) return;
  if (file.size > 1 << 20) {
    setStatus(`ผิดพลาด error: ไฟล์ใหญ่เกิน 1 MiB · ${file.name} is over 1 MiB, the most analyzeDocument reads`, "error");
    return;
  }
  let text;
  try {
    // fatal: a file that is not UTF-8 says so rather than turning into ���
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    setStatus(`ผิดพลาด error: ${file.name} ไม่ใช่ข้อความ UTF-8 · is not UTF-8 text`, "error");
    return;
  }
  $("#text").value = text.replace(/^\uFEFF/, "");
  setStatus(`อ่านไฟล์ ${file.name} แล้ว (${Array.from(text).length} ตัวอักษร) กดวิเคราะห์ · read ${file.name}: press Analyse`, "done");
}

function buildInput() {
  $("#analyze-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    analyse();
  });
  $("#file").addEventListener("change", (ev) => readFile(ev.target.files[0]));
  const area = $("#text");
  area.addEventListener("dragover", (ev) => {
    ev.preventDefault();
    area.classList.add("dragging");
  });
  area.addEventListener("dragleave", () => area.classList.remove("dragging"));
  area.addEventListener("drop", (ev) => {
    ev.preventDefault();
    area.classList.remove("dragging");
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (file) readFile(file);
  });
  $("#dry-run").addEventListener("click", () => runImport(true));
  $("#import").addEventListener("click", () => runImport(false));
}

buildKeyControls();
buildInput();
document.body.dataset.state = "idle";
