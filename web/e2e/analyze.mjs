// Browser test of the document analysis page (/explore/analyze.html) in
// Debian's Chromium driven by playwright-core: a Thai text naming known
// actors (พอช., ธ.ก.ส.) and bodies the graph does not know is pasted and
// analysed from the keyboard; the highlighted mentions are what
// analyzeDocument says (text, node, the label's colour, the legend); one
// mention is rejected, one re-pointed to a node found with the search, one
// proposal dropped; a reader's key is refused with FORBIDDEN in the status
// line and writes nothing; with an editor's key the dry run lists what
// would be written, the import writes exactly the accepted nodes and
// MENTIONS with their quotes (read back over GraphQL), and a second import
// changes nothing.
//
//   PHAKHI_E2E_READER_KEY=phk_… PHAKHI_E2E_EDITOR_KEY=phk_… node web/e2e/analyze.mjs http://127.0.0.1:8080 /tmp/analyze.png
//
// Exits 0 when every check passes, 1 with a clear message otherwise.
import { Failure, check, ok, run, STEP_TIMEOUT } from "./browser.mjs";

const [base, shot] = process.argv.slice(2);
const readerKey = process.env.PHAKHI_E2E_READER_KEY;
const editorKey = process.env.PHAKHI_E2E_EDITOR_KEY;
if (!base || !shot || !readerKey || !editorKey) {
  console.error("usage: PHAKHI_E2E_READER_KEY=KEY PHAKHI_E2E_EDITOR_KEY=KEY node analyze.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}

// a text written for this test: known actors by abbreviation and by
// name, a province by its address word, an academic partner to re-point,
// a foundation, a person and a dated forum the graph does not know
const TEXT = `วันที่ 5 มิถุนายน 2551 พอช. และ ธ.ก.ส. ร่วมกับมูลนิธิรักษ์บ้านเกิดอีสาน จัดเวทีกองทุนสวัสดิการชุมชน ณ จังหวัดนครราชสีมา
โดยมีมหาวิทยาลัยวลัยลักษณ์เป็นภาคีวิชาการ และนายสมชาย ใจดี เป็นผู้ประสานงาน`;
const REJECT = "province-TH-30"; // จังหวัดนครราชสีมา: rejected
const REPOINT_TEXT = "ภาคีวิชาการ"; // re-pointed, by a search, to
const REPOINT_QUERY = "หน่วยจัดการความรู้องค์กรการเงินชุมชน";
const REPOINT_TO = "wu-km-unit";
const AGENCY_RGB = "rgb(47, 111, 176)"; // the explorer's colour of Agency

async function gql(query, variables, key = "") {
  const headers = { "Content-Type": "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(new URL("/query", base), { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Failure(`API error for ${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// the node of id, or null when the API says NOT_FOUND
async function nodeOrNull(id, fields = "id") {
  const res = await fetch(new URL("/query", base), {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: `query($id: ID!) { node(id: $id) { ${fields} } }`, variables: { id } }),
  });
  const body = await res.json();
  if (body.errors && body.errors[0].extensions?.code === "NOT_FOUND") return null;
  if (body.errors) throw new Failure(`API error for node(${id}): ${JSON.stringify(body.errors)}`);
  return body.data.node;
}

async function main({ page, pageErrors }) {
  const ops = () => page.evaluate(() => Number(document.body.dataset.ops || 0));
  const status = () => page.evaluate(() => ({ text: document.querySelector("#status").textContent, error: document.querySelector("#status").classList.contains("error") }));
  // wait until an operation started after `before` has finished
  async function settle(before, what) {
    try {
      await page.waitForFunction((b) => document.body.dataset.state === "idle" && Number(document.body.dataset.ops) > b, before, { timeout: STEP_TIMEOUT });
    } catch {
      throw new Failure(`${what}: did not finish within ${STEP_TIMEOUT / 1000}s (status: ${JSON.stringify(await status())}; page errors: ${pageErrors.join(" | ") || "none"})`);
    }
  }

  // what the API says of the text: the page must show the same
  const want = (await gql(`query($t: String!) { analyzeDocument(text: $t) {
    sources { id } mentions { text quote source chosen candidates { id label } } proposals { id label name } } }`, { t: TEXT })).analyzeDocument;
  const chosenOf = (text) => want.mentions.find((m) => m.text === text)?.chosen;
  check(chosenOf("พอช.") === "codi" && chosenOf("ธ.ก.ส.") === "baac", `the premise: the API finds พอช. and ธ.ก.ส.: ${JSON.stringify(want.mentions.map((m) => [m.text, m.chosen]))}`);
  check(want.mentions.some((m) => m.chosen === REJECT) && want.mentions.some((m) => m.text === REPOINT_TEXT), `the premise: the API finds ${REJECT} and ${REPOINT_TEXT}`);
  check(want.proposals.some((p) => p.label === "Network") && want.proposals.length >= 3, `the premise: proposals ${JSON.stringify(want.proposals)}`);
  const sourceId = want.sources[0].id;
  check(want.sources.length === 1, `one source: ${JSON.stringify(want.sources)}`);

  // 1. the page, reached from the explorer's header link
  await page.goto(new URL("/explore", base).href, { waitUntil: "load" });
  const link = page.locator('header a[href="/explore/analyze.html"]');
  check((await link.count()) === 1, "the explorer's header has one link to the analysis page");
  await link.click();
  await page.waitForURL(/\/explore\/analyze\.html$/);
  await page.waitForFunction(() => document.body.dataset.state === "idle");
  check(!(await status()).error, "the page opens without an error");
  ok("the explorer links to the analysis page, which opens");

  // 2. paste, then analyse from the keyboard (Tab from the text to the button)
  await page.fill("#text", TEXT);
  await page.focus("#text");
  let focused = "";
  for (let i = 0; i < 4 && focused !== "analyze"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement.id);
  }
  check(focused === "analyze", `Tab from the text reaches the Analyse button (reached ${focused})`);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== "none", `the focused button shows its focus (outline ${outline})`);
  let before = await ops();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /analysing/.test(document.querySelector("#status").textContent) || document.body.dataset.state === "idle");
  await settle(before, "the analysis");
  let st = await status();
  check(!st.error && st.text.includes(`${want.mentions.length} mentions`) && st.text.includes(`${want.proposals.length} proposed new nodes`), `the status counts the mentions: ${st.text}`);
  ok(`analysed from the keyboard: "${st.text}"`);

  // 3. the highlights are the API's mentions, coloured by the label
  const marks = () => page.$$eval("#marked a.az-mark", (as) => as.map((a) => ({ text: a.textContent, what: a.dataset.what, kind: a.dataset.kind, target: a.dataset.target, i: Number(a.dataset.i), color: getComputedStyle(a).borderBottomColor })));
  let got = await marks();
  const shown = await page.$eval("#marked", (el) => el.textContent);
  check(shown === TEXT, `the highlighted text is the text, whole: ${JSON.stringify(shown)}`);
  const mentionMarks = got.filter((m) => m.what === "mention");
  check(mentionMarks.length === want.mentions.length, `${mentionMarks.length} mention highlights, the API has ${want.mentions.length}`);
  for (const [i, m] of want.mentions.entries()) {
    const mk = mentionMarks.find((x) => x.i === i);
    const label = m.candidates.find((c) => c.id === m.chosen)?.label;
    check(mk && mk.text.startsWith(m.text.slice(0, 2)) && mk.target === (m.chosen || "") && mk.kind === (label || "undecided"), `mention ${m.text}: highlight ${JSON.stringify(mk)}, want ${m.chosen} (${label})`);
  }
  const codi = mentionMarks.find((m) => m.target === "codi");
  check(codi && codi.text === "พอช." && codi.kind === "Agency" && codi.color === AGENCY_RGB, `พอช. is highlighted as an Agency in its colour: ${JSON.stringify(codi)}`);
  check(got.filter((m) => m.what === "proposal").length === want.proposals.length, "every proposal is highlighted");
  const legend = await page.$$eval("#legend li", (lis) => lis.map((li) => ({ kind: li.dataset.kind, text: li.textContent })));
  for (const k of new Set(mentionMarks.map((m) => m.kind))) {
    check(legend.some((l) => l.kind === k && l.text.includes(k)), `the legend explains ${k}: ${JSON.stringify(legend)}`);
  }
  check(legend.some((l) => l.kind === "Agency" && l.text.includes("หน่วยงาน")) && legend.some((l) => l.kind === "proposal"), `the legend is in Thai and English: ${JSON.stringify(legend)}`);
  ok(`${mentionMarks.length} mentions highlighted as the API found them (พอช. → codi in Agency's colour), legend ${legend.map((l) => l.kind).join(", ")}`);

  // 4. reject one, re-point one through the search, drop a proposal
  const ri = want.mentions.findIndex((m) => m.chosen === REJECT);
  before = await ops();
  await page.focus(`#mention-${ri} input[value="reject"]`);
  await page.keyboard.press("Space");
  got = await marks();
  check(got.find((m) => m.what === "mention" && m.i === ri)?.kind === "rejected", `the rejected mention is drawn rejected: ${JSON.stringify(got.find((m) => m.i === ri))}`);
  check(await page.$eval(`#mention-${ri}`, (li) => li.dataset.accept === "false"), "its row says rejected");
  const pi = want.mentions.findIndex((m) => m.text === REPOINT_TEXT);
  await page.fill(`#find-${pi}`, REPOINT_QUERY);
  before = await ops();
  await page.press(`#find-${pi}`, "Enter");
  await settle(before, "the search to re-point");
  const point = page.locator(`#found-${pi} button[data-id="${REPOINT_TO}"]`);
  check((await point.count()) === 1, `the search lists ${REPOINT_TO}: ${await page.$eval(`#found-${pi}`, (ul) => ul.textContent)} (status: ${JSON.stringify(await status())})`);
  await point.click();
  got = await marks();
  const moved = got.find((m) => m.what === "mention" && m.i === pi);
  check(moved.target === REPOINT_TO, `the re-pointed mention points to ${REPOINT_TO}: ${JSON.stringify(moved)}`);
  check(await page.$eval(`#target-${pi}`, (s) => s.value) === REPOINT_TO, "its select shows the new node");
  const drop = want.proposals.findIndex((p) => p.label === "Network");
  await page.uncheck(`#keep-${drop}`);
  check((await marks()).find((m) => m.what === "proposal" && m.i === drop)?.kind === "rejected", "the dropped proposal is drawn rejected");
  ok(`rejected ${REJECT}, re-pointed ${REPOINT_TEXT} to ${REPOINT_TO} by a search, dropped the proposal ${want.proposals[drop].name}`);

  // what should land: the source, the proposals kept, and a MENTIONS from
  // the source to each accepted node, citing the mentions' quotes
  const wantNodes = new Set([sourceId, ...want.proposals.filter((_, i) => i !== drop).map((p) => p.id)]);
  const wantRels = new Map();
  want.mentions.forEach((m, i) => {
    if (i === ri || !m.chosen) return;
    const to = i === pi ? REPOINT_TO : m.chosen;
    if (!wantRels.has(to)) wantRels.set(to, new Set());
    wantRels.get(to).add(m.quote);
  });
  for (const [i, p] of want.proposals.entries()) if (i !== drop && !wantRels.has(p.id)) wantRels.set(p.id, null);

  // 5. a reader's key: FORBIDDEN in the status line, nothing written
  async function saveKey(key) {
    if (await page.$eval("#key-box", (b) => b.hidden)) await page.click("#key-button");
    await page.fill("#key-input", key);
    const b = await ops();
    await page.press("#key-input", "Enter");
    await settle(b, "saving the key");
    const msg = await page.$eval("#key-msg", (m) => m.textContent);
    check(/key accepted/.test(msg), `the key is accepted: ${msg}`);
    const stored = await page.evaluate(() => [sessionStorage.getItem("phakhi.apiKey"), Object.keys(localStorage).length]);
    check(stored[0] === key && stored[1] === 0, `the key is in sessionStorage (the explorer's item) and not localStorage: ${JSON.stringify(stored)}`);
  }
  await saveKey(readerKey);
  before = await ops();
  await page.click("#dry-run");
  await settle(before, "the reader's dry run");
  st = await status();
  check(st.error && st.text.includes("FORBIDDEN"), `a reader's import is refused with FORBIDDEN in the status: ${JSON.stringify(st)}`);
  check((await nodeOrNull(sourceId)) === null, "the refused import wrote nothing");
  check(await page.$eval("#key-box", (b) => !b.hidden && document.activeElement.id === "key-input"), "the refusal opens the key field, focused");
  ok(`a reader's key: "${st.text}"`);

  // 6. an editor's key: the dry run says what would be written
  await saveKey(editorKey);
  check(await page.$eval("#import", (b) => b.disabled), "Import waits for a dry run");
  before = await ops();
  await page.click("#dry-run");
  await settle(before, "the editor's dry run");
  st = await status();
  check(!st.error && st.text.includes(`would create ${wantNodes.size} nodes`) && st.text.includes(`${wantRels.size} relationships`), `the dry run: ${st.text} (want ${wantNodes.size} nodes, ${wantRels.size} relationships)`);
  const listed = await page.evaluate(() => ({
    nodes: Array.from(document.querySelectorAll("#report [data-node]"), (li) => li.dataset.node),
    rels: Array.from(document.querySelectorAll("#report [data-rel]"), (li) => li.dataset.rel),
  }));
  check(listed.nodes.length === wantNodes.size && listed.nodes.every((id) => wantNodes.has(id)), `the dry run lists the nodes ${JSON.stringify(listed.nodes)}, want ${JSON.stringify([...wantNodes])}`);
  const listedMentions = listed.rels.filter((r) => r.includes(">MENTIONS>")).map((r) => r.split(">")[2]);
  check(listedMentions.length === wantRels.size && listedMentions.every((to) => wantRels.has(to)), `the dry run lists the MENTIONS of ${JSON.stringify(listedMentions)}, want ${JSON.stringify([...wantRels.keys()])}`);
  check((await nodeOrNull(sourceId)) === null, "the dry run wrote nothing");
  ok(`dry run: "${st.text}"`);

  // 7. the import, read back over GraphQL
  check(!(await page.$eval("#import", (b) => b.disabled)), "Import is enabled after the dry run");
  before = await ops();
  await page.click("#import");
  await settle(before, "the import");
  st = await status();
  check(!st.error && st.text.includes(`imported: ${wantNodes.size} nodes and ${wantRels.size} relationships created`), `the import: ${st.text}`);
  const back = () => nodeOrNull(sourceId, `id ... on Source {
    relationships(filter: {types: [MENTIONS], direction: OUT}, first: 100) { totalCount edges { node { id evidence { quote source { id } } } other { id } } } }`);
  const src = await back();
  check(src && src.relationships.totalCount === wantRels.size, `the source holds ${src && src.relationships.totalCount} MENTIONS, want ${wantRels.size}`);
  for (const e of src.relationships.edges) {
    const to = e.other.id;
    check(wantRels.has(to), `a MENTIONS of ${to} that was not accepted landed`);
    const quotes = wantRels.get(to);
    if (quotes) {
      const got = new Set(e.node.evidence.map((ev) => ev.quote));
      check([...quotes].every((q) => got.has(q)) && e.node.evidence.every((ev) => ev.source.id === sourceId && TEXT.includes(ev.quote)), `the MENTIONS of ${to} cites ${JSON.stringify([...got])}, want ${JSON.stringify([...quotes])}`);
    }
  }
  for (const [i, p] of want.proposals.entries()) {
    const n = await nodeOrNull(p.id, "id name");
    check(i === drop ? n === null : n && n.name === p.name, `proposal ${p.name} (${p.id}) ${i === drop ? "was dropped and must not land" : "must land"}: ${JSON.stringify(n)}`);
  }
  ok(`imported: ${src.relationships.totalCount} MENTIONS with their quotes, the kept proposals, nothing rejected`);

  // 8. a second import changes nothing
  before = await ops();
  await page.click("#import");
  await settle(before, "the second import");
  st = await status();
  check(!st.error && st.text.includes("nothing changed"), `the second import: ${st.text}`);
  const again = await back();
  check(again.relationships.totalCount === wantRels.size, `after the second import the source holds ${again.relationships.totalCount} MENTIONS`);
  ok(`second import: "${st.text}"`);

  await page.screenshot({ path: shot, fullPage: false });
  check(pageErrors.length === 0, `page errors: ${pageErrors.join(" | ")}`);
  ok("no page errors");
}

run(main);
