// agentroster portfolio site: search, filters and sortable columns for the table of agents.
// The state lives in the URL fragment (#q=refund&tier=1&sort=next_review&dir=desc), so a
// link or a reload shows the same view. Works from file://; nothing is fetched.
//
// A large roster shows the first rows that match (the table's data-page, 200) and a button
// for the rest: the browser lays out only what is shown, so 2,000 agents load as fast as 200.
// Until this script runs, the style sheet shows the same first rows (`.paged`).
"use strict";

(function () {
  var table = document.getElementById("agents");
  var form = document.getElementById("controls");
  if (!table || !form) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("q");
  var shown = document.getElementById("shown");
  var more = document.getElementById("more");
  var page = Number(table.dataset.page) || rows.length;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  var headers = Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-key]"));
  var filterKeys = selects.map(function (s) { return s.dataset.key; });
  var sortKeys = headers.map(function (h) { return h.dataset.key; });

  // what each row is searched and sorted by, read once
  var haystack = rows.map(function (row) {
    return (row.textContent + " " + (row.dataset.search || "")).toLowerCase();
  });
  var order = rows.map(function (row, index) { return index; });
  var current = order;  // the rows' indices in the order the table shows them
  var shownOrder = "";  // what that order is: "" (as built, by id) or "key dir"
  var cells = {};
  headers.forEach(function (h, column) {
    cells[h.dataset.key] = rows.map(function (row) {
      var cell = row.cells[column];
      var value = cell.hasAttribute("data-sort") ? cell.dataset.sort : cell.textContent.trim();
      return value === "\u2013" ? "" : value;
    });
  });
  var kinds = {};
  headers.forEach(function (h) { kinds[h.dataset.key] = h.dataset.kind; });

  function isState(hash) {
    return hash === "" || hash.indexOf("=") !== -1;
  }

  function readState() {
    var hash = window.location.hash.replace(/^#/, "");
    var params = new URLSearchParams(isState(hash) ? hash : "");
    var state = { q: params.get("q") || "", sort: "", dir: "asc", all: params.get("all") === "1" };
    filterKeys.forEach(function (key) { state[key] = params.get(key) || ""; });
    if (sortKeys.indexOf(params.get("sort")) !== -1) {
      state.sort = params.get("sort");
      state.dir = params.get("dir") === "desc" ? "desc" : "asc";
    }
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    filterKeys.forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    if (state.sort) {
      params.set("sort", state.sort);
      params.set("dir", state.dir);
    }
    if (state.all) { params.set("all", "1"); }
    var text = params.toString();
    var base = window.location.href.split("#")[0];
    history.replaceState(null, "", text ? base + "#" + text : base);
  }

  function showState(state) {
    search.value = state.q;
    selects.forEach(function (select) {
      var value = state[select.dataset.key];
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      select.value = known ? value : "";
      state[select.dataset.key] = select.value;
    });
  }

  function compare(key, dir) {
    var values = cells[key];
    var numeric = kinds[key] === "num";
    var sign = dir === "desc" ? -1 : 1;
    return function (a, b) {
      var x = values[a];
      var y = values[b];
      if (x === "" || y === "") {  // no value: last, whichever the direction
        return x === y ? a - b : (x === "" ? 1 : -1);
      }
      var diff = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return diff !== 0 ? sign * diff : a - b;
    };
  }

  function sortRows(state) {
    var sortedBy = state.sort ? state.sort + " " + state.dir : "";
    if (sortedBy === shownOrder) {
      return;  // moving 2,000 rows costs a layout: only when the order changes
    }
    current = order.slice();
    if (state.sort) {
      current.sort(compare(state.sort, state.dir));
    }
    var fragment = document.createDocumentFragment();
    current.forEach(function (index) { fragment.appendChild(rows[index]); });
    body.appendChild(fragment);
    shownOrder = sortedBy;
  }

  function plural(n) {
    return n + (n === 1 ? " agent" : " agents");
  }

  function apply(state) {
    sortRows(state);
    var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var matched = 0;
    var visibleCount = 0;
    current.forEach(function (index) {
      var row = rows[index];
      var match = terms.every(function (t) { return haystack[index].indexOf(t) !== -1; }) &&
        filterKeys.every(function (key) { return !state[key] || row.dataset[key] === state[key]; });
      if (match) { matched += 1; }
      var visible = match && (state.all || matched <= page);
      if (row.hidden === visible) {  // only rows that change: each change costs layout
        row.hidden = !visible;
      }
      if (visible) { visibleCount += 1; }
    });
    headers.forEach(function (h) {
      if (h.dataset.key === state.sort) {
        h.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else {
        h.removeAttribute("aria-sort");
      }
    });
    var total = rows.length;
    if (visibleCount < matched) {
      shown.textContent = "Showing the first " + visibleCount + " of " + plural(matched) +
        (matched === total ? "." : " that match (" + total + " in all).");
    } else {
      shown.textContent = matched === total
        ? plural(total) + "."
        : "Showing " + matched + " of " + plural(total) + ".";
    }
    more.hidden = visibleCount === matched;
    more.textContent = "Show all " + plural(matched);
  }

  var state = readState();

  function update() {
    state.q = search.value;
    selects.forEach(function (select) { state[select.dataset.key] = select.value; });
    apply(state);
    writeState(state);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("clear").addEventListener("click", function () {
    search.value = "";
    selects.forEach(function (select) { select.value = ""; });
    state.sort = "";
    state.dir = "asc";
    state.all = false;
    update();
  });
  more.addEventListener("click", function () {
    state.all = true;
    apply(state);
    writeState(state);
  });
  search.addEventListener("input", update);
  selects.forEach(function (select) { select.addEventListener("change", update); });
  headers.forEach(function (h) {
    h.querySelector("button").addEventListener("click", function () {
      var key = h.dataset.key;
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      apply(state);
      writeState(state);
    });
  });
  window.addEventListener("hashchange", function () {
    if (!isState(window.location.hash.replace(/^#/, ""))) {
      return;  // a link to a section of the page, not a view of the table
    }
    state = readState();
    showState(state);
    apply(state);
    document.getElementById("all").scrollIntoView();
  });
  showState(state);
  apply(state);
  table.classList.remove("paged");  // the script shows and hides rows from here on
})();
