// Speed and size of the built site (dist/, from `make build-web`) in
// Debian's Chromium: bytes on first load (gzip), time to the first drawn
// timeline, time from a slider move to the redrawn chart, and frame times
// while animating 64 cores x 5 models. Prints a Markdown table; the README
// keeps the numbers. Run: node scripts/bench-web.mjs [runs]
import { createServer } from "node:http";
import { readFile, readdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const root = new URL("../", import.meta.url).pathname;
const dist = join(root, "dist");
const runs = Number(process.argv[2] ?? 5);
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };

const server = await new Promise((ok) => {
  const s = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(dist, path.endsWith("/") ? path + "index.html" : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch { res.writeHead(404).end(); }
  });
  s.listen(0, "127.0.0.1", () => ok(s));
});
const base = `http://127.0.0.1:${server.address().port}/`;
const launchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: launchArgs,
});

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };

async function fresh() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

// Bytes on first load: every response of the home page, gzipped at level 9
// (what a static host with compression serves).
let bytes = 0;
{
  const { context, page } = await fresh();
  const bodies = [];
  page.on("response", async (r) => { try { bodies.push(await r.body()); } catch { /* redirects */ } });
  await page.goto(base + "#/", { waitUntil: "networkidle" });
  bytes = bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  await context.close();
}

// What the service worker fetches in the background once the page has
// loaded: every chapter and lesson in every language (dist/pages).
async function gzipTree(dir) {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await gzipTree(p) : gzipSync(await readFile(p), { level: 9 }).length;
  }
  return n;
}
const precache = await gzipTree(join(dist, "pages"));

// Time to the first drawn timeline (a performance mark the timeline sets on
// its first frame with runs in it), from navigation start.
const firstTimeline = [];
for (let i = 0; i < runs; i++) {
  const { context, page } = await fresh();
  await page.goto(base + "#/");
  await page.waitForFunction(() => performance.getEntriesByName("pu-timeline-drawn").length > 0, null, { timeout: 60000 });
  firstTimeline.push(await page.evaluate(() => performance.getEntriesByName("pu-timeline-drawn")[0].startTime));
  await context.close();
}

// Slider to chart: move the cores slider, time until the speedup chart has
// been drawn again (a mark per chart draw).
const sliderToChart = [];
{
  const { context, page } = await fresh();
  await page.goto(base + "#/playground?preset=cpu-bound&cores=8&workers=8");
  await page.waitForFunction(() => performance.getEntriesByName("pu-chart-drawn").length > 0, null, { timeout: 60000 });
  for (let i = 0; i < runs; i++) {
    const ms = await page.evaluate(async (cores) => {
      const before = performance.getEntriesByName("pu-chart-drawn").length;
      const slider = document.querySelector(".controls input[type=range]");
      const t0 = performance.now();
      slider.value = String(cores);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      while (performance.getEntriesByName("pu-chart-drawn").length === before) {
        await new Promise((r) => setTimeout(r, 1));
      }
      return performance.getEntriesByName("pu-chart-drawn").at(-1).startTime - t0;
    }, 6 + (i % 2) * 4);
    sliderToChart.push(ms);
  }
  await context.close();
}

// Responsiveness while a heavy view computes: the longest gap between
// animation frames from navigation until its runs are done (the work runs in
// pieces of at most 12 ms between frames).
let longestGap = 0;
{
  const { context, page } = await fresh();
  await page.addInitScript(() => {
    window.__gaps = [];
    let last = null;
    const tick = (t) => {
      const started = performance.getEntriesByName("pu-view-start").length > 0;
      if (last !== null && started) window.__gaps.push(t - last);
      last = t;
      if (!performance.getEntriesByName("pu-view-done").length) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(base + "#/playground?preset=tiny-tasks&cores=64&workers=64&models=threads,asyncio,processes,interpreters,free-threading");
  await page.waitForFunction(() => performance.getEntriesByName("pu-view-done").length > 0, null, { timeout: 120000 });
  // Counted from the start of the view's work (loading and compiling the
  // wasm before it are not the simulator's).
  longestGap = await page.evaluate(() => Math.max(0, ...window.__gaps));
  await context.close();
}

// Frames while animating 64 cores x 5 models: once in the browser as
// launched (frames paced by a 60 Hz display clock), and once with that cap
// lifted (--disable-gpu-vsync --disable-frame-rate-limit), where a frame's
// interval is the time the page needs to produce it.
async function animate(b) {
  const context = await b.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + "#/playground?preset=cpu-bound&tasks=512&cores=64&workers=64&models=threads,asyncio,processes,interpreters,free-threading");
  await page.waitForSelector(".timeline-canvas");
  await page.waitForFunction(() => performance.getEntriesByName("pu-timeline-drawn").length > 0, null, { timeout: 60000 });
  await page.evaluate(() => { window.__puDrawTimes = []; });
  await page.click(".transport button:has-text('Play')");
  const frames = await page.evaluate(() => new Promise((ok) => {
    const out = [];
    let last = null;
    const end = performance.now() + 4000;
    function tick(t) {
      if (last !== null) out.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick); else ok(out);
    }
    requestAnimationFrame(tick);
  }));
  const draws = await page.evaluate(() => window.__puDrawTimes);
  await context.close();
  return { frames, draws };
}
const { frames, draws } = await animate(browser);
const uncapped = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [...launchArgs, "--disable-gpu-vsync", "--disable-frame-rate-limit"],
});
const free = await animate(uncapped);
await uncapped.close();

await browser.close();
server.close();

const cpu = (await readFile("/proc/cpuinfo", "utf8").catch(() => "")).match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} with Chromium (headless), ${runs} runs each; medians unless said.\n`);
console.log("| measure | result | target |");
console.log("|---|---|---|");
console.log(`| bytes on first load (gzip) | ${(bytes / 1024).toFixed(0)} KB | under 400 KB |`);
console.log(`| fetched afterwards by the service worker, for reading the guide and tutorials offline (gzip) | ${(precache / 1024).toFixed(0)} KB | |`);
console.log(`| first drawn timeline | ${median(firstTimeline).toFixed(0)} ms | under 1 s |`);
console.log(`| slider move to redrawn chart | ${median(sliderToChart).toFixed(0)} ms (slowest ${Math.max(...sliderToChart).toFixed(0)} ms) | under 100 ms |`);
console.log(`| longest frame gap while a view of 10,000 tiny tasks x 5 models x 64 cores computes | ${longestGap.toFixed(0)} ms | (no freeze) |`);
const late = frames.filter((f) => f > 25).length;
console.log(`| frame time animating 64 cores x 5 models, 95th percentile | ${pct(frames, 95).toFixed(2)} ms (median ${median(frames).toFixed(2)} ms; ${late} of ${frames.length} frames over 25 ms) | under 16.7 ms |`);
console.log(`| frame time with the 60 Hz cap lifted, 95th percentile (same view) | ${pct(free.frames, 95).toFixed(2)} ms (median ${median(free.frames).toFixed(2)} ms, ${free.frames.length} frames in 4 s) | under 16.7 ms |`);
console.log(`| the timeline's drawing per frame, 95th percentile (same run) | ${pct(draws, 95).toFixed(2)} ms (median ${median(draws).toFixed(2)} ms, ${draws.length} frames) | |`);
