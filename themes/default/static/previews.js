/* briefing: a preview card for internal links (cross-links, backlinks, related, list cards).
 *
 * Internal links carry class "xref" (cross-links in a body) or "internal" (cards and timeline
 * entries), set when the page is built. Hovering one with a mouse, or reaching it with the
 * keyboard, shows a card (title, type, date, confidence, marking, summary) read from the
 * site's own previews.json (fetched once, on first use; nothing is loaded from elsewhere).
 * The card is absolutely positioned over the page (no layout shift), is the link's
 * aria-describedby while shown, and Escape dismisses it. Devices without hover (touch)
 * get no card: the link simply works. External links never get one.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var source = script && script.getAttribute("data-previews");
  if (!source || !window.fetch) return;
  if (window.matchMedia && window.matchMedia("(hover: none)").matches) return;

  var SELECTOR = "a.xref[href], a.internal[href]";
  var data = null;
  var loading = null;
  var card = null;
  var current = null;

  function load() {
    if (!loading) {
      loading = fetch(source, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { pages: {} }; })
        .then(function (json) { data = json.pages || {}; return data; })
        .catch(function () { data = {}; return data; });
    }
    return loading;
  }

  function keyOf(link) {
    var url;
    try { url = new URL(link.href, window.location.href); } catch (e) { return null; }
    if (url.origin !== window.location.origin) return null;
    return url.pathname;
  }

  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function ensureCard() {
    if (card) return card;
    card = element("div", "preview-card");
    card.id = "preview-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    // Inside the main landmark (every piece of content belongs to one); positioned over it.
    (document.querySelector("main") || document.body).appendChild(card);
    return card;
  }

  function fill(record) {
    var box = ensureCard();
    box.textContent = "";
    box.appendChild(element("p", "preview-title", record.t));
    var meta = [record.k, record.d, record.c].filter(Boolean).join(" · ");
    var line = element("p", "preview-meta", meta);
    if (record.m) {
      var mark = element("span", "marking marking-" + record.m.toLowerCase().replace("tlp:", "tlp-").replace("+", "-"), record.m);
      if (meta) line.appendChild(document.createTextNode(" · "));
      line.appendChild(mark);
    }
    box.appendChild(line);
    if (record.n) box.appendChild(element("p", "preview-count", "Named in " + record.n + (record.n === 1 ? " document" : " documents")));
    if (record.s) box.appendChild(element("p", "preview-summary", record.s));
  }

  function place(link) {
    var box = card;
    var rect = link.getBoundingClientRect();
    var view = document.documentElement.clientWidth;
    var width = Math.min(box.offsetWidth || 320, view - 16);
    // Where the card goes in the viewport: below the link, else above it; inside the width.
    var left = Math.max(8, Math.min(rect.left, view - width - 8));
    var top = rect.bottom + 6;
    if (window.innerHeight - rect.bottom < box.offsetHeight + 12 && rect.top > box.offsetHeight + 12) {
      top = rect.top - box.offsetHeight - 6;
    }
    // ... in the coordinates of what the card is positioned against.
    var parent = box.offsetParent;
    var origin = parent && parent !== document.body && parent !== document.documentElement
      ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    var border = parent && parent !== document.body ? { left: parent.clientLeft || 0, top: parent.clientTop || 0 } : { left: 0, top: 0 };
    box.style.left = (left - origin.left - border.left) + "px";
    box.style.top = (top - origin.top - border.top) + "px";
  }

  function show(link) {
    var key = keyOf(link);
    if (!key) return;
    current = link;
    load().then(function (pages) {
      if (current !== link) return;
      var record = pages[key];
      if (!record) return;
      fill(record);
      card.hidden = false;
      place(link);
      link.setAttribute("aria-describedby", "preview-card");
    });
  }

  function hide() {
    if (current && current.getAttribute("aria-describedby") === "preview-card") {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    if (card) card.hidden = true;
  }

  function linkOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest(SELECTOR) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = linkOf(event);
    if (link && link !== current) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = linkOf(event);
    if (link && link === current && !link.contains(event.relatedTarget) && document.activeElement !== link) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (link) show(link);
    else if (current) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (linkOf(event) === current) hide();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && current) hide();
  });
  // The live preview swapped the page's body in place (a rebuild): the card went with the old
  // body, and previews.json may have changed; both are made again on next use.
  document.addEventListener("briefing:updated", function () {
    hide();
    card = null;
    loading = null;
    data = null;
  });
  // A rebuild that left this page as it is: previews.json may still have changed.
  document.addEventListener("briefing:rebuilt", function () {
    loading = null;
    data = null;
  });
})();
