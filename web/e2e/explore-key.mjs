// Browser test of the graph explorer (/explore) on a server whose reads
// need an API key (-private-reads), in Debian's Chromium driven by
// playwright-core: the page says it needs a reader key and opens the key
// field; bad input and a wrong key are refused with clear messages and
// not kept; a reader's key is kept in sessionStorage (not localStorage),
// sent as a bearer token on every request, and the Thai search draws
// nodes (asserted on what Cytoscape holds, against the API).
//
//   PHAKHI_E2E_READER_KEY=phk_… node web/e2e/explore-key.mjs http://127.0.0.1:8080 /tmp/explore-key.png
//
// Also saves the page as it asks for a key beside the screenshot
// (explore-key-locked.png). Exits 0 when every check passes, 1 with a
// clear message otherwise.
import { existsSync, statSync } from "node:fs";
import { Failure, check, ok, run, operations, THAI, STEP_TIMEOUT } from "./browser.mjs";

const [base, shot] = process.argv.slice(2);
const key = process.env.PHAKHI_E2E_READER_KEY;
if (!base || !shot || !key) {
  console.error("usage: PHAKHI_E2E_READER_KEY=KEY node explore-key.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}
const lockedShot = shot.replace(/(\.png)?$/, "-locked.png");
const WRONG = "phk_not_a_key_this_server_knows_0000";
const KEY_ITEM = "phakhi.apiKey";

// the API with the reader's key, to compare what is drawn with what the server says
async function gql(query, variables) {
  const res = await fetch(new URL("/query", base), {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Failure(`API error for ${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function main({ page, pageErrors, badResponses }) {
  // every GraphQL request the page sends, with the key it carried
  const sent = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/query") sent.push(r.headers()["authorization"] || "");
  });

  const { ops, settle } = operations(page, pageErrors);
  // what the page shows about keys, and what Cytoscape holds
  const view = () =>
    page.evaluate((KEY_ITEM) => {
      const $ = (s) => document.querySelector(s);
      const visible = (s) => !!$(s) && !$(s).hidden && $(s).getClientRects().length > 0;
      return {
        auth: document.body.dataset.auth || "",
        notice: visible("#auth-notice") ? $("#auth-notice").innerText : "",
        reason: $("#auth-reason").textContent,
        keyBox: visible("#key-box"),
        keyMsg: $("#key-msg").textContent,
        keyMsgError: $("#key-msg").classList.contains("error"),
        focused: document.activeElement && document.activeElement.id,
        status: $("#status").textContent,
        statusError: $("#status").classList.contains("error"),
        empty: visible("#empty"),
        hasKey: $("#key-button").classList.contains("has-key"),
        keyTitle: $("#key-button").title,
        stored: sessionStorage.getItem(KEY_ITEM),
        local: Object.keys(localStorage).map((k) => localStorage.getItem(k)),
        nodes: window.phakhiCy ? window.phakhiCy.nodes().map((n) => n.id()) : [],
        edges: window.phakhiCy ? window.phakhiCy.edges().map((e) => e.id()) : [],
        results: Array.from(document.querySelectorAll("#search-results li[data-id]"), (li) => ({ id: li.dataset.id, text: li.innerText })),
      };
    }, KEY_ITEM);
  const waitAuth = (state, what) =>
    page.waitForFunction((state) => document.body.dataset.auth === state && document.body.dataset.state === "idle", state, { timeout: STEP_TIMEOUT })
      .catch(async () => { throw new Failure(`${what}: the page did not reach auth state "${state}": ${JSON.stringify(await view())}`); });
  const NEEDS = "ต้องใช้กุญแจ API ระดับผู้อ่าน";
  const NEEDS_EN = "needs a reader API key";

  // 1. no key: the page says the server needs a reader key and opens the field
  const res = await page.goto(new URL("/explore", base).href, { waitUntil: "load" });
  check(res && res.status() === 200, `GET /explore answered ${res && res.status()}`);
  await waitAuth("needed", "opening /explore without a key");
  let v = await view();
  check(v.notice.includes(NEEDS) && v.notice.includes(NEEDS_EN), `the notice does not say the server needs a reader key: "${v.notice}"`);
  check(v.reason.includes("no key given"), `the notice does not say no key was given: "${v.reason}"`);
  check(v.keyBox, "the key field did not open");
  check(v.focused === "key-input", `the key field is not focused (focus on ${v.focused})`);
  check(!v.empty, "the empty-graph prompt still shows under the notice");
  check(v.nodes.length === 0, `nodes drawn without a key: ${v.nodes}`);
  check(v.keyTitle.includes("sessionStorage") && v.keyTitle.includes("localStorage"), `the key button's tooltip does not say where the key is kept: "${v.keyTitle}"`);
  check(sent.length >= 1 && sent.every((a) => a === ""), `requests before a key carried one: ${sent}`);
  await page.mouse.move(2, 2);
  await page.screenshot({ path: lockedShot });
  ok(`without a key the page says "${NEEDS} · ${NEEDS_EN}" and opens the key field`);

  // 2. a Thai search without a key: the clear message again, no results, nothing drawn
  let before = await ops();
  await page.locator("#search-input").fill("พอช.");
  await page.locator("#search-input").press("Enter");
  await settle(before, "searching without a key");
  v = await view();
  check(v.statusError && v.status.includes(NEEDS_EN), `the status bar does not say a reader key is needed: "${v.status}"`);
  check(v.notice.includes(NEEDS), "the notice went away after a refused search");
  check(v.results.length === 0 && v.nodes.length === 0, `a refused search listed ${v.results.length} results, drew ${v.nodes.length} nodes`);
  ok(`searching "พอช." without a key shows "${v.status}", no raw error, nothing drawn`);

  // 3. bad input in the key field: a clear message, nothing sent, nothing kept
  const sentBefore = sent.length;
  await page.locator("#key-input").fill("   ");
  await page.locator("#key-save").click();
  await page.waitForFunction(() => document.querySelector("#key-msg").textContent.includes("enter a key first"), null, { timeout: STEP_TIMEOUT })
    .catch(async () => { throw new Failure(`saving an empty key: no "enter a key first" message: "${(await view()).keyMsg}"`); });
  await page.locator("#key-input").fill("phk with spaces");
  await page.locator("#key-save").click();
  await page.waitForFunction(() => document.querySelector("#key-msg").textContent.includes("printable ASCII"), null, { timeout: STEP_TIMEOUT })
    .catch(async () => { throw new Failure(`saving a key with spaces: no clear message: "${(await view()).keyMsg}"`); });
  v = await view();
  check(v.keyMsgError, "the bad-key message is not shown as an error");
  check(sent.length === sentBefore, `bad key input sent ${sent.length - sentBefore} requests`);
  check(v.stored === null && !v.hasKey, `bad key input was kept: ${v.stored}`);
  ok(`an empty key and one with spaces are refused in the page: "${v.keyMsg}"`);

  // 4. a wrong key: sent, refused by the server, the clear message, not kept
  before = await ops();
  await page.locator("#key-input").fill(WRONG);
  await page.locator("#key-save").click();
  await settle(before, "saving a wrong key");
  v = await view();
  check(sent.at(-1) === `Bearer ${WRONG}`, `the wrong key was not sent as a bearer token: "${sent.at(-1)}"`);
  check(v.auth === "needed" && v.notice.includes(NEEDS) && v.reason.includes("refused this key"), `a wrong key does not give the clear message: notice "${v.notice}"`);
  check(v.keyBox && v.keyMsgError && v.keyMsg.includes("refused this key"), `the key field does not say the key was refused: "${v.keyMsg}"`);
  check(v.stored === null && !v.hasKey, `the refused key was kept: ${v.stored}`);
  check(v.nodes.length === 0, "nodes drawn with a wrong key");
  ok(`a wrong key is refused: "${v.reason}"; it is not kept`);

  // 5. the reader's key: accepted, kept in sessionStorage only, and the refused search runs again
  const firstWithKey = sent.length;
  await page.locator("#key-input").fill(key);
  await page.locator("#key-save").click();
  await waitAuth("key", "saving the reader's key");
  await page.locator('#search-results li[data-id="codi"]').waitFor({ timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure('after the key was saved, the search for "พอช." did not list codi'); });
  v = await view();
  check(v.notice === "" && !v.keyBox, `after a good key the notice (${!!v.notice}) or the key field (${v.keyBox}) still shows`);
  check(v.stored === key && v.hasKey, `the key is not in sessionStorage: ${v.stored}`);
  check(!v.local.some((x) => x && x.includes(key)), "the key was written to localStorage");
  check(v.results.find((r) => r.id === "codi").text.includes("สถาบันพัฒนาองค์กรชุมชน"), "codi's result lacks its Thai name");
  ok(`the reader's key is accepted and kept in sessionStorage only; "พอช." lists สถาบันพัฒนาองค์กรชุมชน`);

  // 6. with the key, CODI (from "พอช.") is drawn as the API says
  const hoodOf = async (id) => {
    const d = await gql(`query($id: ID!) { neighborhood(id: $id) { nodes { id } edges { id } } }`, { id });
    return { nodes: d.neighborhood.nodes.map((n) => n.id), edges: d.neighborhood.edges.map((e) => e.id) };
  };
  const sameSet = (a, b) => a.length === new Set(b).size && a.every((x) => b.includes(x));
  before = await ops();
  await page.locator('#search-results li[data-id="codi"]').click();
  await settle(before, "drawing CODI's neighborhood", () => window.phakhiCy.getElementById("codi").nonempty());
  const codi = await hoodOf("codi");
  v = await view();
  check(codi.nodes.length >= 8, `the API's neighborhood of codi is too small to test: ${codi.nodes.length} nodes`);
  check(sameSet(v.nodes, codi.nodes) && sameSet(v.edges, codi.edges),
    `drawn ${v.nodes.length} nodes / ${v.edges.length} edges, the API has ${codi.nodes.length} / ${codi.edges.length}`);
  const drawn = await page.evaluate(() => {
    const cy = window.phakhiCy;
    let painted = 0;
    for (const c of cy.container().querySelectorAll("canvas")) {
      if (!c.width || !c.height) continue;
      const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
    }
    const codi = cy.getElementById("codi");
    return { label: codi.style("label"), root: codi.hasClass("root"), painted };
  });
  check(drawn.root && THAI.test(drawn.label), `codi is not the root with a Thai label: ${JSON.stringify(drawn)}`);
  check(drawn.painted > 5000, `the graph canvas is (nearly) blank: ${drawn.painted} painted pixels`);
  ok(`CODI's neighborhood is drawn with the key: ${v.nodes.length} nodes, ${v.edges.length} edges, ${drawn.painted} painted pixels`);

  // 7. "เครดิตยูเนี่ยน" lists what the API finds; its first hit's "+" adds its neighborhood
  before = await ops();
  await page.locator("#search-input").fill("เครดิตยูเนี่ยน");
  await page.locator("#search-input").press("Enter");
  await settle(before, 'searching "เครดิตยูเนี่ยน" with the key');
  const api = await gql(`{ search(query: "เครดิตยูเนี่ยน", first: 12) { edges { node { id name } } } }`);
  const hits = api.search.edges.map((e) => e.node.id);
  v = await view();
  check(hits.length > 0, 'the API finds nothing for "เครดิตยูเนี่ยน"');
  check(v.results.map((r) => r.id).join() === hits.join(), `the page lists ${v.results.map((r) => r.id)}, the API ${hits}`);
  check(THAI.test(v.results[0].text), `the first result is not Thai: ${v.results[0].text}`);
  const add = hits[0];
  const other = await hoodOf(add);
  before = await ops();
  await page.locator(`#search-results li[data-id="${add}"] .r-add`).click();
  await settle(before, `adding ${add}'s neighborhood`, (id) => window.phakhiCy.getElementById(id).nonempty(), add);
  v = await view();
  const union = (a, b) => [...new Set([...a, ...b])];
  check(sameSet(v.nodes, union(codi.nodes, other.nodes)) && sameSet(v.edges, union(codi.edges, other.edges)),
    `after adding ${add}: drawn ${v.nodes.length} nodes / ${v.edges.length} edges, the API's two neighborhoods have ${union(codi.nodes, other.nodes).length} / ${union(codi.edges, other.edges).length}`);
  // the side panel's node query carries the key too: its evidence shows
  await page.waitForFunction((id) => document.querySelector("#panel").dataset.id === id && document.querySelector("#panel .evidence .quote"), add, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure(`the panel did not show ${add}'s evidence`); });
  const withKey = sent.slice(firstWithKey);
  check(withKey.length >= 6 && withKey.every((a) => a === `Bearer ${key}`), `not every request after the key was saved carried it: ${withKey.map((a) => a.slice(0, 14))}`);
  ok(`"เครดิตยูเนี่ยน" lists ${hits.length} results as the API does; "+" on ${add} adds its neighborhood (${v.nodes.length} nodes, ${v.edges.length} edges); all ${withKey.length} requests carried the key`);

  await page.mouse.move(2, 2);
  await page.waitForTimeout(400); // let the fit animation end
  await page.screenshot({ path: shot });
  check(existsSync(shot) && statSync(shot).size > 20_000, `screenshot ${shot} is missing or tiny`);
  ok(`screenshots saved: ${shot} (${statSync(shot).size} bytes), ${lockedShot} (${statSync(lockedShot).size} bytes)`);

  // 8. the key lives as long as the tab: a reload draws ?id=codi at once
  await page.reload({ waitUntil: "load" });
  await waitAuth("key", "reloading with the key in sessionStorage");
  await page.waitForFunction(() => window.phakhiCy && window.phakhiCy.getElementById("codi").nonempty(), null, { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Failure("after a reload, codi (?id=codi) was not drawn with the kept key"); });
  v = await view();
  check(v.notice === "" && v.hasKey && sameSet(v.nodes, codi.nodes), `after a reload: notice "${v.notice}", key set ${v.hasKey}, ${v.nodes.length} nodes`);
  ok(`after a reload the kept key draws codi again (${v.nodes.length} nodes)`);

  // 9. Forget: the key goes, and the next read asks for one again
  await page.locator("#key-button").click();
  await page.locator("#key-forget").click();
  v = await view();
  check(v.stored === null && !v.hasKey && v.keyMsg.includes("forgotten"), `Forget did not remove the key: ${v.stored} "${v.keyMsg}"`);
  await page.locator("#key-close").click();
  before = await ops();
  await page.locator("#search-input").fill("สกว.");
  await page.locator("#search-input").press("Enter");
  await settle(before, "searching after Forget");
  v = await view();
  check(sent.at(-1) === "", `a request after Forget carried a key: "${sent.at(-1)}"`);
  check(v.auth === "needed" && v.notice.includes(NEEDS) && v.keyBox && v.reason.includes("no key given"), `after Forget a read does not ask for a key: "${v.notice}"`);
  ok("Forget removes the key from sessionStorage; the next read asks for one again");

  // 10. a kept key the server no longer knows (revoked): the clear message on load
  await page.evaluate(({ KEY_ITEM, WRONG }) => sessionStorage.setItem(KEY_ITEM, WRONG), { KEY_ITEM, WRONG });
  await page.reload({ waitUntil: "load" });
  await waitAuth("needed", "reloading with a key the server does not know");
  v = await view();
  check(v.notice.includes(NEEDS) && v.reason.includes("refused this key") && v.keyBox, `a kept unknown key does not give the clear message: "${v.notice}"`);
  check(v.nodes.length === 0, "nodes drawn with an unknown key");
  ok(`a kept key the server does not know: "${v.reason}"`);

  // the only failed requests are the refused reads (401 for an unknown
  // key), and the only console errors Chromium's lines about them
  const unexpected = badResponses.filter((r) => !/^401 .*\/query$/.test(r));
  check(badResponses.length > 0 && unexpected.length === 0, `unexpected failed requests: ${unexpected.join(" | ") || "none at all (a wrong key should be a 401)"}`);
  const errors = pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 401/.test(e));
  check(errors.length === 0, `page errors: ${errors.join(" | ")}`);
  ok(`no page errors; the ${badResponses.length} failed requests are the wrong key's 401s`);
}

await run(main);
