/*
 * Directory filters: a progressive enhancement of the static list on /directory/.
 *
 * Without JavaScript the page is a complete list of cards. This script adds the filter controls
 * (so readers without it never see controls that do nothing), filters the cards by toggling their
 * `hidden` attribute, shows beside every option how many offers it would give, and keeps the
 * choices in the query string (service, country, org, lang, delivery, emergency, q; repeated for
 * several values) so a view can be shared and Back works.
 *
 * Rules: OR within one facet, AND across facets. A card matches a country when it lists that
 * country, a region containing it, or "global". Counts: an option's count is the number of
 * offers that would show if it were added to the choices of its facet (the others unchanged).
 *
 * Data: each card (li[data-offer]) carries data-s (service), data-a (areas: country codes, region
 * slugs or "global", none inside another), data-l (language codes), data-o (organisation types as
 * a hex bit mask in taxonomy order), data-d (delivery), data-e (helps during an attack). The
 * vocabularies and the region map come once per page from <script type="application/json"> inside
 * <template id="c4h-data"> (the template keeps Material's instant navigation from re-running it).
 *
 * Works with Material's instant navigation: everything starts from document$.subscribe; the URL is
 * written with history.pushState/replaceState(history.state, ...), keeping the state Material
 * stores there. After each update the script fires "c4h:filtered" on document (detail: shown,
 * total, ms) and bumps data-generation on #c4h-directory: the hooks for tests and benchmarks.
 */
(function () {
  "use strict";

  var PARAMS = ["service", "country", "org", "lang", "delivery", "emergency", "q"];
  var URL_DELAY = 50;  // ms between updating the list and writing the address
  var current = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) node.setAttribute(key, attrs[key]);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function readData(root) {
    var holder = root.querySelector("#c4h-data");
    var script = holder && holder.content ? holder.content.querySelector("script") : null;
    return JSON.parse(script ? script.textContent : "{}");
  }

  function Directory(root) {
    var data = readData(root);
    // The cards come in lists of up to 100 ("chunks"); see c4h.css.
    var list = root.querySelector("#c4h-offers");
    var chunks = Array.prototype.slice.call(list.children);
    var cards = [], chunkOfCard = [];
    chunks.forEach(function (chunk, c) {
      Array.prototype.forEach.call(chunk.querySelectorAll("li[data-offer]"), function (li) {
        cards.push(li);
        chunkOfCard.push(c);
      });
    });
    var n = cards.length;
    var self = this;
    var path = window.location.pathname;
    this.root = root;

    // --- vocabularies -------------------------------------------------------------------------
    var services = data.services || [];
    var orgs = data.orgs || [];
    var delivery = data.delivery || [];
    var languages = data.languages || [];
    var countries = data.countries || [];
    var regions = data.regions || {};
    var index = function (pairs) {
      var out = Object.create(null);
      pairs.forEach(function (pair, i) { out[pair[0]] = i; });
      return out;
    };
    var svcIx = index(services), delIx = index(delivery), langIx = index(languages);
    var orgIx = index(orgs);
    var countryIx = index(countries);
    var allCountries = countries.map(function (_, i) { return i; });

    // --- per-card data, parsed once -------------------------------------------------------------
    var svc = new Int32Array(n), del = new Int32Array(n), sig = new Int32Array(n);
    var emer = new Uint8Array(n), shown = new Uint8Array(n);
    var langs = new Array(n), orgBits = new Array(n), text = new Array(n);
    var chunkOf = Int32Array.from(chunkOfCard), chunkHeight = new Array(chunks.length);
    // Off screen, a chunk is as tall as its estimate: cards shown times a card's height.
    var first = chunks[0], cardHeight = 112;
    if (first && first.children.length) {
      cardHeight = first.getBoundingClientRect().height / first.children.length || cardHeight;
    }
    var sigIx = Object.create(null), sigCountries = [];

    function coverage(areas) {
      var seen = new Uint8Array(countries.length), out = [];
      areas.split(" ").forEach(function (area) {
        var codes = area === "global" ? null : (regions[area] || [area]);
        if (codes === null) { out = allCountries.slice(); seen.fill(1); return; }
        codes.forEach(function (code) {
          var i = countryIx[code];
          if (i !== undefined && !seen[i]) { seen[i] = 1; out.push(i); }
        });
      });
      return out;
    }

    function bits(hex) {
      var out = [];
      for (var k = 0; k < hex.length; k++) {
        var digit = parseInt(hex.charAt(hex.length - 1 - k), 16);
        for (var b = 0; b < 4; b++) if (digit & (1 << b)) out.push(k * 4 + b);
      }
      return out;
    }

    for (var i = 0; i < n; i++) {
      var card = cards[i];
      var s = svcIx[card.getAttribute("data-s")];
      svc[i] = s === undefined ? -1 : s;
      var d = delIx[card.getAttribute("data-d")];
      del[i] = d === undefined ? -1 : d;
      var areas = card.getAttribute("data-a") || "";
      if (sigIx[areas] === undefined) {
        sigIx[areas] = sigCountries.length;
        sigCountries.push(coverage(areas));
      }
      sig[i] = sigIx[areas];
      emer[i] = card.hasAttribute("data-e") ? 1 : 0;
      langs[i] = (card.getAttribute("data-l") || "").split(" ")
        .map(function (code) { return langIx[code]; })
        .filter(function (x) { return x !== undefined; });
      orgBits[i] = bits(card.getAttribute("data-o") || "0").filter(function (x) {
        return x < orgs.length;
      });
      text[i] = fold(card.textContent);
      shown[i] = card.hidden ? 0 : 1;
    }

    // --- state ----------------------------------------------------------------------------------
    var state = { service: [], country: [], org: [], lang: [], delivery: [], emergency: false, q: "" };
    var lastSearch = null, lastWasQ = false, generation = 0, pendingUrls = [], urlTimer = 0;

    function flushUrls() {
      clearTimeout(urlTimer);
      urlTimer = 0;
      var writes = pendingUrls;
      pendingUrls = [];
      root.removeAttribute("data-url-pending");
      if (!root.isConnected || window.location.pathname !== path) return;
      writes.forEach(function (write) {
        if (write[1] === window.location.search) return;
        var url = path + write[1] + window.location.hash;
        if (write[0] === "push") history.pushState(history.state, "", url);
        else history.replaceState(history.state, "", url);
      });
    }
    this.flush = function () { if (pendingUrls.length) flushUrls(); };

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      var keep = function (name, pairs) {
        var known = index(pairs);
        var wanted = params.getAll(name);
        return pairs.map(function (p) { return p[0]; }).filter(function (v) {
          return wanted.indexOf(v) >= 0 && known[v] !== undefined;
        });
      };
      state.service = keep("service", services);
      state.org = keep("org", orgs);
      state.lang = keep("lang", languages);
      state.delivery = keep("delivery", delivery);
      state.country = [];
      params.getAll("country").forEach(function (code) {
        code = code.toUpperCase();
        if (countryIx[code] !== undefined && state.country.indexOf(code) < 0) {
          state.country.push(code);
        }
      });
      var e = params.get("emergency");
      state.emergency = e !== null && e !== "" && e !== "0" && e !== "false";
      state.q = (params.get("q") || "").slice(0, 200);
      lastSearch = window.location.search;
    }

    function toQuery() {
      var parts = [];
      PARAMS.forEach(function (name) {
        var values = name === "emergency" ? (state.emergency ? ["1"] : [])
          : name === "q" ? (state.q.trim() ? [state.q.trim()] : []) : state[name];
        values.forEach(function (v) {
          parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(v));
        });
      });
      return parts.length ? "?" + parts.join("&") : "";
    }

    function active() {
      return state.service.length + state.country.length + state.org.length +
        state.lang.length + state.delivery.length + (state.emergency ? 1 : 0) +
        (state.q.trim() ? 1 : 0);
    }

    // --- controls -------------------------------------------------------------------------------
    var controls = root.querySelector("#c4h-controls");
    var boxes = { service: {}, org: {}, lang: {}, delivery: {} };
    var counters = { service: {}, org: {}, lang: {}, delivery: {}, country: {}, emergency: null };
    var form = el("form", { "class": "c4h-form", role: "search", "aria-label": "Filter the offers" });
    var details = el("details", { "class": "c4h-filters" });
    var summary = el("summary", {}, "Filters");
    details.appendChild(summary);
    details.appendChild(form);

    var qLabel = el("label", { "for": "c4h-q", "class": "c4h-q-label" }, "Search the offers");
    var qInput = el("input", {
      type: "search", id: "c4h-q", name: "q", autocomplete: "off", maxlength: "200",
      placeholder: "for example: ransomware, backup"
    });
    var qBox = el("div", { "class": "c4h-q" });
    qBox.appendChild(qLabel);
    qBox.appendChild(qInput);
    form.appendChild(qBox);

    function option(name, value, label) {
      var wrap = el("label", { "class": "c4h-option" });
      var box = el("input", { type: "checkbox", name: name, value: value });
      var count = el("span", { "class": "c4h-n" }, "0");
      wrap.appendChild(box);
      wrap.appendChild(el("span", { "class": "c4h-option-label" }, label));
      wrap.appendChild(document.createTextNode(" "));
      wrap.appendChild(count);
      return { wrap: wrap, box: box, count: count };
    }

    function fieldset(name, legend, hint) {
      var set = el("fieldset", { "class": "c4h-facet", "data-facet": name });
      set.appendChild(el("legend", {}, legend));
      if (hint) set.appendChild(el("p", { "class": "c4h-hint" }, hint));
      form.appendChild(set);
      return set;
    }

    function checkboxFacet(name, legend, pairs, hint) {
      if (!pairs.length) return;
      var set = fieldset(name, legend, hint);
      pairs.forEach(function (pair) {
        var o = option(name, pair[0], pair[1]);
        boxes[name][pair[0]] = o.box;
        counters[name][pair[0]] = o.count;
        set.appendChild(o.wrap);
      });
    }

    // Urgency first: someone under attack should see it before anything else.
    var emergencySet = fieldset("emergency", "Urgency");
    var emergencyOption = option("emergency", "1", "Helps with an attack in progress now");
    emergencySet.appendChild(emergencyOption.wrap);
    counters.emergency = emergencyOption.count;

    checkboxFacet("service", "Service", services);

    // Countries: a native select (a phone shows its own picker) plus the chosen ones as
    // checkboxes; unticking one removes it.
    var countrySet = fieldset("country", "Country",
      "Offers available in the country, in its region, or worldwide.");
    var addRow = el("div", { "class": "c4h-add" });
    var selectLabel = el("label", { "for": "c4h-country-add", "class": "c4h-sr" }, "Add a country");
    var select = el("select", { id: "c4h-country-add", name: "country-add" });
    select.appendChild(el("option", { value: "" }, "Choose a country"));
    var countryOptions = {}, countryCounts = new Int32Array(countries.length).fill(-1);
    countries.forEach(function (pair) {
      var opt = el("option", { value: pair[0] }, pair[1]);
      countryOptions[pair[0]] = opt;
      select.appendChild(opt);
    });
    var addButton = el("button", { type: "button", "class": "c4h-button", id: "c4h-country-button" },
      "Add");
    addRow.appendChild(selectLabel);
    addRow.appendChild(select);
    addRow.appendChild(addButton);
    countrySet.appendChild(addRow);
    var chosen = el("div", { "class": "c4h-chosen", id: "c4h-country-chosen" });
    countrySet.appendChild(chosen);

    checkboxFacet("lang", "Language", languages);
    checkboxFacet("org", "Your organisation", orgs, "Offers open to this kind of organisation.");
    checkboxFacet("delivery", "How", delivery);

    var clear = el("button", { type: "button", "class": "c4h-button c4h-clear", id: "c4h-clear" },
      "Clear all filters");
    form.appendChild(clear);
    controls.appendChild(details);

    function renderChosen() {
      chosen.textContent = "";
      counters.country = {};
      state.country.forEach(function (code) {
        var o = option("country", code, countries[countryIx[code]][1]);
        o.box.checked = true;
        counters.country[code] = o.count;
        chosen.appendChild(o.wrap);
      });
    }

    function syncControls() {
      ["service", "org", "lang", "delivery"].forEach(function (name) {
        for (var value in boxes[name]) {
          if (Object.prototype.hasOwnProperty.call(boxes[name], value)) {
            boxes[name][value].checked = state[name].indexOf(value) >= 0;
          }
        }
      });
      emergencyOption.box.checked = state.emergency;
      if (qInput.value.trim() !== state.q.trim()) qInput.value = state.q;
      renderChosen();
    }

    // --- filtering ------------------------------------------------------------------------------
    var resultCount = root.querySelector("#result-count");
    var resultText = root.querySelector("#result-text");
    var none = root.querySelector("#c4h-none");
    var ask = root.querySelector("#c4h-ask");
    var SERVICE = 0, COUNTRY = 1, ORG = 2, LANG = 3, DELIVERY = 4, EMERGENCY = 5, QUERY = 6;

    function apply(mode) {
      var started = performance.now();
      var selSvc = new Uint8Array(services.length), selOrg = new Uint8Array(orgs.length);
      var selLang = new Uint8Array(languages.length), selDel = new Uint8Array(delivery.length);
      state.service.forEach(function (v) { selSvc[svcIx[v]] = 1; });
      state.org.forEach(function (v) { selOrg[orgIx[v]] = 1; });
      state.lang.forEach(function (v) { selLang[langIx[v]] = 1; });
      state.delivery.forEach(function (v) { selDel[delIx[v]] = 1; });
      var hasSvc = state.service.length > 0, hasOrg = state.org.length > 0;
      var hasLang = state.lang.length > 0, hasDel = state.delivery.length > 0;
      var hasCountry = state.country.length > 0, onlyEmergency = state.emergency;
      var sigMatch = new Uint8Array(sigCountries.length);
      if (hasCountry) {
        var wanted = new Uint8Array(countries.length);
        state.country.forEach(function (code) { wanted[countryIx[code]] = 1; });
        sigCountries.forEach(function (covered, k) {
          for (var j = 0; j < covered.length; j++) if (wanted[covered[j]]) { sigMatch[k] = 1; break; }
        });
      }
      var words = fold(state.q).split(/\s+/).filter(Boolean);
      var hasQ = words.length > 0;

      var cSvc = new Int32Array(services.length), cOrg = new Int32Array(orgs.length);
      var cLang = new Int32Array(languages.length), cDel = new Int32Array(delivery.length);
      var cSig = new Int32Array(sigCountries.length), cEmer = 0, total = 0;
      var chunkShown = new Int32Array(chunks.length);

      for (var i = 0; i < n; i++) {
        var fails = 0, failed = -1, k, list, hit;
        if (hasSvc && !(svc[i] >= 0 && selSvc[svc[i]])) { fails++; failed = SERVICE; }
        if (hasDel && !(del[i] >= 0 && selDel[del[i]])) { fails++; failed = DELIVERY; }
        if (onlyEmergency && !emer[i]) { fails++; failed = EMERGENCY; }
        if (fails < 2 && hasCountry && !sigMatch[sig[i]]) { fails++; failed = COUNTRY; }
        if (fails < 2 && hasOrg) {
          list = orgBits[i]; hit = false;
          for (k = 0; k < list.length; k++) if (selOrg[list[k]]) { hit = true; break; }
          if (!hit) { fails++; failed = ORG; }
        }
        if (fails < 2 && hasLang) {
          list = langs[i]; hit = false;
          for (k = 0; k < list.length; k++) if (selLang[list[k]]) { hit = true; break; }
          if (!hit) { fails++; failed = LANG; }
        }
        if (fails < 2 && hasQ) {
          for (k = 0; k < words.length; k++) {
            if (text[i].indexOf(words[k]) < 0) { fails++; failed = QUERY; break; }
          }
        }
        if (fails === 0 || (fails === 1 && failed === SERVICE)) if (svc[i] >= 0) cSvc[svc[i]]++;
        if (fails === 0 || (fails === 1 && failed === DELIVERY)) if (del[i] >= 0) cDel[del[i]]++;
        if (fails === 0 || (fails === 1 && failed === EMERGENCY)) cEmer += emer[i];
        if (fails === 0 || (fails === 1 && failed === COUNTRY)) cSig[sig[i]]++;
        if (fails === 0 || (fails === 1 && failed === ORG)) {
          list = orgBits[i];
          for (k = 0; k < list.length; k++) cOrg[list[k]]++;
        }
        if (fails === 0 || (fails === 1 && failed === LANG)) {
          list = langs[i];
          for (k = 0; k < list.length; k++) cLang[list[k]]++;
        }
        var match = fails === 0 ? 1 : 0;
        total += match;
        chunkShown[chunkOf[i]] += match;
        if (match !== shown[i]) {
          shown[i] = match;
          cards[i].hidden = !match;
        }
      }

      for (var c = 0; c < chunks.length; c++) {
        var empty = chunkShown[c] === 0;
        if (chunks[c].hidden !== empty) chunks[c].hidden = empty;
        var height = Math.round(chunkShown[c] * cardHeight) + "px";
        if (chunkHeight[c] !== height) {
          chunkHeight[c] = height;
          chunks[c].style.containIntrinsicHeight = height;
        }
      }

      var cCountry = new Int32Array(countries.length);
      for (var s = 0; s < sigCountries.length; s++) {
        if (!cSig[s]) continue;
        var covered = sigCountries[s];
        for (var j = 0; j < covered.length; j++) cCountry[covered[j]] += cSig[s];
      }

      setCounts("service", services, cSvc);
      setCounts("org", orgs, cOrg);
      setCounts("lang", languages, cLang);
      setCounts("delivery", delivery, cDel);
      setText(counters.emergency, String(cEmer));
      countries.forEach(function (pair, idx) {
        if (countryCounts[idx] !== cCountry[idx]) {
          countryCounts[idx] = cCountry[idx];
          countryOptions[pair[0]].text = pair[1] + " (" + cCountry[idx] + ")";
        }
        if (counters.country[pair[0]]) setText(counters.country[pair[0]], String(cCountry[idx]));
      });

      var filters = active();
      setText(resultCount, String(total));
      setText(resultText, filters
        ? (" of " + n + (n === 1 ? " offer matches" : " offers match") + " your choices")
        : (total === 1 ? "offer" : "offers"));
      none.hidden = total > 0;
      summary.textContent = filters ? "Filters (" + filters + " active)" : "Filters";
      clear.disabled = filters === 0;
      ask.href = askUrl();

      // The address follows a moment later: pushState costs Chromium ~10 ms on a page this
      // size, and the list should not wait for it. data-url-pending is set meanwhile; a click
      // anywhere (following a link, say) writes it at once, before anything else happens.
      var query = toQuery();
      lastSearch = query;
      if (mode === "push" || mode === "replace") {
        pendingUrls.push([mode, query]);
        root.setAttribute("data-url-pending", "");
        if (!urlTimer) urlTimer = setTimeout(flushUrls, URL_DELAY);
      }
      generation++;
      root.setAttribute("data-generation", String(generation));
      var ms = performance.now() - started;
      document.dispatchEvent(new CustomEvent("c4h:filtered", {
        detail: { shown: total, total: n, ms: ms }
      }));
    }

    function setText(node, value) {
      if (node && node.textContent !== value) node.textContent = value;
    }

    function setCounts(name, pairs, values) {
      pairs.forEach(function (pair, idx) {
        var node = counters[name][pair[0]];
        if (!node) return;
        setText(node, String(values[idx]));
        node.parentNode.classList.toggle("c4h-zero", values[idx] === 0);
      });
    }

    function askUrl() {
      // The request form's own option labels (generated from the same taxonomy as the form).
      var labels = data.formLabels || {};
      var join = data.formJoin || ", ";
      var params = [];
      var pick = function (field, values) {
        var table = labels[field] || {};
        return values.map(function (v) { return table[v]; }).filter(Boolean);
      };
      var svcLabels = pick("services", state.service);
      if (svcLabels.length) params.push(["services", svcLabels.join(join)]);
      var country = pick("country", state.country.slice(0, 1));
      if (country.length) params.push(["country", country[0]]);
      var org = pick("org_type", state.org.slice(0, 1));
      if (org.length) params.push(["org_type", org[0]]);
      var langLabels = pick("languages", state.lang);
      if (langLabels.length) params.push(["languages", langLabels.join(join)]);
      return data.form + params.map(function (p) {
        return "&" + p[0] + "=" + encodeURIComponent(p[1]);
      }).join("");
    }

    // --- events ---------------------------------------------------------------------------------
    function changed(mode) {
      if (mode !== "typing") lastWasQ = false;
      apply(mode === "typing" ? (lastWasQ ? "replace" : "push") : "push");
      if (mode === "typing") lastWasQ = true;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = qInput.value;
      changed("typing");
    });

    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target === select || target === qInput) return;
      var name = target.name;
      if (name === "emergency") {
        state.emergency = target.checked;
      } else if (name === "country") {
        if (!target.checked) {
          state.country = state.country.filter(function (c) { return c !== target.value; });
          renderChosen();
          select.focus();
        }
      } else if (state[name]) {
        var pairs = { service: services, org: orgs, lang: languages, delivery: delivery }[name];
        state[name] = pairs.map(function (p) { return p[0]; }).filter(function (v) {
          return boxes[name][v].checked;
        });
      } else {
        return;
      }
      changed("click");
    });

    var timer = null;
    qInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        state.q = qInput.value;
        changed("typing");
      }, 150);
    });
    qInput.addEventListener("blur", function () { lastWasQ = false; });

    function addCountry() {
      var code = select.value;
      if (!code) return;
      if (state.country.indexOf(code) < 0) state.country.push(code);
      select.value = "";
      renderChosen();
      changed("click");
    }
    // A pointer (mouse, finger) picks from the list and is done; a keyboard moving through a
    // closed list fires "change" at every step, so there the Add button confirms.
    var byPointer = false;
    select.addEventListener("pointerdown", function () { byPointer = true; });
    select.addEventListener("keydown", function (event) {
      byPointer = false;
      if (event.key === "Enter") { event.preventDefault(); addCountry(); }
    });
    select.addEventListener("change", function () { if (byPointer) addCountry(); });
    addButton.addEventListener("click", addCountry);

    clear.addEventListener("click", function () {
      state = { service: [], country: [], org: [], lang: [], delivery: [], emergency: false, q: "" };
      syncControls();
      changed("click");
      qInput.focus();
    });

    this.sync = function () {
      if (pendingUrls.length) {  // Back was pressed before the address was written: drop it
        clearTimeout(urlTimer);
        urlTimer = 0;
        pendingUrls = [];
        root.removeAttribute("data-url-pending");
      }
      if (window.location.search === lastSearch) return;  // our own change, or none
      fromUrl();
      syncControls();
      apply("none");
    };

    // --- start ----------------------------------------------------------------------------------
    var nojs = root.querySelector(".c4h-nojs");
    if (nojs) nojs.hidden = true;
    details.open = window.matchMedia("(min-width: 60em)").matches;
    fromUrl();
    syncControls();
    apply("none");
    root.classList.add("c4h-ready");
    self.ready = true;
  }

  function init() {
    // The theme's search dialog has no accessible name; give it one.
    var search = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    if (search) search.setAttribute("aria-label", "Search the site");
    var root = document.getElementById("c4h-directory");
    if (!root || root.getAttribute("data-enhanced")) return;
    root.setAttribute("data-enhanced", "1");
    current = new Directory(root);
  }

  function sync() {
    if (current && current.root.isConnected) current.sync();
  }

  window.addEventListener("popstate", sync);
  // Before any click is handled (instant navigation pushes its own history entry on click),
  // write the address of the last filter change.
  document.addEventListener("click", function () { if (current) current.flush(); }, true);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
    // Instant navigation to a link on the same page changes the URL without popstate.
    if (window.location$ && typeof window.location$.subscribe === "function") {
      window.location$.subscribe(function () { setTimeout(sync, 0); });
    }
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
