// Parallel Universe's service worker: after one visit the site works
// offline. Everything is same-origin; nothing is fetched from elsewhere.
// Pages are fetched from the network first (so a new build shows at once)
// and fall back to the cache; the build's files, whose names carry a hash,
// come from the cache first. Installing also caches every chapter and
// lesson in every language it has (listed in pages/guide.json and
// pages/tutorials.json), so that the guide reads offline even where it
// was not opened before.
const CACHE = "parallel-universe-v3";
const LANGS = ["en", "ja"];

async function precache() {
  const c = await caches.open(CACHE);
  await c.addAll(["./", "./index.html"]);
  const lists = [["guide", "pages/guide.json"], ["tutorials", "pages/tutorials.json"]];
  for (const [folder, list] of lists) {
    let entries = [];
    try {
      const res = await fetch(list);
      if (res.ok) entries = await res.json();
    } catch { /* offline during install: pages are cached as they are read */ }
    for (const e of entries) {
      for (const lang of e.languages ?? LANGS) {
        const path = `pages/${folder}/${lang}/${e.file.replace(/\.md$/, ".json")}`;
        try {
          const res = await fetch(path);
          if (res.ok) await c.put(path, res);
        } catch { /* a missing translation is shown in English */ }
      }
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(new URL(req.url).pathname);
  const store = (res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
    }
    return res;
  };
  if (hashed) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then(store)));
  } else {
    event.respondWith(
      fetch(req).then(store).catch(() => caches.match(req).then((hit) =>
        hit || (req.mode === "navigate" ? caches.match("./index.html") : Response.error()))),
    );
  }
});
