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

let map = null, units = null, context = null, outlines = null, labels = null, tiles = null;
let shownUnits = null, shownContext = null, shownTiles = null, shownAttribution = null, height = 0;
let args = null;   // the render arguments being drawn; older async updates give way to newer ones
let latest = null;   // the newest render arguments received
let shownStyles = null;

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
    const [status, inferred] = args.features[key] || ["none", false];
    layer.setStyle(unitStyle(key));
    const path = layer.getElement();
    path.setAttribute("data-status", status);
    path.setAttribute("data-inferred", inferred ? "1" : "0");
    counts[status] = (counts[status] || 0) + 1;
  });
  window.sidMap.counts = counts;
  window.sidMap.drawn = Object.values(counts).reduce((a, b) => a + b, 0);
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
  units.eachLayer((layer) => layer.bindTooltip(() => (args.features[layer.feature.id] || [])[2] || "", {sticky: true}));
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
  // Keep legend and attribution from covering the units: reserve their room.
  // No animation: a zoom animation scales strokes and hatching until it ends.
  const legendWidth = legend.getContainer().offsetWidth;
  const attributionHeight = map.attributionControl.getContainer().offsetHeight;
  map.fitBounds(units.getBounds(), {
    paddingTopLeft: [8, 8], paddingBottomRight: [legendWidth + 16, attributionHeight + 8], animate: false,
  });
}

function showLegend() {
  const control = L.control({position: "bottomright"});
  control.onAdd = () => {
    const box = L.DomUtil.create("div", "legend");
    box.setAttribute("data-testid", "map-legend");
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  return control;
}

let legend = null;
function updateLegend() {
  const box = legend.getContainer();
  box.replaceChildren();
  for (const item of args.legend) {
    const row = document.createElement("div");
    const style = args.styles[item.status];
    const fill = fillOf(item.status, item.inferred);
    row.innerHTML = `<svg width="18" height="12"><rect x="0.5" y="0.5" width="17" height="11" `
      + `fill="${fill}" stroke="${style.stroke}" stroke-width="${Math.min(style.weight, 2)}"/></svg>`
      + `<span>${item.label}</span>`;   // label escaped in mapview.py
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
// code = 2 x status position + hatched, positions into the unit's pool of fixed
// tooltip lines (fetched once from tips_url, cached by the browser); negative
// positions name the few lines sent with this state. Decoded into the same
// features {key: [status, hatched, tooltip]} the standalone export passes directly.
function decodeState(table, state) {
  const features = {};
  const rows = state.rows.map((row) => row.split(",").map(Number));
  const numbers = state.units ? state.units.split(",").map(Number) : [];
  table.keys.forEach((key, i) => {
    const [code, ...positions] = rows[numbers[i]];
    const pool = table.pool[i];
    const lines = pool.slice(0, table.head[i]).map((n) => table.lines[n]);
    for (const j of positions) lines.push(j >= 0 ? table.lines[pool[j]] : state.lines[-j - 1]);
    features[key] = [state.statuses[code >> 1], (code & 1) === 1, lines.join("<br>")];
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
  if (next.height !== height) {
    height = next.height;
    document.getElementById("map").style.height = `${height}px`;
    send("streamlit:setFrameHeight", {height});
    if (map) map.invalidateSize();
  }
  if (!map) {
    // A view must exist before layers are added; fitBounds refines it once geometry is in.
    map = L.map("map", {zoomSnap: 0.25, minZoom: 6, maxZoom: 16}).setView([51.45, 7.55], 7);
    map.attributionControl.setPrefix("Leaflet");
    legend = showLegend();
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
