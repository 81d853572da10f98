/* Kwaliteitsregister Stoppen met Roken: search as you type, filters and the registration
   check, in the page itself (no server, nothing loaded from elsewhere). The lists are in the
   HTML, so everything works without this script too; the search state lives in the address
   (index.html?zoek=utrecht&profiel=zwangerschap) so a search can be linked and bookmarked. */
(function () {
  "use strict";

  /* Lower case without accents, so "Özdemir" is found as "ozdemir". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* A postcode is found typed with or without its space: "3511AB" and "3511 ab". */
  function haystack(text) {
    var folded = fold(text).replace(/\s+/g, " ");
    return folded + " " + folded.replace(/\b(\d{4}) ([a-z]{2})\b/g, "$1$2");
  }

  /* Every term must occur: a word, or a "quoted phrase" as a whole. */
  function terms(query) {
    var found = [];
    fold(query).replace(/"([^"]*)"?|([^\s,"]+)/g, function (all, phrase, word) {
      var term = (phrase === undefined ? word : phrase).replace(/\s+/g, " ").trim();
      if (term) { found.push(term); }
      return all;
    });
    return found;
  }

  /* The text of an element without what sits in <span>s (a card's province: it has a filter). */
  function searchable(element) {
    var parts = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.parentNode.nodeName !== "SPAN") {
        parts.push(walker.currentNode.nodeValue);
      }
      parts.push(" ");
    }
    return parts.join("");
  }

  function readAddress(names) {
    var query = new URLSearchParams(window.location.search);
    var values = {};
    names.forEach(function (name) { values[name] = query.get(name) || ""; });
    return values;
  }

  function writeAddress(values) {
    var query = new URLSearchParams();
    Object.keys(values).forEach(function (name) {
      if (values[name]) { query.set(name, values[name]); }
    });
    var text = query.toString();
    try {
      window.history.replaceState(null, "", (text ? "?" + text : window.location.pathname) +
                                  window.location.hash);
    } catch (error) { /* some browsers refuse it for file:// pages: the search still works */ }
  }

  function pairs(text) {
    var map = {};
    (text || "").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      if (parts.length === 2) { map[parts[0]] = parts[1]; }
    });
    return map;
  }

  function plural(count, one, many) { return count === 1 ? one : many; }

  /* 15572 -> "15.572", as Dutch writes numbers. */
  function number(count) { return count.toLocaleString("nl-NL"); }

  /* One searchable list: items, a form whose fields hold the state, a count, a "none" note.
     With `page`, only that many matches are drawn at first and a button draws more: a browser
     lays out 20,000 cards slowly, and nobody reads past the first few dozen anyway. */
  function finder(options) {
    var form = document.getElementById(options.form);
    var list = document.getElementById(options.list);
    if (!form || !list) { return; }
    var count = document.getElementById("aantal");
    var none = document.getElementById("geen");
    var more = document.getElementById("meer");
    var page = options.page || Infinity;
    var total = list.children.length;
    var items = Array.prototype.map.call(list.children, function (item) {
      return { element: item, text: haystack(options.text(item)), shown: !item.hidden };
    });
    var fields = Array.prototype.filter.call(form.elements, function (field) {
      return field.name;
    });
    var matches = [];
    var drawn = 0;
    var timer = null;

    function state() {
      var values = {};
      fields.forEach(function (field) { values[field.name] = field.value.trim(); });
      return values;
    }

    function draw(upTo) {
      var shown = 0;
      items.forEach(function (item) {
        var show = item.match && shown < upTo;
        if (show) { shown += 1; }
        if (show !== item.shown) {
          item.element.hidden = !show;
          item.shown = show;
        }
      });
      drawn = shown;
      var found = matches.length;
      var text = found !== total
        ? number(found) + " van de " + number(total) + " " + options.noun(total) + " gevonden"
        : number(total) + " " + options.noun(total) + ", " + options.order;
      count.textContent = text + (drawn < found ? "; de eerste " + number(drawn) +
                                  " staan hieronder." : ".");
      none.hidden = found !== 0;
      if (more) {
        more.hidden = drawn >= found;
        more.textContent = "Toon " + number(Math.min(page, found - drawn)) + " meer";
      }
    }

    function apply() {
      var values = state();
      var words = terms(values.zoek || "");
      matches = items.filter(function (item) {
        item.match = words.every(function (word) { return item.text.indexOf(word) !== -1; }) &&
          options.filter(item.element, values);
        return item.match;
      });
      draw(page);
      list.classList.add("klaar");
      writeAddress(Object.assign(values, readAddress(options.keep || [])));
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, total > 5000 ? 80 : 40);
    }

    var start = readAddress(fields.map(function (field) { return field.name; }));
    fields.forEach(function (field) {
      if (!start[field.name]) { return; }
      field.value = start[field.name];
      if (field.value !== start[field.name]) { field.value = ""; }  /* an unknown option */
    });
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    if (more) {
      more.addEventListener("click", function () {
        var first = matches[drawn];
        draw(drawn + page);
        if (first) {  /* the keyboard goes on where the new cards begin */
          first.element.tabIndex = -1;
          first.element.focus();
        }
      });
    }
    form.hidden = false;
    apply();
  }

  /* Controleer een registratie: plainly whether a number is in the register, and until when. */
  function check() {
    var form = document.getElementById("controle");
    var outcome = document.getElementById("uitkomst");
    if (!form || !outcome) { return; }
    var field = document.getElementById("nummer");
    var on = outcome.getAttribute("data-datum");

    function card(number) {
      var found = document.getElementById("c" + number);
      if (found || !/^\d+$/.test(number)) { return found; }
      var wanted = number.replace(/^0+/, "");  /* 4512 for 004512: leading zeros are lost */
      var matches = Array.prototype.filter.call(
        document.querySelectorAll("#coaches > li"),
        function (item) { return item.id.slice(1).replace(/^0+/, "") === wanted; });
      return matches.length === 1 ? matches[0] : null;
    }

    /* A line of text in which dates do not break at their hyphens. */
    function line(text, tag) {
      var element = document.createElement(tag);
      text.split(/(\d\d-\d\d-\d{4})/).forEach(function (part, index) {
        if (index % 2 === 0) {
          element.appendChild(document.createTextNode(part));
        } else {
          var date = document.createElement("span");
          date.className = "date";
          date.textContent = part;
          element.appendChild(date);
        }
      });
      return element;
    }

    function say(kind, lines) {
      outcome.className = "outcome " + kind;
      outcome.textContent = "";
      lines.forEach(function (text, index) {
        var paragraph = document.createElement("p");
        paragraph.appendChild(line(text, index === 0 ? "strong" : "span"));
        outcome.appendChild(paragraph);
      });
    }

    /* "Rookvrij Coaching Breda, 4828 CM Breda": the card's practice and place. */
    function place(item) {
      var first = item.querySelector("p");
      if (!first || first.textContent.indexOf("Registratienummer") === 0) { return ""; }
      var parts = [];
      first.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.nodeValue.trim()) {
          parts.push(node.nodeValue.trim());
        }
      });
      return parts.join(", ");
    }

    function run() {
      var number = field.value.replace(/[\s.]/g, "");
      writeAddress(Object.assign(readAddress(["zoek", "provincie", "profiel"]),
                                 { nummer: number }));
      if (!number) { outcome.className = "outcome"; outcome.textContent = ""; return; }
      if (!/^\d{1,12}$/.test(number)) {
        say("bad", ["Dit is geen registratienummer.",
                    "Een registratienummer bestaat uit cijfers, bijvoorbeeld 004512."]);
        return;
      }
      var found = card(number);
      if (!found) {
        say("bad", ["Niet geregistreerd: " + number,
                    "Registratienummer " + number + " staat op " + on + " niet in het register." +
                    " Wie dit nummer heeft, is op die datum geen geregistreerde " +
                    "stoppen-met-rokencoach, of het nummer is niet goed overgenomen."]);
        return;
      }
      var until = (found.textContent.match(/tot en met (\d\d-\d\d-\d{4})/) || [])[1];
      var lines = ["Geregistreerd: " + found.querySelector("h3").textContent,
                   "Registratienummer " + found.id.slice(1)];
      if (place(found)) { lines.push(place(found)); }
      lines.push("Geregistreerd tot en met " + until + " (stand van " + on + ").");
      say("ok", lines);
    }

    var start = readAddress(["nummer"]).nummer;
    if (start) { field.value = start; }
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    form.hidden = false;
    if (start) { run(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var provinces = {};
    var profiles = {};
    var coachForm = document.getElementById("zoeken");
    if (coachForm) {
      provinces = pairs(coachForm.getAttribute("data-provincies"));
      profiles = pairs(coachForm.getAttribute("data-profielen"));
    }
    finder({
      /* page: as site.css's nth-child(n+61), which holds the list back until this runs */
      form: "zoeken", list: "coaches", order: "op achternaam", keep: ["nummer"], page: 60,
      noun: function (n) { return plural(n, "coach", "coaches"); },
      text: searchable,
      filter: function (item, values) {
        var province = provinces[values.provincie];
        var profile = profiles[values.profiel];
        return (!province || item.getAttribute("data-p") === province) &&
          (!profile || (item.getAttribute("data-f") || "").indexOf(profile) !== -1);
      }
    });
    check();
    finder({
      form: "agenda-zoeken", list: "scholingen", order: "op code",
      noun: function (n) { return plural(n, "scholing", "scholingen"); },
      text: function (item) {
        return item.querySelector("h3").textContent + " " + item.querySelector("p").textContent;
      },
      filter: function () { return true; }
    });
  });
}());
