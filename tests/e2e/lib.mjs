// What every end-to-end test file shares: the built site (dist/) served on
// 127.0.0.1 by a small static server, one Debian Chromium driven by
// playwright-core (never a downloaded browser), and pages that record their
// console errors and any request that leaves the site.
import { createServer } from "node:http";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const root = new URL("../../", import.meta.url).pathname;
const dist = join(root, "dist");
export const shots = join(root, "target", "e2e");
const types = {
  ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml",
  ".md": "text/markdown; charset=utf-8",
};

function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    // An empty same-origin page for tests to write host pages into.
    if (path === "/__host.html") { res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>host</title>"); return; }
    const file = join(dir, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

export const server = await serve(dist);
export const base = `http://127.0.0.1:${server.address().port}/`;
await mkdir(shots, { recursive: true });
export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});

// Every page of a test, with its console errors and any request that
// leaves 127.0.0.1 (there must be none).
export async function open(hash, opts = {}) {
  const context = await browser.newContext({ colorScheme: opts.dark ? "dark" : "light",
    reducedMotion: opts.reduced ? "reduce" : "no-preference" });
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) foreign.push(r.url()); });
  await page.goto(base + hash);
  await page.waitForSelector("canvas, .notice, table, h1", { timeout: 30000 });
  if (opts.view !== false) await viewDone(page);
  return { page, errors, foreign, context };
}

// The page's simulations have finished (`n` of them since it loaded).
export async function viewDone(page, n = 1) {
  await page.waitForFunction((n) => performance.getEntriesByName("pu-view-done").length >= n, n, { timeout: 30000 });
}

export async function done({ page, errors, foreign, context }, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  await context.close();
  assert.deepEqual(errors, [], `${name}: console errors`);
  assert.deepEqual(foreign, [], `${name}: requests that left the site`);
}

