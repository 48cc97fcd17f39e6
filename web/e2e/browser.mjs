// What the explorer's browser tests share: Debian's Chromium launched by
// playwright-core, checks that fail with a clear message, TAP-like output,
// and the page's errors and failed requests collected for the verdict.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = "/usr/bin/chromium";
export const THAI = /[\u0E01-\u0E5B]/;
export const STEP_TIMEOUT = 30_000;

const began = Date.now();
let passed = 0;

export class Failure extends Error {}
export function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}
export function ok(msg) {
  passed++;
  console.log(`ok ${passed} - ${msg} (${((Date.now() - began) / 1000).toFixed(1)}s)`);
}

// run(main) launches Chromium, opens a page that records its errors and
// failed requests (4xx/5xx responses, failed loads), calls main({ page,
// context, pageErrors, badResponses }) and exits 0 if it returns, 1 with
// the failure otherwise.
// operations gives a page's count of finished operations, and settle,
// which waits until an operation started after `before` has finished and
// the page is idle, then until cond(arg) holds in the page (a function of
// arg that reads window.phakhiCy), or fails naming `what`. No eval: the
// explorer's Content-Security-Policy has no 'unsafe-eval'.
export function operations(page, pageErrors) {
  const ops = () => page.evaluate(() => Number(document.body.dataset.ops || 0));
  async function settle(before, what, cond, arg) {
    try {
      await page.waitForFunction((before) => document.body.dataset.state === "idle" && Number(document.body.dataset.ops) > before, before, { timeout: STEP_TIMEOUT });
      if (cond) await page.waitForFunction(cond, arg, { timeout: STEP_TIMEOUT });
    } catch {
      const status = await page.locator("#status").textContent().catch(() => "?");
      throw new Failure(`${what}: did not happen within ${STEP_TIMEOUT / 1000}s (status bar: "${status}"; page errors: ${pageErrors.join(" | ") || "none"})`);
    }
  }
  return { ops, settle };
}

export async function run(main) {
  if (!existsSync(CHROMIUM)) {
    console.log(`FAIL: ${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
    process.exit(1);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), "phakhi-chromium-"));
  const pageErrors = [];
  const badResponses = [];
  let context;
  let code = 0;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      locale: "th-TH",
      timeout: STEP_TIMEOUT,
    });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(`console: ${m.text()}`));
    page.on("response", (r) => r.status() >= 400 && badResponses.push(`${r.status()} ${r.url()}`));
    page.on("requestfailed", (r) => badResponses.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
    await main({ page, context, pageErrors, badResponses });
    console.log(`${passed} passed, 0 failed`);
  } catch (err) {
    code = 1;
    console.log(`FAIL: ${err instanceof Failure ? err.message : err.stack || err}`);
    if (pageErrors.length) console.log(`page errors: ${pageErrors.join(" | ")}`);
    if (badResponses.length) console.log(`failed requests: ${badResponses.join(" | ")}`);
    console.log(`${passed} passed, 1 failed`);
  } finally {
    await context?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
  process.exit(code);
}
