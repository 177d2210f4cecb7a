// Slides: the example reveal.js deck driving three scenarios, the embed's
// settings, its postMessage API (commands and events, refusals of bad
// messages), and saving a poster image and a WebM recording of a range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { base, browser, shots } from "./lib.mjs";

// Wait until the deck or host page has seen an event matching `pred`.
async function event(page, pred, what, timeout = 30000) {
  const src = `(${pred})`;
  await page.waitForFunction((src) => (window.puEvents ?? []).some(eval(src)), src, { timeout })
    .catch(() => { throw new Error(`no event: ${what}`); });
  return page.evaluate((src) => window.puEvents.filter(eval(src)).pop(), src);
}

test("the example deck drives three scenarios", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(base + "examples/deck.html");
  await page.waitForFunction(() => window.Reveal && window.Reveal.isReady());
  // Slide 2: an iframe that plays its range in a loop.
  await page.keyboard.press("ArrowRight");
  await event(page, (e) => e.frame === "s1" && e.type === "pu:ready", "s1 ready");
  await event(page, (e) => e.frame === "s1" && e.type === "pu:state" && e.playing, "s1 playing");
  await page.screenshot({ path: join(shots, "deck-1.png") });
  // Slide 3: a background iframe; reveal.js's slide:start starts it.
  await page.keyboard.press("ArrowRight");
  await event(page, (e) => e.frame === "background" && e.type === "pu:state" && e.playing, "the background plays on slide:start");
  await page.screenshot({ path: join(shots, "deck-2.png") });
  // Slide 4: driven from the page.
  await page.keyboard.press("ArrowRight");
  await event(page, (e) => e.frame === "s3" && e.type === "pu:ready", "s3 ready");
  await page.click("#play");
  await event(page, (e) => e.frame === "s3" && e.type === "pu:state" && e.playing, "s3 plays");
  await page.click("#pause");
  await event(page, (e) => e.frame === "s3" && e.type === "pu:state" && !e.playing, "s3 pauses");
  await page.click("#half");
  await event(page, (e) => e.frame === "s3" && e.type === "pu:time" && Math.abs(e.at - 0.5) < 1e-9, "s3 seeks to half");
  assert.match(await page.textContent("#readout"), /paused at .* \(50%\)/);
  await page.click("#other");
  const ready = await event(page, (e) => e.frame === "s3" && e.type === "pu:ready" && e.query.includes("processes"), "s3 shows the new scenario");
  assert.ok(ready.duration_ms > 0);
  await page.screenshot({ path: join(shots, "deck-3.png") });
  await context.close();
  assert.deepEqual(errors, []);
});

// A host page with one embedded scenario, collecting its events.
async function host(query, opts = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "__host.html");
  await page.setContent(`<html><body><iframe id="f" src="${base}#/embed?${query}" width="900" height="480" title="scenario"></iframe>
    <script>window.puEvents = []; addEventListener("message", (e) => { if (e.data && String(e.data.type).startsWith("pu:")) puEvents.push(e.data); });
    function send(m) { document.getElementById("f").contentWindow.postMessage(m, "*"); }</script></body></html>`);
  const frame = await (await page.$("#f")).contentFrame();
  await event(page, (e) => e.type === "pu:ready", "ready");
  return { context, page, frame, errors, send: (m) => page.evaluate((m) => window.send(m), m) };
}

test("an embed's settings: range, loop, theme, controls, and bad values named", async () => {
  const h = await host("preset=cpu-bound&tasks=32&cores=4&models=threads,interpreters&workers=4&from=0.2&to=0.4&loop=1&play=1&speed=4&theme=dark&controls=0");
  assert.equal(await h.frame.getAttribute("html", "data-theme"), "dark");
  assert.equal(await h.frame.$(".transport"), null, "controls=0 hides the controls");
  await h.page.waitForTimeout(1500);
  await h.page.evaluate(() => { window.puEvents.length = 0; });
  await h.send({ type: "pu:get" });
  const st = await event(h.page, (e) => e.type === "pu:state", "the state, asked for");
  assert.ok(st.playing, "a looping range keeps playing");
  assert.ok(st.at >= 0.2 - 1e-9 && st.at <= 0.4 + 1e-9, `the clock stays in the range: ${st.at}`);
  await h.context.close();
  assert.deepEqual(h.errors, []);

  const bad = await host("preset=cpu-bound&tasks=16&models=threads&from=0.9&to=0.1&loop=maybe&theme=neon&lang=xx&controls=2");
  const notice = await bad.frame.textContent(".notice");
  for (const k of ["from and to", "loop:", "theme:", "lang:", "controls:"]) assert.ok(notice.includes(k), `${k} in ${notice}`);
  assert.ok(await bad.frame.$(".timeline-canvas"), "the scenario still shows");
  await bad.context.close();
});

test("the postMessage API answers and refuses", async () => {
  const h = await host("preset=io-fanout&cores=4&models=threads,asyncio&workers=50");
  await h.send({ type: "pu:play" });
  await event(h.page, (e) => e.type === "pu:state" && e.playing, "plays");
  await h.send({ type: "pu:pause" });
  await event(h.page, (e) => e.type === "pu:state" && !e.playing, "pauses");
  await h.send({ type: "pu:seek", at: 0.25 });
  await event(h.page, (e) => e.type === "pu:time" && Math.abs(e.at - 0.25) < 1e-9, "seeks");
  await h.send({ type: "pu:seek", at: 7 });
  await event(h.page, (e) => e.type === "pu:error" && /seek/.test(e.message), "a seek out of range is refused");
  await h.send({ type: "pu:warp" });
  await event(h.page, (e) => e.type === "pu:error" && /pu:warp/.test(e.message), "an unknown type is refused");
  await h.send("slide:stop");
  await h.send({ something: "else" });
  await h.send({ type: "pu:set", query: "preset=cpu-bound&tasks=16&models=threads,free-threading&cores=4" });
  await event(h.page, (e) => e.type === "pu:ready" && e.query.includes("free-threading"), "set shows another scenario");
  const errorsSeen = await h.page.evaluate(() => window.puEvents.filter((e) => e.type === "pu:error").length);
  assert.equal(errorsSeen, 2, "messages meant for others are ignored");
  await h.context.close();
  assert.deepEqual(h.errors, []);
});

test("a poster image and a WebM recording of a range are saved", async () => {
  const h = await host("preset=cpu-bound&tasks=16&cores=4&models=threads,interpreters&workers=4&from=0&to=0.3&speed=4");
  const poster = h.page.waitForEvent("download");
  await h.send({ type: "pu:poster" });
  const png = await readFile(await (await poster).path());
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
  const video = h.page.waitForEvent("download", { timeout: 60000 });
  await h.send({ type: "pu:record" });
  const saved = await event(h.page, (e) => e.type === "pu:saved" && e.what === "video", "the recording is saved", 60000);
  const webm = await readFile(await (await video).path());
  assert.deepEqual([...webm.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], "a WebM (EBML) file");
  assert.ok(webm.length > 1000 && saved.bytes === webm.length, `${webm.length} bytes, ${saved.bytes} reported`);
  await h.context.close();
  assert.deepEqual(h.errors, []);
});
