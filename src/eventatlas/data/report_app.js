// eventatlas situation report. Every string from articles reaches the page through textContent
// or attribute setters, never as markup. Data: the JSON block #report-data (see out/report.py).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var world = JSON.parse(document.getElementById("world-data").textContent);
  var COLORS = {
    ASSAULT: "#b91c1c", COERCE: "#c2410c", MOBILIZE: "#a16207", PROTEST: "#7c3aed",
    THREATEN: "#be185d", SANCTION: "#0f766e", RETREAT: "#15803d", ACCUSE: "#4b5563",
    REJECT: "#374151", REQUEST: "#1d4ed8", AGREE: "#047857", CONSULT: "#0369a1",
    SUPPORT: "#0e7490", CONCEDE: "#65a30d", COOPERATE: "#059669", AID: "#0891b2"
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function day(e) { return e.date.end || e.date.start || ""; }
  function names(list) { return list.map(function (a) { return a.name; }); }

  // ---- summary
  (function summary() {
    var box = document.getElementById("summary");
    var s = data.summary;
    [["period", (s.first || "?") + " – " + (s.last || "?")], ["articles", s.articles],
     ["outlets", s.outlets], ["events", s.events], ["disputed", s.disputed]].forEach(function (p) {
      var stat = el("div", null, "stat");
      stat.appendChild(el("b", p[1]));
      stat.appendChild(el("span", p[0]));
      box.appendChild(stat);
    });
    var top = el("div", "Most corroborated: ", "top");
    data.top.forEach(function (t, i) {
      top.appendChild(el("span", (i ? "; " : "") + t.label + " (" + t.independent + " sources)"));
    });
    box.appendChild(top);
  })();

  // ---- filters
  var filters = {type: "", actor: "", outlet: "", status: "", from: "", to: ""};
  function fill(id, values) {
    var select = document.getElementById(id);
    values.forEach(function (v) { var o = el("option", v); o.value = v; select.appendChild(o); });
  }
  function uniq(list) { return Array.from(new Set(list)).filter(Boolean).sort(); }
  fill("f-type", uniq(data.events.map(function (e) { return e.type; })));
  fill("f-actor", uniq([].concat.apply([], data.events.map(function (e) {
    return names(e.actors).concat(names(e.recipients)); }))));
  fill("f-outlet", uniq([].concat.apply([], data.events.map(function (e) {
    return e.mentions.map(function (m) { return m.outlet; }); }))));
  fill("f-status", uniq(data.events.map(function (e) { return e.status; })));

  var days = uniq(data.events.map(day));
  var slider = document.getElementById("slider");
  slider.max = String(Math.max(days.length - 1, 0));
  slider.value = slider.max;

  function visible(e) {
    var d = day(e);
    if (filters.type && e.type !== filters.type) { return false; }
    if (filters.status && e.status !== filters.status) { return false; }
    if (filters.actor && names(e.actors).concat(names(e.recipients)).indexOf(filters.actor) < 0) {
      return false;
    }
    if (filters.outlet && !e.mentions.some(function (m) { return m.outlet === filters.outlet; })) {
      return false;
    }
    if (filters.from && d && d < filters.from) { return false; }
    if (filters.to && d && d > filters.to) { return false; }
    var upTo = days[Number(slider.value)];
    if (days.length && d && upTo && d > upTo) { return false; }
    return true;
  }

  // ---- map
  var map = L.map("map", {worldCopyJump: true, attributionControl: false, maxZoom: 12, minZoom: 1})
    .setView([30, 30], 2);
  L.geoJSON(topojson.feature(world, world.objects.countries), {
    style: {color: "#8b97a5", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1}
  }).addTo(map);
  var cluster = L.markerClusterGroup({maxClusterRadius: 30});
  map.addLayer(cluster);
  var located = data.events.filter(function (e) { return e.location && e.location.lat !== null; });
  // Frame the town-level events; country-level points would zoom the map out to the world.
  var precise = located.filter(function (e) { return (e.geo_precision || 1) < 3; });
  var framed = precise.length ? precise : located;
  if (framed.length) {
    map.fitBounds(L.latLngBounds(framed.map(function (e) {
      return [e.location.lat, e.location.lon]; })).pad(0.3), {maxZoom: 8});
  }

  function marker(e) {
    var precise = (e.geo_precision || 1) < 3;
    var m = L.circleMarker([e.location.lat, e.location.lon], {
      radius: 5 + 3 * Math.sqrt(e.sources.independent || 1) + (precise ? 0 : 6),
      color: COLORS[e.type] || "#555", weight: precise ? 2 : 1, dashArray: precise ? null : "3",
      fillOpacity: precise ? 0.7 : 0.25
    });
    var tip = el("div");
    tip.appendChild(el("b", e.type + (e.mode ? " (" + e.mode + ")" : "")));
    tip.appendChild(el("div", (e.location.name || "") + " · " + day(e)));
    m.bindTooltip(tip);
    m.on("click", function () {
      var card = document.getElementById("card-" + e.id);
      if (card) { card.scrollIntoView({behavior: "smooth"}); }
    });
    m.options.eventId = e.id;
    return m;
  }

  // ---- timeline histogram
  function histogram(shown) {
    var svg = document.getElementById("histogram");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    if (!days.length) { return; }
    var counts = {};
    shown.forEach(function (e) { var d = day(e); if (d) { counts[d] = (counts[d] || 0) + 1; } });
    var max = Math.max.apply(null, days.map(function (d) { return counts[d] || 0; }).concat([1]));
    var width = svg.clientWidth || 600;
    var w = width / days.length;
    days.forEach(function (d, i) {
      var h = 56 * (counts[d] || 0) / max;
      var r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      r.setAttribute("x", String(i * w)); r.setAttribute("width", String(Math.max(w - 1, 1)));
      r.setAttribute("y", String(58 - h)); r.setAttribute("height", String(h));
      r.setAttribute("fill", "#1d4ed8");
      var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = d + ": " + (counts[d] || 0);
      r.appendChild(title);
      svg.appendChild(r);
    });
  }

  // ---- cards
  function mentionNode(m) {
    var box = el("div", null, "mention");
    box.appendChild(el("blockquote", m.quote));
    var who = [m.outlet || "unknown outlet", m.published || "undated"];
    if (m.attributed_to) { who.push("according to " + m.attributed_to); }
    box.appendChild(el("div", who.join(" · "), "meta"));
    return box;
  }
  function card(e) {
    var c = el("article", null, "card" + (e.status === "disputed" ? " disputed" : ""));
    c.id = "card-" + e.id;
    c.style.borderLeftColor = e.status === "disputed" ? "" : (COLORS[e.type] || "#888");
    var h = el("h3", e.type + (e.mode ? " · " + e.mode : ""));
    h.appendChild(el("span", e.status, "badge " + e.status));
    c.appendChild(h);
    var acled = e.acled ? e.acled.event_type + " / " + e.acled.sub_event_type : "no ACLED type";
    c.appendChild(el("div", acled, "meta"));
    c.appendChild(el("div", "When: " + (e.date.start || "?") + (e.date.end && e.date.end !== e.date.start
      ? " – " + e.date.end : "") + " (" + e.date.precision + ")", "meta"));
    c.appendChild(el("div", "Where: " + (e.location ? e.location.name : "unknown") +
      (e.geo_precision ? " (geo-precision " + e.geo_precision + ")" : ""), "meta"));
    c.appendChild(el("div", "Who: " + (names(e.actors).join(", ") || "?") + " → " +
      (names(e.recipients).join(", ") || "?"), "meta"));
    c.appendChild(el("div", "Sources: " + e.sources.articles + " article(s), " + e.sources.outlets +
      " outlet(s), " + e.sources.independent + " independent", "meta"));
    if (e.status === "disputed") {
      var sides = el("div", null, "sides");
      [["asserts", "Says it happened"], ["denies", "Denies it"]].forEach(function (s) {
        var side = el("div", null, "side " + s[0]);
        side.appendChild(el("h4", s[1]));
        e.mentions.filter(function (m) { return m.stance === s[0]; })
          .forEach(function (m) { side.appendChild(mentionNode(m)); });
        sides.appendChild(side);
      });
      c.appendChild(sides);
    } else {
      e.mentions.forEach(function (m) { c.appendChild(mentionNode(m)); });
    }
    return c;
  }

  function render() {
    var shown = data.events.filter(visible);
    cluster.clearLayers();
    shown.forEach(function (e) {
      if (e.location && e.location.lat !== null) { cluster.addLayer(marker(e)); }
    });
    var cards = document.getElementById("cards");
    while (cards.firstChild) { cards.removeChild(cards.firstChild); }
    shown.forEach(function (e) { cards.appendChild(card(e)); });
    document.getElementById("shown").textContent = "(" + shown.length + " of " + data.events.length + ")";
    document.getElementById("slider-label").textContent = days.length ? "up to " + days[Number(slider.value)] : "";
    document.body.setAttribute("data-markers", String(cluster.getLayers().length));
    histogram(shown);
  }

  ["type", "actor", "outlet", "status", "from", "to"].forEach(function (k) {
    document.getElementById("f-" + k).addEventListener("change", function (ev) {
      filters[k] = ev.target.value; render();
    });
  });
  slider.addEventListener("input", render);

  // ---- source table
  var tbody = document.querySelector("#source-table tbody");
  data.sources.forEach(function (s) {
    var tr = el("tr");
    [s.outlet, s.type || "", s.events, s.corroborated, s.disputed, s.unique].forEach(function (v) {
      tr.appendChild(el("td", v));
    });
    tbody.appendChild(tr);
  });
  render();
})();
