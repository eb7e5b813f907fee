// Coverage map: a Streamlit v1 component with its own Leaflet code.
//
// Geometry is fetched once per URL from TopoJSON files served beside this page
// (decoded by topojson-client, object "units", id = unit key); every
// rerun only sends the status, evidence and tooltip per unit key, and the map is
// restyled in place (setStyle): no re-mount, no geometry resend, zoom kept.
// Everything inserted as HTML (tooltips, labels, legend, attribution) arrives
// escaped from dashboard/mapview.py; nothing here builds markup from data.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const NARROW = 600;   // px: below this the legend starts folded and the map is laid out for a phone
const REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

// Read by the browser tests and the benchmark.
window.sidMap = {fetches: {}, renders: 0, drawn: 0, counts: {}};

function send(type, data) {
  window.parent.postMessage(Object.assign({isStreamlitMessage: true, type}, data), "*");
}

const geometry = new Map();   // url -> Promise of the parsed TopoJSON, so each URL is fetched once
function loadGeometry(url) {
  if (!geometry.has(url)) {
    window.sidMap.fetches[url] = (window.sidMap.fetches[url] || 0) + 1;
    geometry.set(url, fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json();
    }));
  }
  return geometry.get(url);
}

let map = null, units = null, context = null, outlines = null, labels = null, tiles = null, rings = null;
let shownUnits = null, shownContext = null, shownTiles = null, shownAttribution = null, height = 0;
let topology = null;   // the units' TopoJSON shown: the rings around what is new are meshed from its arcs
let args = null;   // the render arguments being drawn; older async updates give way to newer ones
let latest = null;   // the newest render arguments received
let shownStyles = null;

// The escaped tooltip HTML of a unit (one accessor: the mouse tooltip and the keyboard walk read the same).
function tipOf(key) { return (args.features[key] || [])[2] || ""; }

function patternId(status) { return `hatch-${status}`; }
function dotsId(status) { return `dots-${status}`; }

// The fill of a status: hatched when inferred, dotted when the style asks for it
// (an undated documented membership), else the plain colour.
function fillOf(status, inferred) {
  const style = args.styles[status] || args.styles.not_yet;
  if (inferred) return `url(#${patternId(status)})`;
  if (style.pattern === "dots") return `url(#${dotsId(status)})`;
  return style.fill;
}

// Diagonal hatching in the status colour: inferred memberships stay readable in
// grey-scale and for colour-blind readers because texture, not hue, marks them.
function definePatterns(styles) {
  const defs = document.querySelector("#patterns defs");
  defs.replaceChildren();
  for (const [status, style] of Object.entries(styles)) {
    const pattern = document.createElementNS(SVG_NS, "pattern");
    pattern.setAttribute("id", patternId(status));
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "7");
    pattern.setAttribute("height", "7");
    pattern.setAttribute("patternTransform", "rotate(45)");
    const ground = document.createElementNS(SVG_NS, "rect");
    ground.setAttribute("width", "7");
    ground.setAttribute("height", "7");
    ground.setAttribute("fill", "#ffffff");
    const stripe = document.createElementNS(SVG_NS, "rect");
    stripe.setAttribute("width", "3");
    stripe.setAttribute("height", "7");
    stripe.setAttribute("fill", style.fill);
    pattern.append(ground, stripe);
    defs.append(pattern);
    if (style.pattern === "dots") {
      const dots = document.createElementNS(SVG_NS, "pattern");
      dots.setAttribute("id", dotsId(status));
      dots.setAttribute("patternUnits", "userSpaceOnUse");
      dots.setAttribute("width", "6");
      dots.setAttribute("height", "6");
      const back = document.createElementNS(SVG_NS, "rect");
      back.setAttribute("width", "6");
      back.setAttribute("height", "6");
      back.setAttribute("fill", style.fill);
      const dot = document.createElementNS(SVG_NS, "circle");
      dot.setAttribute("cx", "3");
      dot.setAttribute("cy", "3");
      dot.setAttribute("r", "1.2");
      dot.setAttribute("fill", "#555555");
      dots.append(back, dot);
      defs.append(dots);
    }
  }
}

function unitStyle(key) {
  const [status, inferred] = args.features[key] || ["not_yet", false];
  const style = args.styles[status] || args.styles.not_yet;
  return {
    fillColor: fillOf(status, inferred),
    fillOpacity: 1, color: style.stroke, weight: style.weight, opacity: 1,
  };
}

function restyle() {
  const counts = {};
  units.eachLayer((layer) => {
    const key = layer.feature.id;
    const [status, inferred, , isNew] = args.features[key] || ["none", false, "", false];
    layer.setStyle(unitStyle(key));
    const path = layer.getElement();
    path.setAttribute("data-status", status);
    path.setAttribute("data-inferred", inferred ? "1" : "0");
    path.setAttribute("data-new", isNew ? "1" : "0");
    // Leaflet makes every unit with a tooltip a tab stop (396 of them: a trap in all but name).
    // The map is one tab stop; the arrow keys reach the units (onKey).
    path.setAttribute("tabindex", "-1");
    counts[status] = (counts[status] || 0) + 1;
  });
  window.sidMap.counts = counts;
  window.sidMap.drawn = Object.values(counts).reduce((a, b) => a + b, 0);
  drawRings();
}

// What is new since the compare date keeps its status's fill and gets a ring around it: a dark line on
// an orange band (palette "new"), one of which stands 3:1 against any fill. The ring follows the outer
// border of what is new (the mesh of arcs between a new unit and one that is not), so 70 new Gemeinden
// side by side get one ring, not 70. Drawn above every unit; not interactive, so tooltips still answer.
function drawRings() {
  if (rings) map.removeLayer(rings);
  rings = null;
  const fresh = (unit) => Boolean(unit && (args.features[unit.id] || [])[3]);
  let count = 0;
  units.eachLayer((layer) => { if (fresh(layer.feature)) count += 1; });
  window.sidMap.fresh = count;
  if (!count || !topology) return;
  const mesh = topojson.mesh(topology, topology.objects.units, (a, b) => fresh(a) !== fresh(b) || (a === b && fresh(a)));
  const lines = mesh.coordinates.map((part) => part.map(([lon, lat]) => [lat, lon]));
  const style = args.styles.new;
  const [band, line] = args.ring || [5, 2];
  rings = L.featureGroup([
    L.polyline(lines, {interactive: false, color: style.fill, weight: band, opacity: 1, lineCap: "round"}),
    L.polyline(lines, {interactive: false, color: style.stroke, weight: line, opacity: 1, lineCap: "round"}),
  ]).addTo(map);
  if (walk.ring) walk.ring.bringToFront();   // the focus stays on top
}

// Regierungsbezirk outlines from the units' own arcs: every border is one arc in
// the topology, so the outline is the mesh of the arcs on the outside (a === b)
// or between units of different Bezirke (the first three digits of the key).
// They match the units exactly without a second geometry file (keeps one NRW view
// under the 300 KB budget).
function bezirkOutlines(topology) {
  const bezirk = (unit) => String(unit.id).slice(0, 3);
  const mesh = topojson.mesh(topology, topology.objects.units, (a, b) => a === b || bezirk(a) !== bezirk(b));
  return mesh.coordinates.map((line) => line.map(([lon, lat]) => [lat, lon]));
}

function showGeometry(unitsTopology, contextTopology) {
  for (const layer of [units, context, outlines, labels]) if (layer) map.removeLayer(layer);
  topology = unitsTopology;
  context = null;
  if (contextTopology) {   // the other Bezirke, muted, so the chosen one stays in its setting
    context = L.geoJSON(topojson.feature(contextTopology, contextTopology.objects.units), {
      filter: (feature) => feature.id !== args.region, interactive: false,
      style: {fillColor: args.styles.muted.fill, fillOpacity: 1, color: args.styles.muted.stroke,
              weight: args.styles.muted.weight},
    }).addTo(map);
  }
  units = L.geoJSON(topojson.feature(unitsTopology, unitsTopology.objects.units), {
    style: (feature) => unitStyle(feature.id),
  }).addTo(map);
  units.eachLayer((layer) => layer.bindTooltip(() => tipOf(layer.feature.id), {sticky: true}));
  walk.order = null;   // new units: the keyboard order is built again on the next arrow key
  clearSelection();
  outlines = L.polyline(bezirkOutlines(unitsTopology), {
    color: "#111111", weight: args.region ? 3 : 1.8, lineCap: "round", interactive: false,
  }).addTo(map);
  labels = L.layerGroup(args.labels.map((label) => L.marker([label.lat, label.lon], {
    interactive: false, keyboard: false,
    icon: L.divIcon({
      className: args.region && label.key !== args.region ? "rb-label muted" : "rb-label",
      html: `<span>${label.name}</span>`, iconSize: null,
    }),
  }))).addTo(map);
  refit();
}

// Keep legend and attribution from covering the units: reserve their room (a folded legend needs
// little). No animation: a zoom animation scales strokes and hatching until it ends.
function refit() {
  if (!units) return;
  const legendBox = legend.getContainer();
  const attributionHeight = map.attributionControl.getContainer().offsetHeight;
  const narrow = map.getSize().x <= NARROW;
  // On a phone a folded legend sits below the units (reserve its height), not beside them.
  const padding = narrow ? [8, legendBox.offsetHeight + attributionHeight + 12]
    : [legendBox.offsetWidth + 16, attributionHeight + 8];
  map.fitBounds(units.getBounds(), {paddingTopLeft: [8, 8], paddingBottomRight: padding, animate: false});
  declutter();
}

// The legend folds (a <details>): open on a wide map, folded on a phone so it does not cover the units.
function showLegend() {
  const control = L.control({position: "bottomright"});
  control.onAdd = () => {
    const box = L.DomUtil.create("details", "legend");
    box.setAttribute("data-testid", "map-legend");
    box.open = window.innerWidth > NARROW;
    box.append(document.createElement("summary"), document.createElement("div"));
    box.addEventListener("toggle", () => refit());
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  return control;
}

let legend = null, zoom = null, shownFocus = null;
function updateLegend() {
  const details = legend.getContainer();
  details.querySelector("summary").textContent = words().map_legend || "Legende";
  const box = details.querySelector("div");
  box.replaceChildren();
  // Swatch edges 3:1 against the legend's white (WCAG 1.4.11); "new" keeps its own dark outline.
  const edge = (args.a11y && args.a11y.swatch_edge) || "#595959";
  for (const item of args.legend) {
    const row = document.createElement("div");
    row.className = "row";
    const style = args.styles[item.status];
    // "New" is a ring, not a fill: its swatch is the ring around white.
    const swatch = item.status === "new"
      ? `<rect x="2" y="2" width="14" height="8" fill="#ffffff" stroke="${style.fill}" stroke-width="4"/>`
        + `<rect x="2" y="2" width="14" height="8" fill="none" stroke="${style.stroke}" stroke-width="1.5"/>`
      : `<rect x="0.75" y="0.75" width="16.5" height="10.5" fill="${fillOf(item.status, item.inferred)}" `
        + `stroke="${edge}" stroke-width="1.5"/>`;
    row.innerHTML = `<svg width="18" height="12" aria-hidden="true" focusable="false">${swatch}</svg>`
      + `<span>${item.label}</span>`;   // label escaped in viewmodel/component.py
    box.append(row);
  }
}

function updateTilesAndAttribution() {
  const url = args.basemap ? args.basemap.url : null;
  if (url !== shownTiles) {   // tiles are requested only once a basemap is chosen
    if (tiles) map.removeLayer(tiles);
    tiles = url ? L.tileLayer(url, {maxZoom: args.basemap.max_zoom, attribution: args.basemap.attribution}) : null;
    if (tiles) tiles.addTo(map).bringToBack();
    shownTiles = url;
  }
  if (args.attribution !== shownAttribution) {
    if (shownAttribution) map.attributionControl.removeAttribution(shownAttribution);
    if (args.attribution) map.attributionControl.addAttribution(args.attribution);
    shownAttribution = args.attribution;
  }
}

// The compact per-state form (viewmodel/tips.py, state_payload; decode there is
// the reference): per unit a row number into the distinct rows "code,position,…",
// code = 4 x status position + 2 x new + hatched, positions into the unit's pool of fixed
// tooltip lines (fetched once from tips_url, cached by the browser); negative
// positions name the few lines sent with this state. Decoded into the same
// features {key: [status, hatched, tooltip, new]} the standalone export passes directly.
function decodeState(table, state) {
  const features = {};
  const rows = state.rows.map((row) => row.split(",").map(Number));
  const numbers = state.units ? state.units.split(",").map(Number) : [];
  table.keys.forEach((key, i) => {
    const [code, ...positions] = rows[numbers[i]];
    const pool = table.pool[i];
    const lines = pool.slice(0, table.head[i]).map((n) => table.lines[n]);
    for (const j of positions) lines.push(j >= 0 ? table.lines[pool[j]] : state.lines[-j - 1]);
    features[key] = [state.statuses[code >> 2], (code & 1) === 1, lines.join("<br>"), (code & 2) === 2];
  });
  return features;
}

async function render(next) {
  latest = next;
  if (next.tips_url && !next.features) {
    // The geometry is requested now too, so both files travel at once, not one after the other.
    for (const url of [next.units_url, next.context_url]) if (url) loadGeometry(url).catch(() => {});
    const table = await loadGeometry(next.tips_url);   // fetched once per URL, then at hand
    if (latest !== next) return;   // a newer render arrived meanwhile; it takes over
    next.features = decodeState(table, next.state);
    next.styles = next.styles || table.styles;   // fixed: sent once in the same file
    next.labels = next.labels || table.labels;
  }
  args = next;
  window.sidMap.renders += 1;
  applyWords();
  fitHeight();
  if (!map) {
    // A view must exist before layers are added; fitBounds refines it once geometry is in.
    // Leaflet's own keyboard handler is off: the arrow keys walk the units (onKey below).
    const motion = !REDUCED_MOTION;
    map = L.map("map", {zoomSnap: 0.25, minZoom: 6, maxZoom: 16, keyboard: false, zoomControl: false,
                        zoomAnimation: motion, fadeAnimation: motion, markerZoomAnimation: motion})
      .setView([51.45, 7.55], 7);
    map.attributionControl.setPrefix("Leaflet");
    zoom = L.control.zoom({zoomInTitle: words().map_zoom_in, zoomOutTitle: words().map_zoom_out}).addTo(map);
    // The buttons stay for the mouse; the keyboard zooms with + and − on the map itself (one tab stop).
    for (const button of zoom.getContainer().querySelectorAll("a")) button.setAttribute("tabindex", "-1");
    legend = showLegend();
    map.on("zoomend", declutter);
    document.getElementById("map").addEventListener("keydown", onKey);
    window.addEventListener("resize", () => { fitHeight(); refit(); });
    if (window.frameElement && window.parent) window.parent.addEventListener("resize", () => { fitHeight(); refit(); });
  }
  const styles = JSON.stringify(next.styles);
  if (styles !== shownStyles) {
    definePatterns(next.styles);
    shownStyles = styles;
  }
  updateTilesAndAttribution();
  updateLegend();
  if (next.units_url !== shownUnits || next.context_url !== shownContext) {
    const [unitsTopology, contextTopology] = await Promise.all([
      loadGeometry(next.units_url), next.context_url ? loadGeometry(next.context_url) : null,
    ]);
    if (args !== next) return;   // a newer render arrived while loading; it takes over
    showGeometry(unitsTopology, contextTopology);
    shownUnits = next.units_url;
    shownContext = next.context_url;
  }
  restyle();
  if (next.focus !== shownFocus) {   // the place search chose a unit: zoom to it and open its tooltip
    shownFocus = next.focus;
    const at = next.focus ? unitOrder().findIndex((layer) => layer.feature.id === next.focus) : -1;
    if (at >= 0) select(at, true);
  }
  document.body.setAttribute("data-ready", String(window.sidMap.renders));
  reportDrawn();
}

// Once per page: tell the app the map is drawn, so it sends the rest of the page
// (charts, tables, export) only now and they do not compete with the map's first
// frame (dashboard/app.py, "map first"). Also sent when drawing failed: the page
// must not wait for a map that will not come.
function reportDrawn() {
  if (window.sidMap.reported) return;
  window.sidMap.reported = true;
  send("streamlit:setComponentValue", {value: true, dataType: "json"});
}


// -- accessibility: words, height, labels, keyboard ---------------------------------------------
function words() { return (args && args.a11y && args.a11y.words) || {}; }

// Name, description and language of the map from the view (plain text, set as text).
function applyWords() {
  const a11y = args.a11y || {};
  document.documentElement.lang = a11y.lang || "de";
  const box = document.getElementById("map");
  if (words().map_label) box.setAttribute("aria-label", words().map_label);
  document.getElementById("map-description").textContent = a11y.description || "";
  if (words().map_frame_title) {
    document.title = words().map_frame_title;
    document.getElementById("map-title").textContent = words().map_frame_title;
    // The frame's title names it for assistive technology (WCAG 4.1.2); same origin, so it can be set here.
    try { if (window.frameElement) window.frameElement.title = words().map_frame_title; } catch (e) { /* other origin */ }
  }
}

// Inside the app the map's height follows the viewport: from the frame's top to the bottom of the
// window (map and legend above the fold), on a phone at most 70 % of it (the page stays scrollable);
// standalone (the HTML export) it is the height the arguments give.
function fitHeight() {
  let wanted = args.height;
  try {
    const frame = window.frameElement;
    if (frame) {
      const view = window.parent;
      const top = frame.getBoundingClientRect().top + view.scrollY;
      const room = view.innerHeight - top - 16;
      const cap = view.innerWidth <= NARROW ? 0.7 * view.innerHeight : 1100;
      wanted = Math.round(Math.max(320, Math.min(room >= 0.5 * view.innerHeight ? room : 0.7 * view.innerHeight, cap)));
    }
  } catch (e) { /* other origin: keep the given height */ }
  if (wanted !== height) {
    height = wanted;
    document.getElementById("map").style.height = `${height}px`;
    send("streamlit:setFrameHeight", {height});
    if (map) map.invalidateSize();
  }
}

// Bezirk labels never overlap: one that would touch an earlier one (or the legend) is hidden.
function declutter() {
  if (!labels) return;
  const shown = [legend.getContainer().getBoundingClientRect()];
  labels.eachLayer((marker) => {
    const icon = marker.getElement();
    if (!icon) return;
    icon.classList.remove("hidden-label");
    const box = icon.querySelector("span").getBoundingClientRect();
    const hits = shown.some((other) => box.left < other.right + 4 && other.left < box.right + 4
      && box.top < other.bottom + 2 && other.top < box.bottom + 2);
    if (hits) icon.classList.add("hidden-label");
    else shown.push(box);
  });
}

// The keyboard walk: the map is one tab stop; arrow keys select the units one by one in the order of
// their names (as in the table), the selected one gets a focus ring and its tooltip, and a polite live
// region announces its name, status and position. + and − zoom, Escape ends the selection.
const walk = {order: null, index: -1, ring: null};

function plainText(html) {
  const template = document.createElement("template");
  template.innerHTML = html;   // escaped upstream; parsed inert, never inserted
  return template.content;
}

// The name and the status line of a unit's tooltip: its first and its "Status" line.
function summaryOf(key) {
  const lines = tipOf(key).split(/<br\s*\/?>/i).map((line) => plainText(line).textContent.trim());
  const status = lines.find((line) => /^Status:/.test(line));
  return [lines[0] || key, status ? status.replace(/^Status:\s*/, "") : ""];
}

function unitOrder() {
  if (!walk.order) {
    const collator = new Intl.Collator((args.a11y && args.a11y.lang) || "de");
    walk.order = units ? units.getLayers().map((layer) => [summaryOf(layer.feature.id)[0], layer])
      .sort((a, b) => collator.compare(a[0], b[0])).map(([, layer]) => layer) : [];
  }
  return walk.order;
}

function announce(text) {
  const region = document.getElementById("announce");
  region.textContent = "";
  // A fresh text node after a tick, so the same phrase twice is announced twice.
  window.setTimeout(() => { region.textContent = text; }, 30);
}

function clearSelection() {
  if (walk.ring) map.removeLayer(walk.ring);
  walk.ring = null;
  walk.index = -1;
}

function select(index, zoomTo) {
  const order = unitOrder();
  if (!order.length) return;
  if (walk.ring) map.removeLayer(walk.ring);
  walk.index = (index + order.length) % order.length;
  const layer = order[walk.index];
  const [ink, halo] = (args.a11y && args.a11y.focus) || ["#000000", "#ffffff"];
  const shape = layer.toGeoJSON();
  // Two strokes, dark on a white halo: 3:1 against whatever fill lies around (WCAG 1.4.11, 2.4.7).
  walk.ring = L.featureGroup([
    L.geoJSON(shape, {interactive: false, style: {color: halo, weight: 6, fill: false, opacity: 1}}),
    L.geoJSON(shape, {interactive: false, style: {color: ink, weight: 3, fill: false, opacity: 1}}),
  ]).addTo(map);
  const bounds = layer.getBounds();
  if (zoomTo) map.fitBounds(bounds, {maxZoom: 11, padding: [24, 24], animate: !REDUCED_MOTION});
  else if (!map.getBounds().contains(bounds)) map.panTo(bounds.getCenter(), {animate: !REDUCED_MOTION});
  layer.openTooltip(bounds.getCenter());
  const [name, status] = summaryOf(layer.feature.id);
  const position = (words().map_position || "{i} / {n}").replace("{i}", walk.index + 1).replace("{n}", order.length);
  announce(`${name}: ${status} (${position})`);
  window.sidMap.selected = layer.feature.id;
}

function onKey(event) {
  if (!units || event.altKey || event.ctrlKey || event.metaKey) return;
  const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
  if (step) select(walk.index < 0 ? (step > 0 ? 0 : -1) : walk.index + step, false);
  else if (event.key === "Home") select(0, false);
  else if (event.key === "End") select(-1, false);
  else if (event.key === "+" || event.key === "=") map.zoomIn(1, {animate: !REDUCED_MOTION});
  else if (event.key === "-" || event.key === "_") map.zoomOut(1, {animate: !REDUCED_MOTION});
  else if (event.key === "Escape") {
    if (walk.index >= 0) {
      closeSelection();
      announce(words().map_left || "");
    }
    event.currentTarget.blur();   // leave the map: the next Tab goes on from here (no keyboard trap)
    return;
  } else return;
  event.preventDefault();
}

function closeSelection() {
  const layer = unitOrder()[walk.index];
  if (layer) layer.closeTooltip();
  clearSelection();
  window.sidMap.selected = null;
}

window.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "streamlit:render") return;
  if (typeof L === "undefined" || typeof topojson === "undefined") {   // vendor files missing: say so, no blank frame
    document.getElementById("missing").hidden = false;
    send("streamlit:setFrameHeight", {height: 60});
    reportDrawn();
    return;
  }
  render(event.data.args).catch((error) => {
    const missing = document.getElementById("missing");
    missing.textContent = `Karte konnte nicht geladen werden: ${error.message}`;
    missing.hidden = false;
    reportDrawn();
  });
});
send("streamlit:componentReady", {apiVersion: 1});
