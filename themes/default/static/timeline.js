/* briefing: filter the /timeline/ by kind of entry, without reloading.
 *
 * Progressive enhancement: without this script every entry shows and the filter form
 * stays hidden. With it, the form appears; unchecking a kind hides its entries, months
 * left empty are hidden along with their jump links, and the choice is kept in the
 * address (?show=article,note) so it survives reloads and can be shared.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.timeline-filter");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="kind"]'));
  if (!boxes.length) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry[data-kind]"));
  var months = Array.prototype.slice.call(document.querySelectorAll("section.month"));
  var nav = document.querySelector(".month-nav");
  var status = form.querySelector(".filter-status");
  var total = entries.length;

  function navItem(month) {
    if (!nav || !month.id) return null;
    var links = nav.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === "#" + month.id) return links[i].closest("li") || links[i];
    }
    return null;
  }

  var monthItems = months.map(navItem);

  function chosen() {
    var on = {};
    boxes.forEach(function (box) {
      on[box.value] = box.checked;
    });
    return on;
  }

  function apply() {
    var on = chosen();
    var shown = 0;
    entries.forEach(function (entry) {
      var visible = on[entry.getAttribute("data-kind")] !== false;
      entry.hidden = !visible;
      if (visible) shown += 1;
    });
    months.forEach(function (month, i) {
      var empty = !month.querySelector("li.entry:not([hidden])");
      month.hidden = empty;
      if (monthItems[i]) monthItems[i].hidden = empty;
    });
    if (status) {
      status.textContent = shown === total
        ? "Showing all " + total + " entries."
        : "Showing " + shown + " of " + total + " entries" + (shown ? "." : ": tick a kind to see its entries.");
    }
  }

  function remember() {
    if (!window.history || !history.replaceState) return;
    var url = new URL(window.location.href);
    var picked = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    if (picked.length === boxes.length) url.searchParams.delete("show");
    else url.searchParams.set("show", picked.join(","));
    history.replaceState(history.state, "", url.toString());
  }

  function restore() {
    var show = new URLSearchParams(window.location.search).get("show");
    if (show === null) return;
    var wanted = show.split(",");
    boxes.forEach(function (box) {
      box.checked = wanted.indexOf(box.value) >= 0;
    });
  }

  /** A link to a hidden month or entry shows everything again, then goes there. */
  function revealTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target || !target.closest("[hidden]")) return;
    boxes.forEach(function (box) {
      box.checked = true;
    });
    apply();
    remember();
    target.scrollIntoView();
  }

  form.addEventListener("change", function () {
    apply();
    remember();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  window.addEventListener("hashchange", revealTarget);

  restore();
  apply(); // before the form shows, so the status is not announced on load
  form.hidden = false;
  revealTarget();
})();
