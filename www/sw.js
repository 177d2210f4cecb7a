// Parallel Universe's service worker: after one visit the site works
// offline. Everything is same-origin; nothing is fetched from elsewhere.
// Pages are fetched from the network first (so a new build shows at once)
// and fall back to the cache; the build's files, whose names carry a hash,
// come from the cache first.
const CACHE = "parallel-universe-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(["./", "./index.html"])));
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
      fetch(req).then(store).catch(() => caches.match(req).then((hit) => hit || caches.match("./index.html"))),
    );
  }
});
