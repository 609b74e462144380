// The engineer app's shell, kept for opening /field without a network (a basement plant room).
// Hand-written rather than generated (workbox): it only has to keep the page and its hashed assets,
// and the API is never cached here — the app keeps its own copies of jobs in IndexedDB.
const SHELL = 'serviceloop-field-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.add('/field'))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('serviceloop-field-') && k !== SHELL).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

// The page tells which assets it already loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'cache' && Array.isArray(event.data.urls))
    event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(event.data.urls).catch(() => undefined)));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (event.request.mode === 'navigate' && url.pathname.startsWith('/field')) {
    // Network first, so a new release shows at once; the kept shell when there is none.
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          const copy = response.clone();
          if (response.ok) caches.open(SHELL).then((cache) => cache.put('/field', copy));
          return response;
        })
        .catch(() => caches.match('/field')),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change content: the cache first, the network once.
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ??
          fetch(event.request).then((response) => {
            const copy = response.clone();
            if (response.ok) caches.open(SHELL).then((cache) => cache.put(event.request, copy));
            return response;
          }),
      ),
    );
  }
});
