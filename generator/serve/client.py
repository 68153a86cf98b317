"""The browser side of live reload: the script served at a reserved path, and its injection."""

from __future__ import annotations

import html

#: Reserved URL prefix of the dev server's own endpoints (never a path the build writes).
RESERVED = "/__briefing__/"
EVENTS_PATH = RESERVED + "events"
SCRIPT_PATH = RESERVED + "reload.js"
SOCKET_PATH = RESERVED + "socket"

#: The live-reload client. It builds the error overlay from the event's data with
#: textContent only, so nothing in an error message is ever parsed as HTML.
RELOAD_JS = r"""(function () {
  "use strict";
  var me = document.currentScript;
  var built = me ? me.getAttribute("data-build") : null;
  var OVERLAY_ID = "briefing-error-overlay";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.parentNode.removeChild(old); }
  }

  function showOverlay(errors) {
    removeOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    box.style.cssText = [
      "position:fixed", "inset:0", "z-index:2147483647", "overflow:auto",
      "background:rgba(20,20,20,0.96)", "color:#ffffff", "padding:2rem",
      "font:16px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace"
    ].join(";");
    var title = document.createElement("h2");
    title.textContent = "Build failed";
    title.style.cssText = "margin:0 0 1rem;color:#ffb4a8;font:bold 1.4rem/1.3 sans-serif";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding:0;list-style:none";
    for (var i = 0; i < errors.length; i++) {
      var item = document.createElement("li");
      item.textContent = String(errors[i]);
      item.style.cssText = "margin:0 0 .75rem;white-space:pre-wrap;word-break:break-word";
      list.appendChild(item);
    }
    box.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "The last good version stays served. Fix the file and save: " +
      "this page reloads by itself.";
    hint.style.cssText = "margin:1.5rem 0 0;color:#e0e0e0;font:14px/1.5 sans-serif";
    box.appendChild(hint);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:1rem;padding:.4rem 1rem;font:14px sans-serif;" +
      "color:#141414;background:#ffffff;border:0;border-radius:3px;cursor:pointer";
    close.addEventListener("click", removeOverlay);
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  function refreshStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var stamp = String(Date.now());
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) { return; }
      url.searchParams.set("__briefing", stamp);
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  var restyled = false;
  var updates = 0;
  // The page last swapped in, without its build stamp: a rebuild that wrote this page ahead of
  // the rest (and showed it then) ends with the same page, which is not swapped in again.
  var shown = null;

  // What of a <head> a swap cannot carry over (styles, scripts, links): the title and the
  // <meta> elements (a description that follows the text) are copied into the page instead.
  function headKey(doc) {
    var parts = [];
    Array.prototype.forEach.call(doc.head ? doc.head.children : [], function (el) {
      if (el.tagName !== "TITLE" && el.tagName !== "META") { parts.push(el.outerHTML); }
    });
    return parts.join("\n");
  }

  function copyMeta(fresh) {
    Array.prototype.forEach.call(document.head.querySelectorAll("meta"), function (el) { el.remove(); });
    var first = document.head.firstChild;
    Array.prototype.forEach.call(fresh.head.querySelectorAll("meta"), function (el) {
      document.head.insertBefore(document.importNode(el, true), first);
    });
  }

  // A script marked data-live-swap keeps working when the body is swapped (its listeners are
  // on document or window, and it starts afresh on "briefing:updated"): it does not count.
  function hasPageScripts(body) {
    var scripts = body ? body.getElementsByTagName("script") : [];
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].hasAttribute("data-live-swap")) { continue; }
      var src = scripts[i].getAttribute("src") || "";
      if (src.indexOf("__RESERVED__") !== 0) { return true; }
    }
    return false;
  }

  // After a rebuild, fetch the page again and swap its body in place: styles and fonts stay
  // loaded, nothing flashes and the scroll position is kept, so the change shows sooner than
  // with a reload. A page whose <head> changed (beyond its title and <meta> elements), or that
  // runs scripts of its own (search, timeline) not marked data-live-swap, is reloaded in full.
  // Listeners of "briefing:updated" can re-initialise widgets.
  function update() {
    if (restyled || !window.fetch || !window.DOMParser || hasPageScripts(document.body)) {
      location.reload();
      return;
    }
    var mine = ++updates;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.url.split("#")[0] !== location.href.split("#")[0]) { throw new Error("reload"); }
      return response.text();
    }).then(function (text) {
      if (mine !== updates) { return; }  // a later rebuild's update is on its way
      var fresh = new DOMParser().parseFromString(text, "text/html");
      var stamp = fresh.querySelector('script[src^="__RESERVED__"]');
      var page = text.replace(/ data-build="[^"]*"/, "");
      if (page === shown) {  // nothing to swap: scripts may still want the site's new data
        if (stamp) { built = stamp.getAttribute("data-build") || built; }
        document.dispatchEvent(new CustomEvent("briefing:rebuilt"));
        return;
      }
      if (!fresh.body || headKey(fresh) !== headKey(document) || hasPageScripts(fresh.body)) {
        location.reload();
        return;
      }
      var x = window.scrollX, y = window.scrollY;
      document.title = fresh.title;
      copyMeta(fresh);
      Array.prototype.forEach.call(fresh.documentElement.attributes, function (attr) {
        document.documentElement.setAttribute(attr.name, attr.value);
      });
      document.documentElement.replaceChild(document.adoptNode(fresh.body), document.body);
      window.scrollTo(x, y);
      if (stamp) { built = stamp.getAttribute("data-build") || built; }
      shown = page;
      document.dispatchEvent(new CustomEvent("briefing:updated"));
    }).catch(function () { location.reload(); });
  }

  function parse(text) {
    try { return JSON.parse(text) || {}; } catch (e) { return {}; }
  }

  var handlers = {
    "hello": function (d) {
      if (built && d.build && d.build !== built) { location.reload(); return; }
      if (d.errors && d.errors.length) { showOverlay(d.errors); } else { removeOverlay(); }
    },
    "reload": function () { update(); },
    "pages": function (d) { if ((d.pages || []).indexOf(location.pathname) >= 0) { update(); } },
    "css": function (d) { built = d.build || built; removeOverlay(); restyled = true; refreshStyles(); },
    "build-error": function (d) { showOverlay(d.errors || []); },
    "build-ok": function (d) { built = d.build || built; removeOverlay(); }
  };

  function dispatch(name, d) {
    if (Object.prototype.hasOwnProperty.call(handlers, name)) { handlers[name](d || {}); }
  }

  var current = null;
  var leaving = false;
  // The page this tab shows: its own page, written ahead of a rebuild, updates first.
  var page = "?page=" + encodeURIComponent(location.pathname);
  var socketWorks = false;

  function listenEvents() {
    var source = new EventSource("__EVENTS__" + page);
    current = source;
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) { dispatch(name, parse(event.data)); });
    });
  }

  // A WebSocket per tab: unlike event streams, sockets do not count against the browser's
  // six connections per host, so many open tabs still load and reload.
  function listenSocket(failures) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    var opened = false;
    try { socket = new WebSocket(scheme + location.host + "__SOCKET__" + page); }
    catch (e) { listenEvents(); return; }
    current = socket;
    socket.onopen = function () { opened = true; socketWorks = true; };
    socket.onmessage = function (event) {
      var m = parse(event.data);
      dispatch(m.event, m.data);
    };
    socket.onclose = function () {
      if (leaving) { return; }
      // sockets blocked (a proxy, an old browser)? fall back to the event stream; but a
      // server that restarts keeps its tabs on sockets
      if (!socketWorks && failures >= 2 && window.EventSource) { listenEvents(); return; }
      setTimeout(function () { listenSocket(opened ? 0 : failures + 1); }, 500);
    };
  }

  function listen() {
    if (window.WebSocket) { listenSocket(0); } else { listenEvents(); }
  }

  window.addEventListener("pagehide", function () {
    leaving = true;
    if (current) { current.close(); }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { leaving = false; listen(); }  // back from the back/forward cache
  });
  listen();
})();
""".replace("__EVENTS__", EVENTS_PATH).replace("__RESERVED__", RESERVED).replace("__SOCKET__", SOCKET_PATH)


def script_tag(build_id: str) -> bytes:
    """The ``<script>`` element that loads the client, stamped with the served build."""
    stamp = html.escape(build_id, quote=True)
    return f'<script src="{SCRIPT_PATH}" data-build="{stamp}"></script>'.encode()


def inject(page: bytes, build_id: str) -> bytes:
    """``page`` with the client script added before its last ``</body>`` (else at the end)."""
    tag = script_tag(build_id)
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]
