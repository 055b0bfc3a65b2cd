/* Dossier: explorer. Plain JavaScript, no network: works from file:// and from a server.

   Each network picture (a build-time SVG, which stays the picture without JavaScript and
   in print) gets an "Explore" button. It opens a full-screen dialog drawn with Cytoscape.js
   (shipped in assets/javascripts/cytoscape/): zoom and pan, focus a node to see its
   neighbours and lines, filters (type, relation, status, confidence, dates) and a table of
   what is shown. The graph's data (assets/dossier/graph.js, window.dossierGraph) is loaded
   with a <script> only when a reader opens the explorer; both paths are taken relative to
   this script's own address. Text from content goes in with textContent only. */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  if (!here) return;
  var ROOT = here.replace(/assets\/javascripts\/explorer\.js([?#].*)?$/, "");
  var LIB = ROOT + "assets/javascripts/cytoscape/cytoscape.min.js";
  var DATA = ROOT + "assets/dossier/graph.js";
  var TABLE_ROWS = 500;     // rows each table shows (a 10,000-entity dossier has 64,000 lines)
  /* What the filters leave: by our own class, not Cytoscape's ":visible", which still
     counted 268 of 276 lines visible right after a filter had hidden all but 10 (and its
     selector ":not(.dx-hidden)" matched every element). */
  function shown(elements) { return elements.filter(function (x) { return !x.hasClass("dx-hidden"); }); }
  var LARGE = 500;          // the most entities a scope adds at once (see benchmarks/RESULTS.md)

  // --- small helpers -----------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, cls, onClick) {
    var b = el("button", { type: "button", "class": "dx-button " + (cls || "") }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  var loading = {};
  function load(src, ready) {  // a <script src>: works from file://, where fetch does not
    if (loading[src]) { loading[src].push(ready); return; }
    loading[src] = [ready];
    var s = el("script", { src: src });
    function done(ok) { var queue = loading[src]; loading[src] = null; queue.forEach(function (f) { f(ok); }); }
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }

  /* A scheme colour as the canvas needs it (rgb()): Material's variables hold var() and
     hsla() expressions, which only the browser's own styles resolve. */
  function schemeColour(name, fallback) {
    var probe = el("span", { style: "display:none;color:var(" + name + ")" });
    document.body.appendChild(probe);
    var v = getComputedStyle(probe).color;
    probe.remove();
    return v || fallback;
  }

  // --- the data ------------------------------------------------------------------------

  /* window.dossierGraph's rows (generator/pages/explorer.py) as objects, indexed by id. */
  function readGraph(raw) {
    var undirected = {};
    (raw.undirected || []).forEach(function (k) { undirected[k] = true; });
    var g = { types: {}, typeOrder: [], kinds: raw.kinds, statuses: raw.statuses, undirected: undirected,
              confidences: raw.confidences, nodes: {}, order: [], edges: [], byHref: {} };
    raw.types.forEach(function (t) {
      g.types[t[0]] = { label: t[1], plural: t[2], colour: t[3] };
      g.typeOrder.push(t[0]);
    });
    raw.nodes.forEach(function (n) {
      var node = { id: n[0], name: n[1], type: n[2], href: n[3], degree: n[4], lines: [] };
      g.nodes[node.id] = node;
      g.order.push(node);
      g.byHref[new URL(node.href, ROOT).href] = node;
    });
    raw.edges.forEach(function (e, k) {
      var s = raw.nodes[e[0]][0], t = raw.nodes[e[1]][0];
      var line = { id: "e" + k, source: s, target: t, kind: e[2], status: e[3] || "",
                   confidence: e[4] || "", start: e[5] || "", end: e[6] || "", circa: !!e[7],
                   words: e[8] || raw.kinds[e[2]] };
      g.edges.push(line);
      g.nodes[s].lines.push(line);
      g.nodes[t].lines.push(line);
    });
    return g;
  }

  /* What a line's status, confidence and dates say, as the panel and the table show them. */
  function facts(g, line) {
    return [g.statuses[line.status] || line.status, g.confidences[line.confidence] || line.confidence, dates(line)]
      .filter(function (x) { return x; }).join(", ");
  }

  function dates(line) {
    var c = line.circa ? "c. " : "";
    if (line.start && line.end) return c + line.start + " – " + c + line.end;
    if (line.start) return "since " + c + line.start;
    if (line.end) return "until " + c + line.end;
    return "";
  }

  /* What a picture shows: its kind ("all", "ego" or a type), and its nodes' places. */
  function readPicture(box) {
    var svgs = box.querySelectorAll("svg.dossier-network");
    var svg = box.querySelector("svg.dossier-network.dg-large") || svgs[0];
    var named = (svg.getAttribute("aria-labelledby") || "").match(/^dg-([a-z]+)/);
    var places = [];
    svg.querySelectorAll("a").forEach(function (a) {
      var c = a.querySelector("circle");
      var href = a.getAttribute("href") || a.getAttribute("xlink:href");
      if (!c || !href) return;
      places.push({ href: new URL(href, location.href).href,
                    x: parseFloat(c.getAttribute("cx")), y: parseFloat(c.getAttribute("cy")) });
    });
    return { kind: named ? named[1] : "all", places: places };
  }

  // --- the explorer ------------------------------------------------------------------------

  function Explorer(g, picture) {
    this.g = g;
    this.picture = picture;
    this.focused = null;
    this.shown = {};  // ids of the entities in scope (filters then hide some of them)
    this.build();
  }

  var made = 0;  // explorers on this page: each dialog's title gets an id of its own

  Explorer.prototype.build = function () {
    var self = this, titleId = "dx-title-" + (++made);
    var dialog = this.dialog = el("dialog", { "class": "dx-dialog", "aria-labelledby": titleId });
    var head = el("div", { "class": "dx-head" });
    this.title = el("h2", { id: titleId }, "Explore the network");
    head.appendChild(this.title);
    head.appendChild(button("Close", "dx-close", function () { self.close(); }));
    dialog.appendChild(head);

    var tools = el("div", { "class": "dx-tools", role: "toolbar", "aria-label": "View" });
    tools.appendChild(button("Zoom in", "dx-zoom-in", function () { self.zoomBy(1.4); }));
    tools.appendChild(button("Zoom out", "dx-zoom-out", function () { self.zoomBy(1 / 1.4); }));
    tools.appendChild(button("Fit", "dx-fit", function () { self.fit(); }));
    this.tableToggle = button("Table", "dx-table-toggle", function () { self.showTable(!self.tableShown); });
    this.tableToggle.setAttribute("aria-pressed", "false");
    tools.appendChild(this.tableToggle);
    this.scope = el("select", { "class": "dx-scope", "aria-label": "Entities shown" });
    this.scope.addEventListener("change", function () { self.setScope(self.scope.value); });
    var scopeLabel = el("label", { "class": "dx-scope-label" }, "Show ");
    scopeLabel.appendChild(this.scope);
    tools.appendChild(scopeLabel);
    tools.appendChild(this.buildFind());
    dialog.appendChild(tools);

    dialog.appendChild(this.buildFilters());
    this.status = el("p", { "class": "dx-status", role: "status" });
    dialog.appendChild(this.status);

    var body = el("div", { "class": "dx-body" });
    this.stage = el("div", { "class": "dx-stage", tabindex: "0", role: "application",
                             "aria-label": "Network drawing: arrow keys pan, + and - zoom, 0 fits; " +
                                           "use the Table to reach each entity" });
    this.stage.addEventListener("keydown", function (ev) { self.onKey(ev); });
    body.appendChild(this.stage);
    this.tableBox = el("div", { "class": "dx-tables", hidden: "" });
    body.appendChild(this.tableBox);
    this.panel = el("aside", { "class": "dx-panel", "aria-label": "Focused entity" });
    body.appendChild(this.panel);
    dialog.appendChild(body);
    // keys typed in the explorer are its own: Material's shortcuts (n, p, s, /) must not
    // turn the page behind it (Escape still closes: the browser's, not a listener's)
    dialog.addEventListener("keydown", function (ev) { ev.stopPropagation(); });
    dialog.addEventListener("close", function () {  // the Close button, or Escape
      document.documentElement.classList.remove("dx-open-page");
      if (self.opener) self.opener.focus();
    });
    document.body.appendChild(dialog);
  };

  /* Find an entity by name, anywhere in the dossier: suggestions as one types (the first
     20 names holding the text), Enter focuses it, drawn with its links if it was not. */
  Explorer.prototype.buildFind = function () {
    var self = this, g = this.g;
    var label = el("label", { "class": "dx-find-label" }, "Find ");
    var list = el("datalist", { id: "dx-names" });
    var input = this.findInput = el("input", { type: "search", "class": "dx-find", list: "dx-names",
                                               autocomplete: "off", "aria-label": "Find an entity by name" });
    function matches(text) {
      var q = text.trim().toLocaleLowerCase();
      if (!q) return [];
      return g.order.filter(function (n) { return n.name.toLocaleLowerCase().indexOf(q) >= 0; }).sort(function (a, b) {
        var ea = a.name.toLocaleLowerCase() === q ? 0 : 1, eb = b.name.toLocaleLowerCase() === q ? 0 : 1;
        return ea - eb || byDegree(a, b);
      });
    }
    input.addEventListener("input", function () {
      list.textContent = "";
      matches(input.value).slice(0, 20).forEach(function (n) { list.appendChild(el("option", { value: n.name })); });
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      var found = matches(input.value)[0];
      if (found) self.find(found.id);
      else self.status.textContent = "No entity's name holds “" + input.value + "”.";
    });
    label.appendChild(input);
    label.appendChild(list);
    return label;
  };

  Explorer.prototype.find = function (id) {
    if (!this.shown[id]) this.expand(id);
    else this.focus(id);
  };

  Explorer.prototype.buildFilters = function () {
    var self = this, g = this.g;
    var box = el("details", { "class": "dx-filters" });
    box.appendChild(el("summary", {}, "Filters"));
    this.checks = {};
    function group(name, legend, entries) {
      var set = el("fieldset", { "class": "dx-filter-" + name });
      set.appendChild(el("legend", {}, legend));
      self.checks[name] = {};
      [["All", true], ["None", false]].forEach(function (choice) {
        var b = button(choice[0], "dx-all", function () {
          Object.keys(self.checks[name]).forEach(function (k) { self.checks[name][k].checked = choice[1]; });
          self.apply();
        });
        b.setAttribute("aria-label", choice[0] + ": " + legend.toLowerCase());
        set.appendChild(b);
      });
      entries.forEach(function (entry) {
        var label = el("label", {});
        var input = el("input", { type: "checkbox", value: entry[0] });
        input.checked = true;
        input.addEventListener("change", function () { self.apply(); });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + entry[1]));
        set.appendChild(label);
        self.checks[name][entry[0]] = input;
      });
      box.appendChild(set);
    }
    var usedTypes = {}, usedKinds = {}, usedStatus = {}, usedConf = {};
    g.order.forEach(function (n) { usedTypes[n.type] = true; });
    g.edges.forEach(function (e) { usedKinds[e.kind] = true; usedStatus[e.status] = true; usedConf[e.confidence] = true; });
    group("type", "Entity types", g.typeOrder.filter(function (t) { return usedTypes[t]; })
      .map(function (t) { return [t, g.types[t].plural]; }));
    group("kind", "Relations", Object.keys(g.kinds).filter(function (k) { return usedKinds[k]; })
      .map(function (k) { return [k, g.kinds[k]]; }));
    group("status", "Status", Object.keys(g.statuses).filter(function (k) { return usedStatus[k]; })
      .map(function (k) { return [k, g.statuses[k]]; }).concat(usedStatus[""] ? [["", "no status given"]] : []));
    group("confidence", "Confidence", Object.keys(g.confidences).filter(function (k) { return usedConf[k]; })
      .map(function (k) { return [k, g.confidences[k]]; }).concat(usedConf[""] ? [["", "no confidence given"]] : []));
    var when = el("fieldset", { "class": "dx-filter-dates" });
    when.appendChild(el("legend", {}, "Dates (years)"));
    this.from = el("input", { type: "number", inputmode: "numeric", "class": "dx-from", "aria-label": "From year" });
    this.to = el("input", { type: "number", inputmode: "numeric", "class": "dx-to", "aria-label": "To year" });
    var undated = el("label", {});
    this.undated = el("input", { type: "checkbox", "class": "dx-undated" });
    this.undated.checked = true;
    undated.appendChild(this.undated);
    undated.appendChild(document.createTextNode(" undated lines"));
    [this.from, this.to, this.undated].forEach(function (i) { i.addEventListener("change", function () { self.apply(); }); });
    var f = el("label", {}, "from "); f.appendChild(this.from);
    var t = el("label", {}, "to "); t.appendChild(this.to);
    when.appendChild(f); when.appendChild(t); when.appendChild(undated);
    box.appendChild(when);
    return box;
  };

  Explorer.prototype.open = function () {
    document.documentElement.classList.add("dx-open-page");
    // the button had been disabled while the library loaded, which may have taken its
    // focus: give it back first, so the browser itself returns there when the dialog closes
    // (at once, where the close event below only comes in a later task)
    if (this.opener && document.activeElement !== this.opener) this.opener.focus();
    this.dialog.showModal();
    if (!this.cy) this.draw();
    else { this.cy.resize(); }
    this.stage.focus();
    return this;
  };

  Explorer.prototype.close = function () { this.dialog.close(); };

  /* The scopes a picture offers: its own entities (and a profile's every neighbour), the
     best connected of the dossier, and all of it when that is small enough to draw. */
  Explorer.prototype.scopes = function () {
    var g = this.g, pic = this.picture, byHref = g.byHref, own = [], seen = {};
    pic.places.forEach(function (p) { var n = byHref[p.href]; if (n && !seen[n.id]) { seen[n.id] = 1; own.push(n.id); } });
    var centre = byHref[location.href.split(/[?#]/)[0]];
    var options = [];
    if (pic.kind === "ego" && centre) {
      this.centre = centre.id;
      var around = [centre.id];
      centre.lines.forEach(function (l) { var o = l.source === centre.id ? l.target : l.source; if (around.indexOf(o) < 0) around.push(o); });
      options.push(["ego", "Direct links of " + centre.name + " (" + around.length + ")", around]);
    } else if (pic.kind !== "all" && g.types[pic.kind]) {
      options.push(["picture", g.types[pic.kind].plural + " picture (" + own.length + ")", own]);
      var ofType = g.order.filter(function (n) { return n.type === pic.kind; }).sort(byDegree).slice(0, LARGE)
        .map(function (n) { return n.id; });
      options.push(["type", "All " + g.types[pic.kind].plural.toLowerCase() + " (" + ofType.length + ")", ofType]);
    } else {
      options.push(["picture", "This picture (" + own.length + ")", own]);
    }
    var all = g.order.length;
    var best = g.order.slice().sort(byDegree).slice(0, LARGE).map(function (n) { return n.id; });
    options.push(["dossier", all > LARGE ? "The " + LARGE + " best connected of " + all : "Whole dossier (" + all + ")", best]);
    // a picture whose links name no entity of the data (a template of one's own) offers none
    return options.filter(function (o, k) { return o[2].length || k === options.length - 1; });
  };

  function byDegree(a, b) { return b.degree - a.degree || (a.id < b.id ? -1 : 1); }

  Explorer.prototype.draw = function () {
    var self = this;
    this.options = this.scopes();
    this.options.forEach(function (o) { self.scope.appendChild(el("option", { value: o[0] }, o[1])); });
    var fg = schemeColour("--md-default-fg-color", "#222"), bg = schemeColour("--md-default-bg-color", "#fff");
    var accent = schemeColour("--md-accent-fg-color", "#526cfe");
    /* A large scope (the 10,000-entity benchmark's 500 best connected: 3,173 lines) drew in
       7 s and zoomed in 3.8 s with curved, arrowed lines on a loaded 2-core machine; straight
       lines ("haystack") and a still image while zooming (`textureOnViewport`) make it
       usable (figures in benchmarks/RESULTS.md). */
    var large = this.options.some(function (o) { return o[2].length > 150; });
    /* ...and with many lines, names appear only from 100 % zoom up (and for a focused
       neighbourhood): measuring 500 labels for every fit took most of the draw. */
    this.cy = window.cytoscape({
      container: this.stage, minZoom: 0.05, maxZoom: 6, pixelRatio: 1,
      textureOnViewport: large, hideEdgesOnViewport: large,
      style: [
        { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)",
            label: "data(name)", "font-size": 11, color: fg, "text-outline-color": bg, "text-outline-width": 2,
            "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 8, "text-wrap": "ellipsis",
            "text-max-width": "160px", "border-width": 1, "border-color": bg } },
        { selector: "edge", style: { width: 1, "line-color": fg, "line-opacity": 0.5, "curve-style": "bezier",
            "target-arrow-shape": "triangle", "target-arrow-color": fg, "arrow-scale": 0.6 } },
        { selector: "edge.dx-undirected", style: { "target-arrow-shape": "none" } },
        { selector: "edge.dx-many", style: { "curve-style": "haystack", "target-arrow-shape": "none", "line-opacity": 0.3 } },
        { selector: "node.dx-many", style: { "text-outline-width": 0, label: "" } },
        { selector: "node.dx-many.dx-near, node.dx-many.dx-focus, node.dx-many.dx-labelled", style: { label: "data(name)" } },
        { selector: ".dx-hidden", style: { display: "none" } },
        { selector: ".dx-faded", style: { opacity: 0.12, "text-opacity": 0 } },
        { selector: "node.dx-near", style: { "min-zoomed-font-size": 0 } },
        { selector: "node.dx-focus", style: { "border-width": 4, "border-color": accent, "min-zoomed-font-size": 0, "font-weight": "bold" } },
        { selector: "edge.dx-near", style: { "line-color": accent, "target-arrow-color": accent, "line-opacity": 1, width: 2,
            label: "data(words)", "font-size": 10, color: fg, "text-outline-color": bg, "text-outline-width": 2,
            "text-rotation": "autorotate", "min-zoomed-font-size": 0 } }
      ]
    });
    this.cy.on("tap", "node", function (ev) { self.focus(ev.target.id()); });
    this.cy.on("tap", function (ev) { if (ev.target === self.cy) self.focus(null); });
    this.cy.on("tap mouseover", "edge", function (ev) { self.say(ev.target.id()); });
    this.cy.on("viewport", function () { self.noteViewport(); });
    this.setScope(this.options[0][0]);
  };

  Explorer.prototype.setScope = function (name) {
    var option = this.options.filter(function (o) { return o[0] === name; })[0];
    this.scope.value = name;
    this.show(option[2], name === "picture");
  };

  /* Draw `ids` (replacing what is drawn): at the picture's places when it has them all,
     else laid out (a profile's links around it; others in rings by degree). */
  Explorer.prototype.show = function (ids, atPlaces) {
    var self = this, g = this.g, cy = this.cy, maxDeg = 1;
    this.shown = {};
    ids.forEach(function (i) { self.shown[i] = true; maxDeg = Math.max(maxDeg, g.nodes[i].degree); });
    var places = {};
    this.picture.places.forEach(function (p) { var n = g.byHref[p.href]; if (n) places[n.id] = p; });
    var elements = ids.map(function (i) {
      var n = g.nodes[i];
      return { group: "nodes", data: { id: n.id, name: n.name, type: n.type, colour: g.types[n.type].colour,
               degree: n.degree, size: 10 + 22 * Math.sqrt(n.degree / maxDeg) },
               position: places[i] ? { x: places[i].x, y: places[i].y } : { x: 0, y: 0 } };
    });
    g.edges.forEach(function (e) {
      if (self.shown[e.source] && self.shown[e.target]) {
        elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, words: e.words },
                        classes: g.undirected[e.kind] ? "dx-undirected" : "" });
      }
    });
    this.focused = null;
    var many = elements.length - ids.length > 400;
    cy.batch(function () {
      cy.elements().remove();
      cy.add(elements);
      if (many) cy.elements().addClass("dx-many");
    });
    this.near = null;
    var haveAll = atPlaces && ids.every(function (i) { return places[i]; });
    var layout;
    if (haveAll) layout = { name: "preset" };
    else if (this.centre && this.shown[this.centre] && ids.length < 200) {
      var aspect = Math.min(1.6, Math.max(0.7, this.stage.clientWidth / Math.max(1, this.stage.clientHeight)));
      layout = { name: "preset", positions: ring(this.centre, ids.map(function (i) { return g.nodes[i]; }), g, aspect) };
    } else if (ids.length <= 150) {
      layout = { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 40000; },
                 idealEdgeLength: function () { return 90; }, numIter: 600 };
    } else {
      layout = { name: "preset", positions: sunflower(ids.map(function (i) { return g.nodes[i]; })) };
    }
    layout.fit = false;  // fitted once, below, to what the filters leave visible
    cy.layout(layout).run();
    this.apply();
    this.fit();
    this.showPanel();
  };

  /* A profile's links: the profile in the middle, the others around it by type and name,
     as on its picture, on an ellipse shaped like the stage and long enough for their
     names (about 40 px each). */
  function ring(centre, nodes, g, aspect) {
    var others = nodes.filter(function (n) { return n.id !== centre; }).sort(function (a, b) {
      return g.typeOrder.indexOf(a.type) - g.typeOrder.indexOf(b.type) || a.name.localeCompare(b.name);
    });
    var places = {}, r = Math.max(160, others.length * 40 / (2 * Math.PI));
    places[centre] = { x: 0, y: 0 };
    others.forEach(function (n, k) {
      var a = -Math.PI / 2 + 2 * Math.PI * k / others.length;
      places[n.id] = { x: aspect * r * Math.cos(a), y: r * Math.sin(a) };
    });
    return places;
  }

  /* Places on a sunflower spiral, best connected in the middle: what a large scope is
     drawn with (Cytoscape's concentric layout took 1.3 s for 500 entities; this, none). */
  function sunflower(nodes) {
    var places = {}, turn = Math.PI * (3 - Math.sqrt(5));
    nodes.slice().sort(byDegree).forEach(function (n, k) {
      places[n.id] = { x: 28 * Math.sqrt(k) * Math.cos(k * turn), y: 28 * Math.sqrt(k) * Math.sin(k * turn) };
    });
    return places;
  }

  Explorer.prototype.passes = function (line) {
    var c = this.checks;
    if (!c.kind[line.kind].checked || !c.status[line.status].checked || !c.confidence[line.confidence].checked) return false;
    var from = parseInt(this.from.value, 10), to = parseInt(this.to.value, 10);
    if (isNaN(from) && isNaN(to)) return true;
    if (!line.start && !line.end) return this.undated.checked;
    var first = parseInt(line.start || line.end, 10), last = parseInt(line.end || "9999", 10);
    return (isNaN(from) || last >= from) && (isNaN(to) || first <= to);
  };

  /* Hide what the filters leave out: entities of unchecked types, lines that do not pass,
     and entities left without a line (but a profile's own centre). */
  Explorer.prototype.apply = function () {
    var self = this, cy = this.cy, g = this.g;
    if (!cy) return;
    var typeOk = function (id) { return self.checks.type[g.nodes[id].type].checked; };
    var linked = {};
    cy.batch(function () {
      cy.edges().forEach(function (edge) {
        var line = g.edges[parseInt(edge.id().slice(1), 10)];
        var ok = typeOk(line.source) && typeOk(line.target) && self.passes(line);
        edge.toggleClass("dx-hidden", !ok);
        if (ok) { linked[line.source] = true; linked[line.target] = true; }
      });
      var edgeFilter = self.filtering();
      cy.nodes().forEach(function (node) {
        var id = node.id();
        var ok = typeOk(id) && (!edgeFilter || linked[id] || id === self.centre);
        node.toggleClass("dx-hidden", !ok);
      });
    });
    if (this.focused && cy.getElementById(this.focused).hasClass("dx-hidden")) this.focus(null);
    else this.highlight();
    var n = shown(cy.nodes()).length, e = shown(cy.edges()).length;
    this.status.textContent = n + " entities and " + e + " lines shown" +
      (this.focused ? "; focused: " + g.nodes[this.focused].name : "") + ".";
    if (this.tableShown) this.fillTables();
  };

  /* Whether a filter on lines is set (then entities left without a line are hidden). */
  Explorer.prototype.filtering = function () {
    var c = this.checks, off = function (group) {
      return Object.keys(c[group]).some(function (k) { return !c[group][k].checked; });
    };
    return off("kind") || off("status") || off("confidence") || this.from.value !== "" || this.to.value !== "";
  };

  Explorer.prototype.focus = function (id) {
    this.focused = id && this.shown[id] ? id : null;
    this.highlight();
    this.showPanel();
    if (this.focused) {
      var node = this.cy.getElementById(this.focused), p = node.position(), view = this.cy.extent();
      if (p.x < view.x1 || p.x > view.x2 || p.y < view.y1 || p.y > view.y2) this.cy.center(node);
      this.status.textContent = "Focused: " + this.g.nodes[id].name + " and its " +
        shown(node.neighborhood("node")).length + " neighbours shown.";
    }
  };

  /* The focused entity, its visible neighbours and the lines between them stand out; the
     rest is dimmed. */
  Explorer.prototype.highlight = function () {
    var cy = this.cy, focused = this.focused;
    cy.batch(function () {
      cy.elements().removeClass("dx-faded dx-near dx-focus");
      if (!focused) return;
      var node = cy.getElementById(focused);
      var edges = shown(node.connectedEdges());
      var near = shown(edges.connectedNodes()).union(node);
      cy.elements().difference(near).difference(edges).addClass("dx-faded");
      edges.addClass("dx-near");
      near.addClass("dx-near");
      node.removeClass("dx-near").addClass("dx-focus");
    });
  };

  /* A line's whole statement in the status line (pointed at or tapped: the pictures
     kept it in a tooltip that neither a keyboard nor a finger reaches). */
  Explorer.prototype.say = function (edgeId) {
    var g = this.g, line = g.edges[parseInt(edgeId.slice(1), 10)], known = facts(g, line);
    this.status.textContent = g.nodes[line.source].name + " → " + line.words + " → " +
      g.nodes[line.target].name + (known ? " (" + known + ")" : "") + ".";
  };

  /* The side panel: the focused entity, a link to its profile, its lines as statements. */
  Explorer.prototype.showPanel = function () {
    var self = this, g = this.g, panel = this.panel;
    panel.textContent = "";
    if (!this.focused) {
      panel.appendChild(el("p", {}, "Select an entity (click or tap it, or use the Table) to see its links."));
      return;
    }
    var n = g.nodes[this.focused];
    panel.appendChild(el("h3", { "class": "dx-focus-name" }, n.name));
    panel.appendChild(el("p", { "class": "dx-focus-type" }, g.types[n.type].label));
    var actions = el("p", {});
    var open = el("a", { href: ROOT + n.href, "class": "dx-button dx-profile" }, "Open profile");
    actions.appendChild(open);
    var hidden = n.lines.some(function (l) { return !self.shown[l.source] || !self.shown[l.target]; });
    if (hidden) actions.appendChild(button("Show all its links", "dx-expand", function () { self.expand(n.id); }));
    actions.appendChild(button("Clear focus", "dx-clear", function () { self.focus(null); self.stage.focus(); }));
    panel.appendChild(actions);
    var list = el("ul", { "class": "dx-lines" });
    n.lines.forEach(function (line) {
      var edge = self.cy.getElementById(line.id);
      if (!edge.length || edge.hasClass("dx-hidden")) return;
      var other = line.source === n.id ? line.target : line.source;
      var item = el("li", {});
      [line.source, " → " + line.words + " → ", line.target].forEach(function (part, k) {
        if (k === 1) item.appendChild(document.createTextNode(part));
        else if (part === other) item.appendChild(button(g.nodes[part].name, "dx-goto", function () { self.focus(other); }));
        else item.appendChild(document.createTextNode(g.nodes[part].name));
      });
      var known = facts(g, line);
      if (known) item.appendChild(el("span", { "class": "dx-facts" }, " (" + known + ")"));
      list.appendChild(item);
    });
    panel.appendChild(list);
  };

  /* Add every neighbour of `id` to what is drawn, placed around it. */
  Explorer.prototype.expand = function (id) {
    var self = this, g = this.g, ids = Object.keys(this.shown);
    if (!this.shown[id]) { this.shown[id] = true; ids.push(id); }
    g.nodes[id].lines.forEach(function (l) {
      [l.source, l.target].forEach(function (o) { if (!self.shown[o]) { self.shown[o] = true; ids.push(o); } });
    });
    this.show(ids, false);
    this.noteScope(ids);
    this.focus(id);
  };

  /* What "Show all its links" and Find drew, as a scope of its own in the Show menu, so
     that the menu says what is drawn and the reader can come back to it. */
  Explorer.prototype.noteScope = function (ids) {
    var label = "What you opened (" + ids.length + ")", option = this.scope.querySelector('option[value="opened"]');
    this.options = this.options.filter(function (o) { return o[0] !== "opened"; }).concat([["opened", label, ids]]);
    if (!option) option = this.scope.appendChild(el("option", { value: "opened" }));
    option.textContent = label;
    this.scope.value = "opened";
  };

  /* Everything shown in view, never larger than twice its size (four entities would
     otherwise fill the screen). */
  Explorer.prototype.fit = function () {
    var cy = this.cy;
    cy.fit(shown(cy.nodes()), 30);  // lines lie between their ends: their boxes took 0.8 of 1.5 s at 500
    if (cy.zoom() > 1.5) cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    this.noteViewport();
  };

  Explorer.prototype.zoomBy = function (factor) {
    var cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  Explorer.prototype.onKey = function (ev) {
    var step = 60, cy = this.cy;
    var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[ev.key]) cy.panBy({ x: moves[ev.key][0], y: moves[ev.key][1] });
    else if (ev.key === "+" || ev.key === "=") this.zoomBy(1.4);
    else if (ev.key === "-") this.zoomBy(1 / 1.4);
    else if (ev.key === "0") this.fit();
    else return;
    ev.preventDefault();
  };

  /* The view's zoom and pan, on the stage's data attributes (what a test can read). */
  Explorer.prototype.noteViewport = function () {
    var cy = this.cy, pan = cy.pan(), near = cy.zoom() >= 1;
    if (near !== this.near) {  // a large scope's names, once they can be read (see draw)
      this.near = near;
      cy.nodes(".dx-many").toggleClass("dx-labelled", near);
    }
    this.stage.setAttribute("data-zoom", cy.zoom().toFixed(4));
    this.stage.setAttribute("data-pan", pan.x.toFixed(1) + "," + pan.y.toFixed(1));
  };

  Explorer.prototype.showTable = function (on) {
    this.tableShown = on;
    this.tableToggle.setAttribute("aria-pressed", on ? "true" : "false");
    this.tableBox.hidden = !on;
    this.stage.hidden = on;
    if (on) this.fillTables(); else { this.cy.resize(); }
  };

  /* What is shown, as two tables: the entities (each a button that focuses it) and the
     lines, the first TABLE_ROWS of each. */
  Explorer.prototype.fillTables = function () {
    var self = this, g = this.g, box = this.tableBox;
    box.textContent = "";
    var nodes = shown(this.cy.nodes()).map(function (n) { return g.nodes[n.id()]; }).sort(byDegree);
    var lines = shown(this.cy.edges()).map(function (e) { return g.edges[parseInt(e.id().slice(1), 10)]; });
    box.appendChild(table("dx-nodes", "Entities shown", nodes.length, ["Name", "Type", "Links"], nodes.slice(0, TABLE_ROWS).map(function (n) {
      var b = button(n.name, "dx-goto", function () { self.showTable(false); self.focus(n.id); self.stage.focus(); });
      if (n.id === self.focused) b.setAttribute("aria-current", "true");
      return [b, g.types[n.type].label, String(n.degree)];
    })));
    box.appendChild(table("dx-edges", "Lines shown", lines.length, ["From", "Relation", "To", "Status", "Confidence", "Dates"],
      lines.slice(0, TABLE_ROWS).map(function (l) {
        return [g.nodes[l.source].name, l.words, g.nodes[l.target].name, g.statuses[l.status] || l.status,
                g.confidences[l.confidence] || l.confidence, dates(l)];
      })));
  };

  function table(cls, caption, total, heads, rows) {
    var t = el("table", { "class": "dx-table " + cls });
    t.appendChild(el("caption", {}, caption + " (" + (rows.length < total ? "first " + rows.length + " of " : "") + total + ")"));
    var head = el("tr", {});
    heads.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    t.appendChild(el("thead", {})).appendChild(head);
    var body = t.appendChild(el("tbody", {}));
    rows.forEach(function (cells) {
      var tr = el("tr", {});
      cells.forEach(function (c) {
        var td = el("td", {});
        if (typeof c === "string") td.textContent = c; else td.appendChild(c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    return t;
  }

  // --- the buttons next to the pictures ---------------------------------------------------

  function openFor(box, opener) {
    opener.disabled = true;
    var ready = 0, ok = true;
    function go(loaded) {
      ok = ok && loaded;
      if (++ready < 2) return;
      opener.disabled = false;
      if (!ok || !window.cytoscape || !window.dossierGraph) {
        opener.nextSibling.textContent = "The explorer could not be loaded.";
        return;
      }
      if (!api.graph) api.graph = readGraph(window.dossierGraph);
      var x = box._explorer || (box._explorer = new Explorer(api.graph, readPicture(box)));
      x.opener = opener;
      api.current = x;
      x.open();
    }
    if (window.cytoscape) go(true); else load(LIB, go);
    if (window.dossierGraph) go(true); else load(DATA, go);
  }

  function enhance() {
    document.querySelectorAll(".dossier-graph").forEach(function (box) {
      if (!box.querySelector("svg.dossier-network") || box.previousElementSibling &&
          box.previousElementSibling.classList.contains("dx-launch")) return;
      var bar = el("p", { "class": "dx-launch" });
      var b = button("Explore", "md-button dx-open", function () { openFor(box, b); });
      b.setAttribute("aria-haspopup", "dialog");
      bar.appendChild(b);
      bar.appendChild(el("span", { "class": "dx-note", role: "status" }));
      box.parentNode.insertBefore(bar, box);
    });
  }

  // the data once read, and the explorer last opened: for the browser tests and the console
  var api = window.dossierExplorer = { graph: null, current: null };
  // Material's document$ announces every page, should instant navigation be turned on
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(enhance);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
