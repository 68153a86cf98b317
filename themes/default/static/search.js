/* briefing: client-side search for /search/.
 *
 * Loads search-index.json (the URL is in the form's data-index attribute) on first use,
 * searches as you type and lists at most 50 results. The index (docs/data-formats.md):
 *   {"v":3, "g":[tag names],
 *    "d":[[title, url, type, date, summary, marking, confidence, [tag numbers], [aliases]], ...],
 *    "t":{word:postings},   title, summary, term and alias words (weight 3)
 *    "b":{word:postings}}   body words (weight 1)
 * Rows are documents and terms (type "tag", "actor", "location"); trailing empty fields are
 * left out. A query is split like the index (lower-case words of two or more letters, accents
 * taken off, "S-400" joined to "s400", stop words dropped); each query word matches index
 * words that start with it, and every query word must match. Results rank by score, then
 * newest first, can be filtered by type, confidence and tag, and show the matched words in
 * <mark>. Nothing from the index is ever parsed as HTML (DOM nodes and textContent only).
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var DEBOUNCE_MS = 120;
  var WEIGHT_TITLE = 3;
  var WEIGHT_BODY = 1;
  var EXACT_BONUS = 0.5;

  // The same stop words as generator/markup/markdown.py (STOPWORDS).
  var STOPWORDS = new Set((
    "the and for are but not you all any can had her was one our out day get has him his how man new " +
    "now old see two way who did its let put say she too use that with have this will your from " +
    "they know want been good much some time very when come here just like long make many more only " +
    "over such take than them well were what which while into also their there these those would " +
    "could should about after before other being where does each most then"
  ).split(" "));

  var TYPE_LABELS = {
    article: "Article", note: "Analyst note", page: "Page", event: "Event",
    tag: "Tag", actor: "Actor", location: "Location"
  };
  var TERM_TYPES = { tag: true, actor: true, location: true };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  var WORD, TOKEN, MARKS;
  var JOIN = /[-\u2010\u2011.\/'\u2019]/g;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}]{2,}", "gu");
    // A word with inner hyphens, dots, slashes or apostrophes ("S-400", "U.S."), as the index joins it.
    TOKEN = new RegExp("[\\p{L}\\p{N}]+(?:[-\\u2010\\u2011./'\\u2019][\\p{L}\\p{N}]+)*", "gu");
    MARKS = new RegExp("\\p{M}", "gu");
  } catch (e) {
    var LETTER = "A-Za-z0-9\\u00AA\\u00B2\\u00B3\\u00B5\\u00B9\\u00BA\\u00BC-\\u00BE\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u1FFF\\u2C00-\\uD7FF\\uF900-\\uFFEF";
    WORD = new RegExp("[" + LETTER + "]{2,}", "g");
    TOKEN = new RegExp("[" + LETTER + "]+(?:[-\\u2010\\u2011./'\\u2019][" + LETTER + "]+)*", "g");
    MARKS = /[\u0300-\u036F]/g;
  }

  /** Lower case without accents ("Ḥmeimim" -> "hmeimim"), as the index folds its words. */
  function fold(text) {
    var folded = String(text).toLowerCase().replace(/\u00DF/g, "ss").replace(/\u03C2/g, "\u03C3");
    if (/[^\u0000-\u007F]/.test(folded) && folded.normalize) folded = folded.normalize("NFKD").replace(MARKS, "");
    return folded;
  }

  /** Query text to index words: folded, joined ("S-400" -> "s400"), 2+ letters, no stop words, no repeats. */
  function tokenize(text) {
    var folded = fold(text).replace(TOKEN, function (token) { return token.replace(JOIN, ""); });
    var found = folded.match(WORD) || [];
    var seen = new Set();
    var out = [];
    for (var i = 0; i < found.length; i++) {
      var w = found[i];
      if (!STOPWORDS.has(w) && !seen.has(w)) {
        seen.add(w);
        out.push(w);
      }
    }
    return out;
  }

  function sortedKeys(map) {
    var keys = Object.keys(map);
    for (var i = 1; i < keys.length; i++) {
      if (keys[i - 1] > keys[i]) {
        keys.sort();
        break;
      }
    }
    return keys;
  }

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** Index format 2: row numbers as gaps in base64 VLQ ("AAB" -> [0, 1, 3]). */
  function decodePostings(s) {
    var out = [];
    var prev = -1;
    var value = 0;
    var shift = 0;
    for (var i = 0; i < s.length; i++) {
      var digit = B64.indexOf(s.charAt(i));
      value += (digit & 31) * Math.pow(2, shift);
      if (digit & 32) {
        shift += 5;
        continue;
      }
      prev += value + 1;
      out.push(prev);
      value = 0;
      shift = 0;
    }
    return out;
  }

  /** First position in sorted `words` whose word is >= `prefix`. */
  function lowerBound(words, prefix) {
    var lo = 0;
    var hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (words[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An index ready to query: documents plus sorted word lists for prefix ranges. */
  function prepare(data) {
    if (!data || !Array.isArray(data.d)) throw new Error("not a briefing search index");
    var t = data.t || {};
    var b = data.b || {};
    return {
      docs: data.d,
      tags: Array.isArray(data.g) ? data.g : [],
      fields: [
        { map: t, words: sortedKeys(t), weight: WEIGHT_TITLE },
        { map: b, words: sortedKeys(b), weight: WEIGHT_BODY }
      ]
    };
  }

  /** Documents matching every query word, best first: [{doc, score}]. */
  function search(index, query) {
    var tokens = Array.isArray(query) ? query : tokenize(query);
    var n = index.docs.length;
    if (!tokens.length || !n) return [];
    var total = new Float64Array(n);
    var alive = null; // doc numbers still matching every token so far
    for (var ti = 0; ti < tokens.length; ti++) {
      var token = tokens[ti];
      var best = new Float32Array(n);
      var hits = [];
      for (var fi = 0; fi < index.fields.length; fi++) {
        var field = index.fields[fi];
        var words = field.words;
        for (var i = lowerBound(words, token); i < words.length; i++) {
          var word = words[i];
          if (word.lastIndexOf(token, 0) !== 0) break;
          var weight = field.weight + (word.length === token.length ? EXACT_BONUS : 0);
          var postings = field.map[word];
          if (typeof postings === "string") postings = field.map[word] = decodePostings(postings);
          for (var p = 0; p < postings.length; p++) {
            var d = postings[p];
            if (best[d] === 0) hits.push(d);
            if (weight > best[d]) best[d] = weight;
          }
        }
      }
      if (alive === null) {
        alive = hits;
      } else {
        var next = [];
        for (var a = 0; a < alive.length; a++) {
          if (best[alive[a]] > 0) next.push(alive[a]);
        }
        alive = next;
      }
      if (!alive.length) return [];
      for (var k = 0; k < alive.length; k++) total[alive[k]] += best[alive[k]];
    }
    var docs = index.docs;
    var results = alive.map(function (d) {
      return { n: d, doc: docs[d], score: total[d] };
    });
    results.sort(function (x, y) {
      if (y.score !== x.score) return y.score - x.score;
      var tx = TERM_TYPES[x.doc[2]] ? 0 : 1;
      var ty = TERM_TYPES[y.doc[2]] ? 0 : 1;
      if (tx !== ty) return tx - ty; // a term's own page before the documents naming it
      var dx = x.doc[3] || "";
      var dy = y.doc[3] || "";
      if (dx !== dy) return dx < dy ? 1 : -1;
      return x.n - y.n;
    });
    return results;
  }

  /** Text split into [text, matched] pieces: a word (or joined token) is matched when its
   * folded form, its joined form or one of its parts starts with a query word. */
  function highlight(text, tokens) {
    text = String(text || "");
    var pieces = [];
    var last = 0;
    var flat = tokens.length ? fold(text).replace(JOIN, "") : "";
    var any = false;
    for (var k = 0; k < tokens.length && !any; k++) any = flat.indexOf(tokens[k]) >= 0;
    if (any) { // only texts holding a query word somewhere are split into words
      text.replace(TOKEN, function (token, at) {
        var folded = fold(token);
        var forms = [folded.replace(JOIN, "")].concat(folded.split(JOIN));
        var hit = false;
        for (var f = 0; f < forms.length && !hit; f++) {
          for (var t = 0; t < tokens.length; t++) {
            if (forms[f].length > 1 && forms[f].lastIndexOf(tokens[t], 0) === 0) { hit = true; break; }
          }
        }
        if (hit) {
          if (at > last) pieces.push([text.slice(last, at), false]);
          pieces.push([token, true]);
          last = at + token.length;
        }
        return token;
      });
    }
    if (last < text.length) pieces.push([text.slice(last), false]);
    return pieces;
  }

  /** "2024-12-04" -> "4 Dec 2024"; "2024-12-04 14:30" -> "4 Dec 2024, 14:30"; "2024-12" -> "Dec 2024". */
  function readableDate(value) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[ T](\d{2}:\d{2}))?/.exec(String(value || ""));
    if (!m) return String(value || "");
    var month = m[2] ? MONTHS[parseInt(m[2], 10) - 1] : "";
    var out = m[3] ? parseInt(m[3], 10) + " " + month + " " + m[1] : month ? month + " " + m[1] : m[1];
    return m[4] ? out + ", " + m[4] : out;
  }

  /** Whether a row passes the filters {type, confidence, tag} (tag: a number into "g"). */
  function passes(doc, filters) {
    if (!filters) return true;
    if (filters.type && doc[2] !== filters.type) return false;
    if (filters.confidence && doc[6] !== filters.confidence) return false;
    if (filters.tag !== undefined && filters.tag !== null && filters.tag !== "") {
      var tags = doc[7] || [];
      if (tags.indexOf(filters.tag) < 0) return false;
    }
    return true;
  }

  var api = {
    tokenize: tokenize, prepare: prepare, search: search, lowerBound: lowerBound,
    highlight: highlight, readableDate: readableDate, passes: passes, fold: fold
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  }

  // ---- The page ------------------------------------------------------------------

  if (typeof document === "undefined") return;
  var form = document.querySelector("form.search-form[data-index]");
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) return;
  var filterType = document.getElementById("search-type");
  var filterConfidence = document.getElementById("search-confidence");
  var filterTag = document.getElementById("search-tag");
  var filterControls = [filterType, filterConfidence, filterTag].filter(Boolean);

  var loading = null;
  var index = null;
  var timer = 0;
  var lastQuery = null;

  function empty(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function load() {
    if (!loading) {
      say("Loading the search index…");
      loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          index = prepare(data);
          fillTags();
          return index;
        });
      loading.catch(function () {
        loading = null;
        say("The search index could not be loaded. Browse the timeline, actors, locations or tags instead.");
      });
    }
    return loading;
  }

  function summaryText(text) {
    text = String(text || "");
    if (text.length >= 160) {
      var cut = text.lastIndexOf(" ", 159);
      text = (cut > 80 ? text.slice(0, cut) : text.slice(0, 159)).replace(/[\s,;:.–-]+$/, "") + "…";
    }
    return text;
  }

  /** Appends text to a node with matched words in <mark> (DOM nodes only, never HTML). */
  function appendMarked(node, text, tokens) {
    var pieces = highlight(text, tokens);
    for (var i = 0; i < pieces.length; i++) {
      if (pieces[i][1]) {
        var mark = document.createElement("mark");
        mark.textContent = pieces[i][0];
        node.appendChild(mark);
      } else {
        node.appendChild(document.createTextNode(pieces[i][0]));
      }
    }
  }

  /** The tag filter's options, from the index's tag names (the URL's ?tag= is kept). */
  function fillTags() {
    if (!filterTag || !index) return;
    var wanted = new URLSearchParams(window.location.search).get("tag") || filterTag.value;
    while (filterTag.options.length > 1) filterTag.remove(1);
    for (var i = 0; i < index.tags.length; i++) {
      var option = document.createElement("option");
      option.value = String(index.tags[i]);
      option.textContent = String(index.tags[i]);
      filterTag.appendChild(option);
    }
    if (wanted) filterTag.value = wanted;
  }

  function currentFilters() {
    var filters = {
      type: filterType ? filterType.value : "",
      confidence: filterConfidence ? filterConfidence.value : "",
      tag: ""
    };
    if (filterTag && filterTag.value && index) {
      var at = index.tags.indexOf(filterTag.value);
      filters.tag = at < 0 ? -1 : at;
    }
    return filters;
  }

  function resultItem(doc, tokens) {
    var li = document.createElement("li");
    var title = document.createElement("a");
    title.className = "result-title";
    title.href = String(doc[1] || "");
    appendMarked(title, String(doc[0] || doc[1] || ""), tokens);
    li.appendChild(title);

    var meta = document.createElement("p");
    meta.className = "result-meta";
    var kind = String(doc[2] || "");
    var type = document.createElement("span");
    type.className = "type type-" + kind.replace(/[^a-z]/g, "");
    type.textContent = TYPE_LABELS[kind] || kind;
    meta.appendChild(type);
    if (doc[3]) {
      var time = document.createElement("time");
      time.dateTime = String(doc[3]).replace(" ", "T");
      time.textContent = readableDate(doc[3]);
      meta.appendChild(time);
    }
    var marking = String(doc[5] || "");
    if (/^TLP:[A-Z+]+$/.test(marking)) {
      var label = document.createElement("span");
      label.className = "marking marking-" + marking.toLowerCase().replace("tlp:", "tlp-").replace("+", "-");
      label.textContent = marking;
      meta.appendChild(label);
    }
    li.appendChild(meta);

    if (doc[4]) {
      var summary = document.createElement("p");
      summary.className = "result-summary";
      appendMarked(summary, summaryText(doc[4]), tokens);
      li.appendChild(summary);
    }
    var aliases = doc[8];
    if (Array.isArray(aliases) && aliases.length) {
      var also = document.createElement("p");
      also.className = "result-aliases";
      also.appendChild(document.createTextNode("Also called: "));
      appendMarked(also, aliases.map(String).join(", "), tokens);
      li.appendChild(also);
    }
    return li;
  }

  function render(query) {
    var tokens = tokenize(query);
    var filters = currentFilters();
    var key = tokens.join(" ") + "\u0000" + filters.type + "\u0000" + filters.confidence + "\u0000" + filters.tag;
    if (key === lastQuery) return;
    lastQuery = key;
    if (!tokens.length) {
      empty(list);
      say(query.trim() ? "Type at least one word of two or more letters (common words like “the” are ignored)." : "");
      return;
    }
    var results = search(index, tokens).filter(function (r) { return passes(r.doc, filters); });
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < results.length && i < MAX_RESULTS; i++) {
      fragment.appendChild(resultItem(results[i].doc, tokens));
    }
    empty(list);
    list.appendChild(fragment);
    var count = results.length;
    var filtered = filters.type || filters.confidence || filters.tag !== "" ? " with these filters" : "";
    if (!count) say("Nothing matches “" + query.trim() + "”" + filtered + ".");
    else if (count === 1) say("1 result" + filtered + ".");
    else if (count > MAX_RESULTS) say(count + " results" + filtered + "; showing the best " + MAX_RESULTS + ".");
    else say(count + " results" + filtered + ".");
  }

  function remember(query) {
    if (!window.history || !history.replaceState) return;
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    var names = { "search-type": "type", "search-confidence": "confidence", "search-tag": "tag" };
    filterControls.forEach(function (control) {
      var name = names[control.id];
      if (control.value) url.searchParams.set(name, control.value);
      else url.searchParams.delete(name);
    });
    history.replaceState(history.state, "", url.toString());
  }

  function run() {
    window.clearTimeout(timer);
    var query = input.value;
    remember(query);
    if (index) {
      render(query);
      return;
    }
    if (!query.trim()) {
      empty(list);
      say("");
      return;
    }
    load().then(function () {
      render(input.value);
    }, function () {});
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  }

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll("a.result-title"));
  }

  function clear() {
    input.value = "";
    run();
    input.focus();
  }

  input.addEventListener("focus", function () {
    load();
  }, { once: true });
  input.addEventListener("input", schedule);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var links = resultLinks();
      if (links.length) {
        event.preventDefault();
        links[0].focus();
      }
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (input.value) {
        event.preventDefault();
        clear();
      }
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = resultLinks();
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (at + 1 < links.length) links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) links[at - 1].focus();
      else input.focus();
    } else if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      input.focus();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });

  filterControls.forEach(function (control) {
    control.addEventListener("change", run);
  });
  var params = new URLSearchParams(window.location.search);
  if (filterType && params.get("type")) filterType.value = params.get("type");
  if (filterConfidence && params.get("confidence")) filterConfidence.value = params.get("confidence");
  var initial = params.get("q");
  if (initial) {
    input.value = initial;
    load().then(function () {
      render(input.value);
    }, function () {});
  }
})();
