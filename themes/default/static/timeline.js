/* briefing: the timeline component of /timeline/ and of term pages.
 *
 * Progressive enhancement: without this script the page is the complete list of entries
 * (grouped by month on /timeline/) and the filter form stays hidden. With it:
 *  - a time axis draws every entry at its date on a real scale (gaps look like gaps), in
 *    lanes by type or by actor (a control switches), each entry a focusable link to its
 *    place in the list;
 *  - filters by type, actor, location, tag and confidence hide entries (axis and list) and
 *    are kept in the address (?show=article,note&actor=...&lanes=actor), so a filtered view
 *    can be shared and a shared address applies its filters on load.
 * What the filters need (tags, confidence, actors, locations) is read from the site's own
 * timeline.json (the element with data-timeline names it); nothing is loaded from elsewhere.
 *
 * Built for 10,000 entries (bench/timeline_browser.py): the lanes are grouped in one pass;
 * the axis carries marks for the shown entries only, written as one HTML string per lane,
 * one per entry up to MAX_MARKS and beyond that one per stretch of time (a link to its first
 * entry, named by count and dates); a filter change writes only the list entries whose
 * visibility changes (months are emptied by count, not by querying); month sections skip
 * rendering while off screen (content-visibility in reader.css).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-timeline]");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry[data-kind][id]"));
  if (!entries.length) return;
  var source = root.getAttribute("data-timeline");
  var KIND_LABELS = { article: "Articles", note: "Analyst notes", event: "Events", page: "Pages" };
  var CONFIDENCE = [["low", "Low"], ["moderate", "Moderate"], ["high", "High"]];
  var FIELDS = ["actor", "location", "tag", "confidence"];
  var MAX_MARKS = 1500; // marks on the axis before entries close in time share one
  var MIN_BINS = 40;
  var months = Array.prototype.slice.call(document.querySelectorAll("section.month"));
  var nav = document.querySelector(".month-nav");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function unique(list) {
    var seen = {};
    return list.filter(function (x) { if (seen[x]) return false; seen[x] = true; return true; })
      .sort(function (a, b) { return a.localeCompare(b); });
  }

  function navItem(month) {
    if (!nav || !month.id) return null;
    var links = nav.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === "#" + month.id) return links[i].closest("li") || links[i];
    }
    return null;
  }
  var monthItems = months.map(navItem);

  function start(data) {
    var byId = {};
    (data.events || []).forEach(function (e) { byId[e.unique_id] = e; });
    var monthOf = new Map();
    months.forEach(function (month, n) {
      var lis = month.querySelectorAll("li.entry[data-kind][id]");
      for (var k = 0; k < lis.length; k++) monthOf.set(lis[k], n);
    });
    var items = entries.map(function (li) {
      var e = byId[li.id] || {};
      var m = monthOf.get(li);
      var date = e.start_date || {};
      var time = Date.parse(date.iso || "");
      var headline = e.text && e.text.headline;
      var title = headline ? null : li.querySelector(".entry-title");
      return {
        li: li, id: li.id, kind: li.getAttribute("data-kind"),
        title: headline || (title ? title.textContent.trim() : li.id),
        date: date.display_date || "", time: isNaN(time) ? null : time,
        actors: e.actors || [], locations: e.locations || [], tags: e.tags || [],
        confidence: e.confidence || "", visible: true,
        month: m === undefined ? -1 : m
      };
    });
    var form = document.querySelector("form.timeline-filter");
    if (!form) {
      form = el("form", { "class": "timeline-filter" });
      var fs = el("fieldset");
      fs.appendChild(el("legend", {}, "Show"));
      unique(items.map(function (i) { return i.kind; })).forEach(function (kind) {
        var label = el("label");
        label.appendChild(el("input", { type: "checkbox", name: "kind", value: kind, checked: "" }));
        label.appendChild(document.createTextNode(" " + (KIND_LABELS[kind] || kind)));
        fs.appendChild(label);
      });
      form.appendChild(fs);
      form.appendChild(el("p", { "class": "filter-status", role: "status", "aria-live": "polite" }));
      var list = root.querySelector("ol.timeline-entries");
      root.insertBefore(form, list);
    }
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="kind"]'));
    var status = form.querySelector(".filter-status");

    // The selects: lanes, then one per field with the values the entries on this page have.
    var selects = {};
    var row = el("div", { "class": "timeline-selects" });
    function addSelect(name, label, options) {
      var id = "tl-" + name;
      var wrap = el("span", { "class": "timeline-select" });
      wrap.appendChild(el("label", { "for": id }, label));
      var select = el("select", { id: id, name: name });
      options.forEach(function (o) { select.appendChild(el("option", { value: o[0] }, o[1])); });
      wrap.appendChild(select);
      row.appendChild(wrap);
      selects[name] = select;
    }
    addSelect("lanes", "Lanes", [["type", "By type"], ["actor", "By actor"]]);
    function values(field) {
      var all = [];
      items.forEach(function (i) { Array.prototype.push.apply(all, i[field + "s"]); });
      return [["", "All"]].concat(unique(all).map(function (v) { return [v, v]; }));
    }
    addSelect("actor", "Actor", values("actor"));
    addSelect("location", "Location", values("location"));
    addSelect("tag", "Tag", values("tag"));
    var levels = CONFIDENCE.filter(function (c) { return items.some(function (i) { return i.confidence === c[0]; }); });
    addSelect("confidence", "Confidence", [["", "Any"]].concat(levels));
    form.insertBefore(row, status);

    var axis = el("div", { "class": "timeline-axis" });
    axis.appendChild(el("p", { "class": "timeline-axis-title", id: "tl-axis-title" }, "On a time scale"));
    var lanesBox = el("div", { "class": "timeline-lanes", role: "group", "aria-labelledby": "tl-axis-title" });
    axis.appendChild(lanesBox);
    var after = form.closest(".timeline-tools") || form;
    after.parentNode.insertBefore(axis, after.nextSibling);

    var timed = items.filter(function (i) { return i.time !== null; });
    var min = Math.min.apply(null, timed.map(function (i) { return i.time; }));
    var max = Math.max.apply(null, timed.map(function (i) { return i.time; }));
    if (!(max > min)) { min -= 43200000; max += 43200000; }
    function position(time) { return 1 + 98 * (time - min) / (max - min); }

    function ticks() {
      var box = el("div", { "class": "timeline-ticks", "aria-hidden": "true" });
      var from = new Date(min), to = new Date(max);
      var years = to.getUTCFullYear() - from.getUTCFullYear();
      var step = years >= 12 ? 5 : 1;
      var monthly = years < 2;
      var d = new Date(Date.UTC(from.getUTCFullYear(), monthly ? from.getUTCMonth() + 1 : 0, 1));
      if (!monthly) d = new Date(Date.UTC(from.getUTCFullYear() + 1, 0, 1));
      var count = 0;
      var months3 = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
      var days = (max - min) / 86400000;
      if (days < 62) { // a short span: ticks every few days
        var dayStep = Math.max(1, Math.ceil(days / 10));
        var day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
        while (day.getTime() <= max && count < 40) {
          var t = el("span", { "class": "timeline-tick" }, day.getUTCDate() + " " + months3[day.getUTCMonth()]);
          t.style.left = position(day.getTime()) + "%";
          box.appendChild(t);
          count += 1;
          day = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + dayStep));
        }
        return box;
      }
      var monthStep = Math.max(1, Math.ceil((years * 12 + to.getUTCMonth() - from.getUTCMonth()) / 8));
      while (d.getTime() <= max && count < 40) {
        var label = monthly ? months3[d.getUTCMonth()] + (d.getUTCMonth() === 0 ? " " + d.getUTCFullYear() : "") : String(d.getUTCFullYear());
        var tick = el("span", { "class": "timeline-tick" }, label);
        tick.style.left = position(d.getTime()) + "%";
        box.appendChild(tick);
        count += 1;
        d = monthly ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthStep, 1))
          : new Date(Date.UTC(d.getUTCFullYear() + step, 0, 1));
      }
      return box;
    }

    function markHtml(i) {
      var label = escapeHtml(i.date + ": " + i.title);
      return '<a class="timeline-mark mark-' + escapeHtml(i.kind) + '" href="#' + escapeHtml(i.id)
        + '" aria-label="' + label + '" title="' + label + '" style="left:' + position(i.time) + '%"></a>';
    }

    /** One mark for several entries close in time: a link to the first, named by count and span. */
    function binHtml(group) {
      var first = group[0], last = group[group.length - 1];
      var label = escapeHtml(group.length + " entries, " + first.date
        + (last.date && last.date !== first.date ? " to " + last.date : "") + ", first: " + first.title);
      var mid = (first.time + last.time) / 2;
      return '<a class="timeline-mark timeline-bin mark-' + escapeHtml(first.kind) + '" href="#' + escapeHtml(first.id)
        + '" aria-label="' + label + '" title="' + label + '" data-count="' + group.length
        + '" style="left:' + position(mid) + '%"></a>';
    }

    var lanes = [];

    /** The lanes (by type or by actor) for every dated entry; their marks come from fill(). */
    function draw() {
      var byActor = selects.lanes.value === "actor";
      lanesBox.textContent = "";
      // One pass groups the dated entries into lanes (an entry with two actors is in both).
      var groups = {}, names = [], none = [];
      timed.forEach(function (i) {
        var keys = byActor ? i.actors : [i.kind];
        if (byActor && !keys.length) none.push(i);
        keys.forEach(function (k) {
          if (!groups[k]) { groups[k] = []; names.push(k); }
          groups[k].push(i);
        });
      });
      lanes = unique(names).map(function (k) { return { name: byActor ? k : (KIND_LABELS[k] || k), members: groups[k] }; });
      if (byActor && none.length) lanes.push({ name: "No actor named", members: none });
      var fragment = document.createDocumentFragment();
      fragment.appendChild(ticks());
      lanes.forEach(function (lane) {
        lane.members.sort(function (a, b) { return a.time - b.time; });
        var laneEl = el("div", { "class": "timeline-lane", role: "group", "aria-label": lane.name });
        laneEl.appendChild(el("span", { "class": "timeline-lane-label", "aria-hidden": "true" }, lane.name));
        lane.track = el("div", { "class": "timeline-track" });
        laneEl.appendChild(lane.track);
        fragment.appendChild(laneEl);
      });
      lanesBox.appendChild(fragment);
    }

    /** Marks for the entries the filters show: one per entry while there are few, otherwise
     * (thousands of entries) one per stretch of time, so the axis stays readable, quick and
     * a short walk with the Tab key. Only the shown entries get marks. */
    function fill() {
      var shownLanes = lanes.map(function (lane) { return lane.members.filter(function (i) { return i.visible; }); });
      var total = shownLanes.reduce(function (n, m) { return n + m.length; }, 0);
      var bins = total <= MAX_MARKS ? 0 : Math.max(MIN_BINS, Math.floor(MAX_MARKS / Math.max(1, lanes.length)));
      lanes.forEach(function (lane, n) {
        var shown = shownLanes[n];
        if (!bins || shown.length <= bins) {
          lane.track.innerHTML = shown.map(markHtml).join("");
          return;
        }
        var html = [], group = [], current = -1;
        shown.forEach(function (i) {
          var bin = Math.min(bins - 1, Math.floor(bins * (i.time - min) / (max - min)));
          if (bin !== current && group.length) { html.push(group.length === 1 ? markHtml(group[0]) : binHtml(group)); group = []; }
          current = bin;
          group.push(i);
        });
        if (group.length) html.push(group.length === 1 ? markHtml(group[0]) : binHtml(group));
        lane.track.innerHTML = html.join("");
      });
    }

    function apply() {
      var on = {};
      boxes.forEach(function (b) { on[b.value] = b.checked; });
      var want = {};
      FIELDS.forEach(function (f) { want[f] = selects[f].value; });
      var shown = 0;
      var perMonth = months.map(function () { return 0; });
      items.forEach(function (i) {
        var visible = on[i.kind] !== false
          && (!want.actor || i.actors.indexOf(want.actor) >= 0)
          && (!want.location || i.locations.indexOf(want.location) >= 0)
          && (!want.tag || i.tags.indexOf(want.tag) >= 0)
          && (!want.confidence || i.confidence === want.confidence);
        if (visible !== i.visible || i.li.hidden === visible) {
          i.visible = visible;
          i.li.hidden = !visible;
        }
        if (visible) {
          shown += 1;
          if (i.month >= 0) perMonth[i.month] += 1;
        }
      });
      months.forEach(function (month, n) {
        var empty = !perMonth[n];
        if (month.hidden !== empty) month.hidden = empty;
        if (monthItems[n] && monthItems[n].hidden !== empty) monthItems[n].hidden = empty;
      });
      fill();
      if (status) {
        status.textContent = shown === items.length
          ? "Showing all " + items.length + " entries."
          : "Showing " + shown + " of " + items.length + " entries" + (shown ? "." : ": change the filters to see more.");
      }
    }

    function remember() {
      if (!window.history || !history.replaceState) return;
      var url = new URL(window.location.href);
      var picked = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (picked.length === boxes.length) url.searchParams.delete("show");
      else url.searchParams.set("show", picked.join(","));
      FIELDS.forEach(function (f) {
        if (selects[f].value) url.searchParams.set(f, selects[f].value);
        else url.searchParams.delete(f);
      });
      if (selects.lanes.value === "actor") url.searchParams.set("lanes", "actor");
      else url.searchParams.delete("lanes");
      history.replaceState(history.state, "", url.toString());
    }

    function restore() {
      var params = new URLSearchParams(window.location.search);
      var show = params.get("show");
      if (show !== null) {
        var wanted = show.split(",");
        boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
      }
      FIELDS.concat(["lanes"]).forEach(function (f) {
        var v = params.get(f);
        var select = selects[f];
        if (v === null) return;
        for (var n = 0; n < select.options.length; n++) {
          if (select.options[n].value === v) { select.value = v; return; }
        }
      });
    }

    /** A link to a hidden month or entry shows everything again, then goes there. */
    function revealTarget() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) return;
      var target = document.getElementById(id);
      if (!target || !target.closest("[hidden]")) return;
      boxes.forEach(function (b) { b.checked = true; });
      FIELDS.forEach(function (f) { selects[f].value = ""; });
      apply();
      remember();
      target.scrollIntoView();
    }

    form.addEventListener("change", function (event) {
      if (event.target === selects.lanes) draw();
      apply();
      remember();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", revealTarget);

    restore();
    draw();
    apply(); // before the form shows, so the status is not announced on load
    form.hidden = false;
    root.classList.add("timeline-enhanced");
    revealTarget();
  }

  fetch(source, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { events: [] }; })
    .catch(function () { return { events: [] }; })
    .then(start);
})();
