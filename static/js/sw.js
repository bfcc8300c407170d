// Offline at the venue: the service worker. Served at /sw.js by worksheets/views/offline.py, which
// puts its settings on the first line (self.OFFLINE: precache, staticUrl, staticFirst, version).
//
// Pages under /me/ (any language): network first. An answer is kept only when the server marks it
// as a person's offline copy (X-Offline-Copy: <owner>, worksheets/offline.py), in that owner's
// cache; a page of someone else, or "none" (nobody signed in), drops every other owner's copies,
// so the next person at a shared computer never gets the previous one's pages. Offline, the last
// copy is served, marked so the page says so (static/js/offline.js). Static files: cache first
// when their names carry a hash, else network first. Nothing else is touched: script calls (JSON,
// autosaves), POSTs, files and the organisers' back office go to the network as if no worker ran.
"use strict";
const SETTINGS = self.OFFLINE;
const STATIC = "static-" + SETTINGS.version;
const PAGES = "pages-";
const OWNER = "X-Offline-Copy";
const NOBODY = "none";
const PERSONAL = /^\/(?:[a-z]{2}(?:-[a-z0-9]+)?\/)?me\//;
let keeping = Promise.resolve();  // copies are kept one after the other: a drop never races a put

function pageKey(url) {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;  // a query (a link's token) is never part of a copy's name
}
async function pageCaches() {
  return (await caches.keys()).filter(function (name) { return name.startsWith(PAGES); });
}
async function keep(url, response) {
  const owner = response.headers.get(OWNER);
  if (!owner) return;
  const others = (await pageCaches()).filter(function (name) { return name !== PAGES + owner; });
  await Promise.all(others.map(function (name) { return caches.delete(name); }));
  if (owner === NOBODY || response.status !== 200) return;
  await (await caches.open(PAGES + owner)).put(pageKey(url), response);
}
function keepInTurn(url, response) {
  keeping = keeping.then(function () { return keep(url, response); }).catch(function () { /* full: no copy */ });
  return keeping;
}
async function lastCopy(url) {
  for (const name of await pageCaches()) {
    const cached = await (await caches.open(name)).match(pageKey(url), { ignoreVary: true });
    if (cached) {
      const html = (await cached.text()).replace('data-offline-copy="live"', 'data-offline-copy="cached"');
      return new Response(html, { status: 200, headers: cached.headers });
    }
  }
  return null;
}

async function page(event) {
  try {
    const response = await fetch(event.request);
    event.waitUntil(keepInTurn(event.request.url, response.clone()));
    return response;
  } catch (error) {
    return (await lastCopy(event.request.url)) || Response.error();
  }
}
async function staticFile(event) {
  const cache = await caches.open(STATIC);
  if (SETTINGS.staticFirst) {
    const hit = await cache.match(event.request, { ignoreVary: true });
    if (hit) return hit;
  }
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (error) {
    return (await cache.match(event.request, { ignoreVary: true })) || Response.error();
  }
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return Promise.all(SETTINGS.precache.map(function (url) { return cache.add(url).catch(function () { /* later */ }); }));
  }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    const old = names.filter(function (name) { return name.startsWith("static-") && name !== STATIC; });
    return Promise.all(old.map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PERSONAL.test(url.pathname)) {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(SETTINGS.staticUrl)) {
    event.respondWith(staticFile(event));
  }
});
// A page asks for its copy: {keep: its address, fetch: true} when the worker did not see it load
// (the first visit) or its content changed since (a save went through). Answers {kept: address}.
self.addEventListener("message", function (event) {
  const address = event.data && event.data.keep;
  if (typeof address !== "string") return;
  const url = new URL(address, self.location.origin);
  if (url.origin !== self.location.origin || !PERSONAL.test(url.pathname)) return;
  const fetched = event.data.fetch
    ? fetch(url.href, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        return keepInTurn(url.href, response);
      })
    : keeping;
  event.waitUntil(fetched.catch(function () { /* offline: the last copy stays */ }).then(function () {
    if (event.source) event.source.postMessage({ kept: url.href });
  }));
});
