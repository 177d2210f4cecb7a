// End-to-end tests of the built site (dist/, from `make build-web`) in
// Debian's Chromium, driven by playwright-core (no browser download); the
// guide, tutorials and slides have their own files, run from here.
// Screenshots go to target/e2e/. Run: node tests/e2e/run.mjs
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, done, open, root, server, shots, viewDone } from "./lib.mjs";
import "./content.mjs";
import "./slides.mjs";

test("every route loads", async () => {
  for (const [hash, name, sel] of [
    ["#/", "home", ".timeline-canvas"],
    ["#/playground", "playground", ".chart-canvas"],
    ["#/calibration", "calibration", "table.accuracy"],
    ["#/embed?preset=convoy&models=threads,free-threading&workers=2", "embed", ".timeline-canvas"],
    ["#/no-such-page", "not-found", "h1"],
  ]) {
    const p = await open(hash, { view: !["calibration", "not-found"].includes(name) });
    await p.page.waitForSelector(sel, { timeout: 30000 });
    await done(p, name);
  }
});

test("play and scrub move the clock", async () => {
  const p = await open("#/playground?preset=cpu-bound&cores=4&workers=4&models=threads,processes");
  const readout = () => p.page.textContent(".readout");
  const before = await readout();
  await p.page.click(".transport button:has-text('Play')");
  await p.page.waitForTimeout(600);
  await p.page.click(".transport button:has-text('Pause')");
  const played = await readout();
  assert.notEqual(played, before, "playing moved the clock");
  await p.page.waitForFunction(() => location.hash.includes("at=") && !location.hash.includes("play=1"));
  await p.page.fill(".scrub input", "900");
  await p.page.dispatchEvent(".scrub input", "input");
  const scrubbed = await readout();
  assert.notEqual(scrubbed, played, "scrubbing moved the clock");
  await done(p, "play-scrub");
});

test("a control change redraws the chart and the address", async () => {
  const p = await open("#/playground?preset=cpu-bound&cores=8&models=threads,interpreters&workers=8");
  await p.page.waitForFunction(() => performance.getEntriesByName("pu-chart-drawn").length > 0);
  const chart = await p.page.$(".chart-canvas");
  const a = await chart.screenshot();
  const drawnBefore = await p.page.evaluate(() => performance.getEntriesByName("pu-chart-drawn").length);
  // Sixteen workers extend the speedup chart's sweep past eight.
  await p.page.fill("input[aria-label='workers for interpreters']", "16");
  await p.page.dispatchEvent("input[aria-label='workers for interpreters']", "change");
  await p.page.waitForFunction(() => location.hash.includes("w.interpreters=16"));
  await viewDone(p.page, 2);
  await p.page.waitForFunction((n) => performance.getEntriesByName("pu-chart-drawn").length > n, drawnBefore);
  const b = await (await p.page.$(".chart-canvas")).screenshot();
  assert.notDeepEqual(a, b, "the chart changed");
  await done(p, "control-change");
});

test("an out-of-range control value is refused with a message", async () => {
  const p = await open("#/playground?preset=cpu-bound&cores=4&models=threads&workers=4");
  const before = await p.page.evaluate(() => location.hash);
  const tasks = p.page.locator("label:has-text('Tasks') input");
  await tasks.fill("0");
  await tasks.dispatchEvent("change");
  await p.page.waitForSelector(".notice:has-text('unchanged')");
  assert.equal(await p.page.evaluate(() => location.hash), before, "the view kept its address");
  await done(p, "refused-control");
});

test("an address round-trips to the same view", async () => {
  const hash = "#/playground?preset=web-server&cores=16&python=3.13&method=spawn&models=threads,processes,interpreters&w.threads=4&w.processes=8&w.interpreters=16&seed=3&pct=95&tables=memory";
  const p = await open(hash);
  const first = await p.page.evaluate(() => location.hash);
  assert.ok(first.includes("pct=95"), first);
  assert.equal(await p.page.$eval("select[aria-label='Latency percentile']", (e) => e.value), "95");
  assert.ok(await p.page.$("figure.chart table caption:has-text('Peak memory')"), "the memory chart shows as a table");
  const table = await p.page.textContent("table.summary");
  await done(p, "round-trip-1");
  const q = await open(first);
  assert.equal(await q.page.evaluate(() => location.hash), first);
  assert.equal(await q.page.textContent("table.summary"), table);
  await done(q, "round-trip-2");
});

test("a hostile address shows notices and falls back", async () => {
  const hostile = "#/playground?cores=1e309&models=%00,threads&python=<script>&preset=../../etc&w.warp=9&" + "x=1&".repeat(30);
  const p = await open(hostile);
  const notices = await p.page.$$eval(".notice", (n) => n.map((x) => x.textContent));
  assert.ok(notices.length >= 3, `notices: ${notices}`);
  assert.ok(await p.page.$(".timeline-canvas"), "the page still works");
  await done(p, "hostile");
  const q = await open("#/playground?" + "a".repeat(20000));
  assert.ok((await q.page.$$(".notice")).length >= 1);
  await done(q, "hostile-long");
});

test("a bad profile file is refused and the previous profile kept", async () => {
  const p = await open("#/playground?preset=cpu-bound&cores=4&models=threads&workers=4");
  const bad = join(shots, "bad-profile.json");
  await writeFile(bad, JSON.stringify({ format: "parallel-universe/profile@1", name: "x", parameters: [{ name: "thread_start", value: -5, unit: "us" }] }));
  await p.page.setInputFiles("input[type=file]", bad);
  await p.page.waitForSelector(".notice:has-text('kept')");
  assert.match(await p.page.textContent(".controls"), /shipped profile/);
  await done(p, "bad-profile");
});

test("the embed route inside a host page is driven by keyboard", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const src = base + "#/embed?preset=cpu-bound&cores=4&models=threads,interpreters&workers=4";
  await page.setContent(`<html><body><h1 tabindex="0" id="host">Slide</h1>
    <iframe id="f" src="${src}" width="800" height="450" title="simulation"></iframe></body></html>`);
  const frame = await (await page.$("#f")).contentFrame();
  await frame.waitForSelector(".timeline-canvas", { timeout: 30000 });
  await frame.focus(".timeline-canvas");
  // The embed opens on the whole run; Home goes back to the start.
  await page.keyboard.press("Home");
  const t0 = await frame.textContent(".readout");
  assert.match(t0, /^0\.0 us of/);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("PageDown");
  const t1 = await frame.textContent(".readout");
  assert.notEqual(t1, t0, "arrow keys step the clock");
  await page.keyboard.press("Escape");
  const focused = await frame.evaluate(() => document.activeElement?.tagName);
  assert.notEqual(focused, "CANVAS", "Escape gives focus back");
  await page.screenshot({ path: join(shots, "embed-host.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

test("no serious or critical accessibility violations", async () => {
  const axe = await readFile(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
  for (const [hash, name] of [["#/", "home"], ["#/playground", "playground"], ["#/calibration", "calibration"],
    ["#/guide/choosing", "guide-choosing"], ["#/guide/models?lang=ja", "guide-models-ja"], ["#/tutorial/gil-threads", "lesson"],
    ["#/tutorials", "tutorials"], ["#/embed?preset=cpu-bound&models=threads&theme=dark", "embed-dark"]]) {
    for (const dark of [false, true]) {
      const p = await open(hash, { dark, view: !["calibration", "tutorials", "lesson"].includes(name) });
      if (name.startsWith("guide")) await p.page.waitForSelector(".prose");
      await p.page.addScriptTag({ content: axe });
      const result = await p.page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `${name}${dark ? " dark" : ""}`);
      await done(p, `axe-${name}${dark ? "-dark" : ""}`);
    }
  }
});

test("after one visit the site works offline", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "#/");
  await page.waitForSelector(".timeline-canvas", { timeout: 30000 });
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // Fetch the pages' own files once more so that the worker has seen them.
  await page.reload();
  await page.waitForSelector(".timeline-canvas", { timeout: 30000 });
  await context.setOffline(true);
  await page.goto(base + "#/playground?preset=io-fanout&cores=4&workers=4");
  await page.reload();
  await page.waitForSelector(".chart-canvas", { timeout: 30000 });
  await page.screenshot({ path: join(shots, "offline.png") });
  // The guide was cached when the worker installed, even chapters never opened.
  await page.goto(base + "#/guide/subinterpreters?lang=ja");
  await page.waitForSelector("article.chapter .prose", { timeout: 30000 });
  assert.equal(await page.$("article.chapter .notice"), null, "the chapter reads offline");
  await page.goto(base + "#/tutorial/tiny-tasks");
  await page.waitForSelector("article.lesson form.predict", { timeout: 30000 });
  await context.close();
});

test.after(async () => {
  await browser.close();
  server.close();
});
