/* Facets in the search box's results: year, issuing body, outlet and formulation, each with
   the values the results hold and how many hold each, as choices a reader picks without
   knowing the typed syntax (年份:2024 …), which keeps working and is what a choice writes.

   The search worker (hooks/search_worker.js) sends the facets as plain data beside the
   result items of Material's RESULT message; Material passes that message on to
   window.component$ with the result list's element as "ref". This script only reads it and
   writes the choices with textContent and setAttribute: the values come from the
   contributed texts and are never markup.

   Picking a value adds "年份:2024" to the query (and picking it again takes it out) and
   tells Material the query changed, as a typed key does. Each facet is a <details> and
   each value a link inside it, because those are what Material's arrow keys move through
   in the results (query → facet → its values → results); Enter picks a value. */
(function () {
  "use strict";

  var hant = document.documentElement.lang === "zh-Hant";
  var words = hant
    ? { group: "篩選結果", more: function (n) { return "另有 " + n + " 項"; },
        chosen: "已選，點選取消", label: function (v, n) { return v + "，" + n + " 篇"; } }
    : { group: "筛选结果", more: function (n) { return "另有 " + n + " 项"; },
        chosen: "已选，点选取消", label: function (v, n) { return v + "，" + n + " 篇"; } };
  /* The worker's tokens: key:"value with spaces" or a run of non-spaces. */
  var TOKEN = /[^\s:：]+[:：]"[^"]*"|\S+/g;
  var box = null;

  function queryInput() {
    return document.querySelector("input.md-search__input");
  }

  function token(label, value) {
    return label + ":" + (/[\s"]/.test(value) ? '"' + value + '"' : value);
  }

  /* The query with one value chosen, or with the tokens that chose it taken out. */
  function toggled(query, facet, value) {
    var tokens = query.match(TOKEN) || [];
    if (value.tokens.length) {
      tokens = tokens.filter(function (t) { return value.tokens.indexOf(t) < 0; });
    } else {
      tokens.push(token(facet.label, value.value));
    }
    return tokens.join(" ");
  }

  function pick(facet, value) {
    var input = queryInput();
    if (!input) { return; }
    input.value = toggled(input.value, facet, value);
    /* Material reads the query on keyup. */
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function chip(facet, value) {
    var link = document.createElement("a");
    var chosen = value.tokens.length > 0;
    link.className = "archive-facet__value";
    link.href = "#";
    link.setAttribute("role", "button");
    link.setAttribute("aria-pressed", chosen ? "true" : "false");
    link.dataset.facet = facet.name;
    link.dataset.value = value.value;
    if (chosen) { link.title = words.chosen; }
    /* Material's Enter opens the result whose first element scores highest: a value scores
       below every result, so Enter in the query still opens the best result. */
    var name = document.createElement("span");
    name.setAttribute("data-md-score", "-1");
    name.textContent = value.value;
    var count = document.createElement("span");
    count.className = "archive-facet__count";
    count.textContent = value.count;
    link.setAttribute("aria-label", words.label(value.value, value.count));
    link.append(name, count);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      /* Material closes the search on a click on any link inside it. */
      event.stopPropagation();
      pick(facet, value);
    });
    return link;
  }

  function group(facet, open) {
    var details = document.createElement("details");
    details.className = "archive-facet";
    details.dataset.group = facet.name;
    details.open = open;
    var summary = document.createElement("summary");
    summary.dataset.facet = facet.name;
    summary.textContent = facet.label;
    details.append(summary);
    facet.values.forEach(function (value) { details.append(chip(facet, value)); });
    if (facet.more > 0) {
      var more = document.createElement("span");
      more.className = "archive-facet__more";
      more.textContent = words.more(facet.more);
      details.append(more);
    }
    return details;
  }

  function render(result, facets) {
    if (!box || !result.contains(box)) {
      box = document.createElement("div");
      box.className = "archive-facets";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", words.group);
      /* Between the result count and the list (Material keeps both by position). */
      result.insertBefore(box, result.lastElementChild);
    }
    /* null: this query's facets are on their way; undefined: no query. */
    if (facets === null) {
      box.setAttribute("aria-busy", "true");
      return;
    }
    box.removeAttribute("aria-busy");
    /* Whether this is the last answer to a query (its facets, even none) or what Material
       shows for an empty box, whose answer may come after the next query was typed. */
    box.toggleAttribute("data-answered", facets !== undefined);
    var facetList = facets || [];
    /* Keep the keyboard where it was: on the same value (or facet) after the redraw. */
    var active = box.contains(document.activeElement) ? document.activeElement : null;
    var was = {};
    box.querySelectorAll("details.archive-facet").forEach(function (d) {
      was[d.dataset.group] = d.open;
    });
    box.replaceChildren.apply(box, facetList.map(function (facet) {
      return group(facet, was[facet.name] !== false);
    }));
    box.hidden = facetList.length === 0;
    if (active) {
      var again = Array.prototype.find.call(box.querySelectorAll("[data-facet]"), function (el) {
        return el.dataset.facet === active.dataset.facet
          && el.dataset.value === active.dataset.value;
      });
      if (again) { again.focus(); }
    }
  }

  if (window.component$) {
    window.component$.subscribe(function (component) {
      var ref = component.ref;
      if (ref && ref.getAttribute("data-md-component") === "search-result") {
        render(ref, component.facets);
      }
    });
  }
})();
