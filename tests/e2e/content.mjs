// The guide and the tutorials in the browser: every chapter and lesson in
// both languages with its live elements running, citations landing on their
// references, the language switch, and a whole tutorial completed with its
// progress kept in local storage.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, done, open, root, shots } from "./lib.mjs";

const guide = JSON.parse(await readFile(join(root, "content", "guide.json"), "utf8"));
const lessons = JSON.parse(await readFile(join(root, "content", "tutorials.json"), "utf8"));

async function source(folder, lang, file) {
  try {
    return await readFile(join(root, "content", folder, lang, file), "utf8");
  } catch {
    return null;
  }
}

const count = (md, name) => (md.match(new RegExp("^```" + name + "\\s*$", "gm")) ?? []).length;

// The page's timelines have all been drawn (`n` of them).
async function drawn(page, n) {
  await page.waitForFunction((n) => performance.getEntriesByName("pu-timeline-drawn").length >= n, n, { timeout: 60000 });
}

test("every chapter renders in both languages with its live scenarios", async () => {
  for (const e of guide) {
    for (const lang of ["en", "ja"]) {
      const own = e.languages.includes(lang);
      const md = await source("guide", own ? lang : "en", e.file);
      const p = await open(`#/guide/${e.slug}?lang=${lang}`, { view: false });
      await p.page.waitForSelector("article.chapter .prose", { timeout: 30000 });
      assert.equal(await p.page.getAttribute("html", "lang"), lang);
      assert.equal(await p.page.textContent("article.chapter h1"), e.title[lang]);
      assert.equal(await p.page.$("article.chapter ul.notice[role=alert]"), null, `${e.slug} ${lang}: the file has errors`);
      const fallback = await p.page.$("article.chapter p.notice.untranslated");
      assert.equal(fallback !== null, !own, `${e.slug} ${lang}: the untranslated notice shows exactly when there is no translation`);
      const scenarios = count(md, "scenario");
      if (scenarios > 0) {
        await drawn(p.page, scenarios);
        assert.equal((await p.page.$$("figure.scenario .timeline-canvas")).length, scenarios);
        assert.equal((await p.page.$$("figure.scenario .live > .notice")).length, 0, `${e.slug}: a scenario with notices`);
      }
      if (count(md, "models-table")) assert.equal((await p.page.$$("table.models-table tbody tr")).length, 5);
      if (count(md, "packages")) assert.ok((await p.page.$$("table.packages tbody tr")).length >= 10);
      if (count(md, "references")) assert.ok((await p.page.$$("ol.references li")).length >= 10);
      if (count(md, "decide")) {
        await p.page.waitForSelector("table.ranking tbody tr");
        assert.equal(await p.page.$(".decide .notice"), null, "the decision form's own address has no problems");
        const before = await p.page.textContent("table.ranking tbody");
        const io = p.page.locator(".decide-form input").nth(2);
        await io.fill("50");
        await io.dispatchEvent("change");
        await p.page.waitForFunction((b) => document.querySelector("table.ranking tbody")?.textContent !== b, before, { timeout: 30000 });
      }
      await done(p, `guide-${e.slug}-${lang}`);
    }
  }
});

test("a citation lands on its reference, and chapters link to each other", async () => {
  const p = await open("#/guide/gil", { view: false });
  await p.page.waitForSelector("sup.cite a");
  const href = await p.page.getAttribute("sup.cite a", "href");
  const id = href.split("/").pop();
  await p.page.click("sup.cite a");
  await p.page.waitForSelector(`#ref-${id}`);
  assert.ok(p.page.url().endsWith(`#/guide/references/${id}`), p.page.url());
  const inView = await p.page.$eval(`#ref-${id}`, (el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
  assert.ok(inView, "the reference is scrolled into view");
  await p.page.click("nav.prev-next a[rel=prev]");
  await p.page.waitForFunction(() => location.hash === "#/guide/caveats");
  await done(p, "citation");
});

test("the language follows the address, the switch and the browser", async () => {
  const p = await open("#/guide?lang=ja", { view: false });
  await p.page.waitForSelector("ol.chapters li");
  assert.equal(await p.page.textContent("header.site nav a[href='#/guide']"), "ガイド");
  await p.page.selectOption("header.site select", "en");
  await p.page.waitForFunction(() => document.documentElement.lang === "en" && location.hash.includes("lang=en"));
  assert.equal(await p.page.textContent("header.site nav a[href='#/guide']"), "Guide");
  await done(p, "lang-switch");
  const context = await browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  await page.goto(base + "#/tutorials");
  await page.waitForSelector("ol.chapters li");
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.equal(await page.textContent("main h1"), "チュートリアル");
  // The playground, its timeline and charts follow the language too.
  await page.goto(base + "#/playground?preset=cpu-bound&models=threads,interpreters&cores=4&lang=ja");
  await page.waitForSelector(".timeline-canvas");
  assert.equal(await page.textContent(".controls legend"), "ワークロード");
  assert.equal(await page.textContent(".transport button[aria-pressed]"), "再生");
  assert.match(await page.textContent("ul.verdict"), /コア/);
  // So do the notices about an address.
  await page.goto(base + "#/playground?preset=cpu-bound&cores=999&models=threads&lang=ja");
  await page.waitForSelector(".notice");
  assert.match(await page.textContent(".notice"), /cores: "999" は範囲外です/);
  await context.close();
});

// Answer every question of the lesson on the page (the first choice, or the
// slider where it stands) and wait for each to be graded.
async function answerAll(page) {
  for (let i = 0; i < 10; i++) {
    const form = await page.$("form.predict");
    if (!form) return i;
    const radio = await form.$("input[type=radio]");
    if (radio) await radio.check();
    const graded = (await page.$$(".feedback")).length;
    await form.$eval("button[type=submit]", (b) => b.click());
    await page.waitForFunction((n) => document.querySelectorAll(".feedback").length > n, graded, { timeout: 60000 });
  }
  throw new Error("a lesson that never ends");
}

test("every lesson renders in both languages and can be completed", async () => {
  for (const lang of ["en", "ja"]) {
    for (const e of lessons) {
      const md = await source("tutorials", lang, e.file);
      assert.ok(md, `${e.slug} has a ${lang} file`);
      const p = await open(`#/tutorial/${e.slug}?lang=${lang}`, { view: false });
      await p.page.waitForSelector("article.lesson .prose");
      assert.equal(await p.page.$("article.lesson .notice"), null, `${e.slug} ${lang}: notices`);
      // Nothing after the first question shows before it is answered.
      assert.equal(await p.page.$("aside.claims"), null, "claims stay hidden until the question is answered");
      const asked = await answerAll(p.page);
      assert.equal(asked, count(md, "predict"));
      await p.page.waitForFunction((n) => document.querySelectorAll("aside.claims li").length >= n, count(md, "claims"), { timeout: 60000 });
      const failing = await p.page.$$eval("aside.claims li.fails", (l) => l.map((x) => x.textContent));
      assert.deepEqual(failing, [], `${e.slug} ${lang}: claims the browser's run does not bear out`);
      await done(p, `lesson-${e.slug}-${lang}`);
    }
  }
});

test("a tutorial is completed end to end and its progress kept", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "#/tutorials");
  await page.waitForSelector("ol.chapters li");
  const first = lessons[0];
  assert.match(await page.textContent("ol.chapters li:first-child .status"), /Not started/);
  await page.click(`a[href='#/tutorial/${first.slug}']`);
  await page.waitForSelector("form.predict");
  await answerAll(page);
  await page.waitForSelector("aside.claims li.holds");
  await page.screenshot({ path: join(shots, "tutorial-completed.png"), fullPage: true });
  // The next lesson starts unanswered (answers belong to their lesson).
  await page.click("nav.prev-next a[rel=next]");
  await page.waitForSelector("form.predict");
  assert.equal(await page.$(".feedback"), null, "the next lesson has no answers yet");
  await page.goBack();
  await page.waitForSelector(".feedback");
  // Progress survives a reload, and the list says so.
  await page.reload();
  await page.waitForSelector(".feedback");
  assert.equal(await page.$("form.predict"), null, "answers are remembered");
  await page.click("a[href='#/tutorials']");
  await page.waitForSelector("ol.chapters li");
  assert.match(await page.textContent("ol.chapters li:first-child .status"), /Completed/);
  // And can be reset.
  await page.click("button:has-text('Reset progress')");
  await page.waitForFunction(() => /Not started/.test(document.querySelector("ol.chapters li .status")?.textContent ?? ""));
  await context.close();
  assert.deepEqual(errors, []);
});
