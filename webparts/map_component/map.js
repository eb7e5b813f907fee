// Coverage map: a Streamlit component v2 (mounted in the page itself, no iframe) with its own Leaflet code.
//
// Streamlit calls the default export with the component's data on every run that changes it; the map is
// built once per mount and restyled in place after that (setStyle): no re-mount, no geometry resend, zoom
// kept. Geometry is fetched once per URL from TopoJSON files (decoded by topojson-client, object "units",
// id = unit key); a run sends only per-unit status codes and the few words that change. Everything
// inserted as HTML (tooltips, labels, legend, attribution) arrives escaped from the view model
// (viewmodel/component.py, viewmodel/text.py); nothing here builds markup from data.
//
// One tooltip at a time, wrapping inside the map and never over the selected unit's ring; Escape
// dismisses it, the pointer can move onto it. A click, a tap or Enter opens the unit's details (the
// tooltip's words) in a panel beside the map, under it on a phone. The map's one polite live region
// speaks the page's announcement of a view change and the keyboard walk.
//
// The standalone HTML export (exports/standalone.py) inlines this module and calls it the same way.

const SVG_NS = "http://www.w3.org/2000/svg";
const NARROW = 600;   // px of map width: below this the legend starts folded and the map is laid out for a phone
const REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const HIDE_MS = 300;    // a hover tooltip outlives the pointer's leaving this long: time to reach it (WCAG 1.4.13)
const SWITCH_MS = 200;  // ... and another unit crossed on the way there takes over only after this
const TIP_GAP = 12;     // px between the pointer or the unit and its tooltip
const RING_CLEAR = 6;   // px the tooltip keeps off the ring's line (its halo is 6 px wide)

// Read by the browser tests and the benchmark: the map of this page.
window.sidMap = window.sidMap || {fetches: {}, renders: 0, drawn: 0, counts: {}};

// Fetched files by URL (content-addressed, so shared by every mount of the page): each is fetched once.
const files = new Map();
function load(url) {
  const address = new URL(url, import.meta.url).href;   // relative to this module: the component's folder
  if (!files.has(address)) {
    window.sidMap.fetches[url] = (window.sidMap.fetches[url] || 0) + 1;
    files.set(address, fetch(address).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json();
    }));
  }
  return files.get(address);
}

// The compact per-state form (viewmodel/tips.py, state_payload; decode there is the reference): per
// unit a row number into the distinct rows "code,position,…", code = 4 x status position + 2 x new +
// hatched, positions into the unit's pool of fixed tooltip lines (fetched once from tips_url);
// negative positions name the few lines sent with this state. Decoded into the same features
// {key: [status, hatched, tooltip, new]} the standalone export passes directly.
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

function element(tag, attributes = {}, parent = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (parent) parent.append(node);
  return node;
}

function svgElement(tag, attributes, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (parent) parent.append(node);
  return node;
}

// Escaped HTML (from the view model) parsed inert, for its text.
function textOf(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.textContent.trim();
}

// The distance from the top of the page, however it scrolls (Streamlit scrolls its own container).
function pageTop(node) {
  let top = node.getBoundingClientRect().top + window.scrollY;
  for (let up = node.parentNode; up; up = up.parentNode || up.host) {
    if (up.nodeType === Node.ELEMENT_NODE) top += up.scrollTop;
  }
  return top;
}

// Whether the segment a-b meets the rectangle (Liang-Barsky clipping).
function segmentMeets(a, b, rect) {
  let t0 = 0, t1 = 1;
  const dx = b.x - a.x, dy = b.y - a.y;
  const edges = [[-dx, a.x - rect.left], [dx, rect.right - a.x], [-dy, a.y - rect.top], [dy, rect.bottom - a.y]];
  for (const [p, q] of edges) {
    if (p === 0) { if (q < 0) return false; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
  }
  return true;
}

// The rings of a polygon layer's lat/lng arrays, however deeply nested (multi-polygons, holes).
function ringsOf(latlngs) {
  if (!latlngs.length) return [];
  return Array.isArray(latlngs[0]) ? latlngs.flatMap(ringsOf) : [latlngs];
}

class CoverageMap {
  constructor(parent) {
    this.parent = parent;   // Streamlit's shadow root (or the standalone page's element)
    this.generation = 0;
    this.args = null;      // the arguments drawn; older async updates give way to newer ones
    this.latest = null;    // the newest arguments received
    this.map = null;
    this.units = null; this.context = null; this.outlines = null; this.labels = null; this.tiles = null;
    this.rings = null; this.legend = null; this.zoom = null; this.topology = null;
    this.shown = {units: null, context: null, tiles: null, attribution: null, styles: null, focus: null,
                  announcement: null, height: 0, width: 0};
    this.walk = {order: null, index: -1, ring: null};
    this.tip = {key: null, source: null, point: null, dismissed: null, hide: 0, pending: 0};
    this.detailsKey = null;
    this.reported = false;
    this.build();
  }

  // The component's elements, once per mount (ids are scoped to Streamlit's shadow root).
  build() {
    const root = element("div", {class: "sid-map", "data-testid": "coverage-map"});
    // Hatch patterns for inferred memberships; filled in from the palette.
    const patterns = svgElement("svg", {class: "patterns", width: 0, height: 0, "aria-hidden": "true",
                                        focusable: "false"}, root);
    svgElement("defs", {}, patterns);
    const layout = element("div", {class: "layout"}, root);
    const box = element("div", {class: "map-box"}, layout);
    // One tab stop: arrow keys walk the units, Enter opens a unit's details, the live region announces.
    this.mapElement = element("div", {id: "map", class: "map", tabindex: "0", role: "application",
                                      "aria-describedby": "map-description"}, box);
    this.tipElement = element("div", {id: "map-tooltip", class: "map-tip", "data-testid": "map-tooltip"}, box);
    this.tipElement.hidden = true;
    this.details = element("section", {id: "map-details", class: "details", "data-testid": "map-details",
                                       "aria-labelledby": "map-details-title"}, layout);
    this.details.hidden = true;
    const head = element("div", {class: "details-head"}, this.details);
    this.detailsTitle = element("h2", {id: "map-details-title", tabindex: "-1"}, head);
    this.detailsClose = element("button", {type: "button", class: "details-close"}, head);
    this.detailsBody = element("div", {class: "details-body"}, this.details);
    element("p", {id: "map-description", class: "visually-hidden"}, root);
    this.live = element("div", {id: "announce", class: "visually-hidden", role: "status", "aria-live": "polite",
                                "aria-atomic": "true"}, root);
    this.missing = element("div", {class: "missing"}, root);
    this.missing.hidden = true;
    this.root = root;
    this.parent.append(root);

    this.mapElement.addEventListener("keydown", (event) => this.onKey(event));
    this.mapElement.addEventListener("blur", () => this.onBlur());
    this.details.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); this.closeDetails(true); }
    });
    this.detailsClose.addEventListener("click", () => this.closeDetails(true));
    this.tipElement.addEventListener("mouseenter", () => this.keepTip());
    // The pointer over the tooltip is still where it is: once Escape hides the tooltip, what lies under that
    // point shows no tooltip of its own (hideTip remembers it). The map's own mousemove stops at the tooltip.
    this.tipElement.addEventListener("mousemove", (event) => {
      if (this.map) this.pointer = this.map.mouseEventToContainerPoint(event);
    });
    this.tipElement.addEventListener("mouseleave", () => this.hideTipSoon());
    // Escape dismisses a tooltip wherever the focus is (WCAG 1.4.13); on the map it also ends the walk (onKey).
    this.onDocumentKey = (event) => {
      if (event.key !== "Escape" || this.tipElement.hidden) return;
      if (event.composedPath().includes(this.mapElement)) return;
      this.hideTip(true);
    };
    document.addEventListener("keydown", this.onDocumentKey, true);
    this.onWindowResize = () => { this.fitHeight(); this.refit(); };
    window.addEventListener("resize", this.onWindowResize);
    // The page's own layout moves the map too (the sidebar opens, the details panel opens beside it).
    this.resizing = new ResizeObserver(() => this.onResize());
    this.resizing.observe(this.mapElement);
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    document.removeEventListener("keydown", this.onDocumentKey, true);
    window.removeEventListener("resize", this.onWindowResize);
    this.resizing.disconnect();
    window.clearTimeout(this.tip.hide);
    window.clearTimeout(this.tip.pending);
    if (this.map) this.map.remove();
    this.root.remove();
  }

  words() { return (this.args && this.args.a11y && this.args.a11y.words) || {}; }

  // The escaped tooltip HTML of a unit (one accessor: tooltip, keyboard walk and details read the same).
  tipOf(key) { return (this.args.features[key] || [])[2] || ""; }

  async render(next) {
    this.latest = next;
    if (next.tips_url && !next.features) {
      // The geometry is requested now too, so the files travel at once, not one after the other.
      for (const url of [next.units_url, next.context_url]) if (url) load(url).catch(() => {});
      const table = await load(next.tips_url);   // fetched once per URL, then at hand
      if (this.latest !== next || this.destroyed) return;   // a newer render arrived meanwhile; it takes over
      next.features = decodeState(table, next.state);
      next.styles = next.styles || table.styles;   // fixed: sent once in the same file
      next.labels = next.labels || table.labels;
    }
    this.args = next;
    window.sidMap.renders += 1;
    window.sidMap.root = this.root;
    this.applyWords();
    this.fitHeight();
    if (!this.map) this.createMap();
    const styles = JSON.stringify(next.styles);
    if (styles !== this.shown.styles) {
      this.definePatterns(next.styles);
      this.shown.styles = styles;
    }
    this.updateTilesAndAttribution();
    this.updateLegend();
    if (next.units_url !== this.shown.units || next.context_url !== this.shown.context) {
      const [unitsTopology, contextTopology] = await Promise.all([
        load(next.units_url), next.context_url ? load(next.context_url) : null,
      ]);
      if (this.args !== next || this.destroyed) return;   // a newer render arrived while loading; it takes over
      this.showGeometry(unitsTopology, contextTopology);
      this.shown.units = next.units_url;
      this.shown.context = next.context_url;
    }
    this.restyle();
    // What a person hears of this run: the page's announcement of a view change (never on the first draw),
    // or else the unit the place search chose. One message, so neither cuts the other off.
    const said = [];
    const announcement = next.announcement || "";
    if (this.shown.announcement !== null && announcement && announcement !== this.shown.announcement) {
      said.push(announcement);
    }
    this.shown.announcement = announcement;
    if (next.focus !== this.shown.focus) {   // the place search chose a unit: zoom to it and show its tooltip
      this.shown.focus = next.focus;
      const at = next.focus ? this.unitOrder().findIndex((layer) => layer.feature.id === next.focus) : -1;
      const words = at >= 0 ? this.select(at, {zoomTo: true, source: "search"}) : "";
      // The page's announcement already names what the search found („Bielefeld gefunden: …“): not twice.
      if (words && !said.length) said.push(words);
    }
    this.refreshWords();
    if (said.length) this.announce(said.join(" "));
    this.root.setAttribute("data-ready", String(window.sidMap.renders));
    this.reportDrawn();
  }

  // Once per mount: tell the app the map is drawn, so it sends the rest of the page (charts, tables,
  // export) only now and they do not compete with the map's first frame (dashboard/atlas.py, "map
  // first"). Also sent when drawing failed: the page must not wait for a map that will not come.
  reportDrawn() {
    if (this.reported) return;
    this.reported = window.sidMap.reported = true;
    if (this.setStateValue) this.setStateValue("drawn", true);
  }

  failed(error) {
    this.missing.textContent = `${this.words().map_failed || "Karte konnte nicht geladen werden"}: ${error.message}`;
    this.missing.hidden = false;
    this.reportDrawn();
  }

  createMap() {
    // A view must exist before layers are added; fitBounds refines it once geometry is in.
    // Leaflet's own keyboard handler is off: the arrow keys walk the units (onKey).
    const motion = !REDUCED_MOTION;
    this.map = L.map(this.mapElement, {zoomSnap: 0.25, minZoom: 6, maxZoom: 16, keyboard: false, zoomControl: false,
                                       zoomAnimation: motion, fadeAnimation: motion, markerZoomAnimation: motion})
      .setView([51.45, 7.55], 7);
    this.map.attributionControl.setPrefix("Leaflet");
    this.zoom = L.control.zoom({zoomInTitle: this.words().map_zoom_in, zoomOutTitle: this.words().map_zoom_out})
      .addTo(this.map);
    // The buttons stay for the mouse; the keyboard zooms with + and − on the map itself (one tab stop).
    for (const button of this.zoom.getContainer().querySelectorAll("a")) button.setAttribute("tabindex", "-1");
    this.legend = this.showLegend();
    this.map.on("zoomend", () => this.declutter());
    this.map.on("mousemove", (event) => { this.pointer = event.containerPoint; });
    // A tooltip by a unit follows it; one by the pointer goes when the map moves under it.
    this.map.on("move zoomend", () => { if (this.tip.source !== "hover") this.placeTip(); });
    this.map.on("movestart zoomstart", () => { if (this.tip.source === "hover") this.hideTip(false); });
    this.shown.width = this.root.clientWidth;
  }

  // -- drawing ---------------------------------------------------------------------------------
  patternId(status) { return `hatch-${status}`; }
  dotsId(status) { return `dots-${status}`; }

  // The fill of a status: hatched when inferred, dotted when the style asks for it
  // (an undated documented membership), else the plain colour.
  fillOf(status, inferred) {
    const style = this.args.styles[status] || this.args.styles.not_yet;
    if (inferred) return `url(#${this.patternId(status)})`;
    if (style.pattern === "dots") return `url(#${this.dotsId(status)})`;
    return style.fill;
  }

  // Diagonal hatching in the status colour: inferred memberships stay readable in
  // grey-scale and for colour-blind readers because texture, not hue, marks them.
  definePatterns(styles) {
    const defs = this.root.querySelector(".patterns defs");
    defs.replaceChildren();
    for (const [status, style] of Object.entries(styles)) {
      const pattern = svgElement("pattern", {id: this.patternId(status), patternUnits: "userSpaceOnUse", width: 7,
                                             height: 7, patternTransform: "rotate(45)"}, defs);
      svgElement("rect", {width: 7, height: 7, fill: "#ffffff"}, pattern);
      svgElement("rect", {width: 3, height: 7, fill: style.fill}, pattern);
      if (style.pattern === "dots") {
        const dots = svgElement("pattern", {id: this.dotsId(status), patternUnits: "userSpaceOnUse", width: 6,
                                            height: 6}, defs);
        svgElement("rect", {width: 6, height: 6, fill: style.fill}, dots);
        svgElement("circle", {cx: 3, cy: 3, r: 1.2, fill: "#555555"}, dots);
      }
    }
  }

  unitStyle(key) {
    const [status, inferred] = this.args.features[key] || ["not_yet", false];
    const style = this.args.styles[status] || this.args.styles.not_yet;
    return {fillColor: this.fillOf(status, inferred), fillOpacity: 1, color: style.stroke, weight: style.weight,
            opacity: 1};
  }

  restyle() {
    const counts = {};
    this.units.eachLayer((layer) => {
      const key = layer.feature.id;
      const [status, inferred, , isNew] = this.args.features[key] || ["none", false, "", false];
      layer.setStyle(this.unitStyle(key));
      const path = layer.getElement();
      path.setAttribute("data-status", status);
      path.setAttribute("data-inferred", inferred ? "1" : "0");
      path.setAttribute("data-new", isNew ? "1" : "0");
      path.setAttribute("data-key", key);
      // Leaflet makes every interactive unit a tab stop (396 of them: a trap in all but name).
      // The map is one tab stop; the arrow keys reach the units (onKey).
      path.setAttribute("tabindex", "-1");
      counts[status] = (counts[status] || 0) + 1;
    });
    window.sidMap.counts = counts;
    window.sidMap.drawn = Object.values(counts).reduce((a, b) => a + b, 0);
    this.drawRings();
  }

  // What is new since the compare date keeps its status's fill and gets a ring around it: a dark line on an
  // orange band (palette "new"), one of which stands 3:1 against any fill. The ring follows the outer border
  // of what is new (the mesh of arcs between a new unit and one that is not), so 70 new Gemeinden side by side
  // get one ring, not 70. Drawn above every unit; not interactive, so the units under it still answer.
  drawRings() {
    if (this.rings) this.map.removeLayer(this.rings);
    this.rings = null;
    const fresh = (unit) => Boolean(unit && (this.args.features[unit.id] || [])[3]);
    let count = 0;
    this.units.eachLayer((layer) => { if (fresh(layer.feature)) count += 1; });
    window.sidMap.fresh = count;
    if (!count || !this.topology) return;
    const topology = this.topology;
    const mesh = topojson.mesh(topology, topology.objects.units, (a, b) => fresh(a) !== fresh(b) || (a === b && fresh(a)));
    const lines = mesh.coordinates.map((part) => part.map(([lon, lat]) => [lat, lon]));
    const style = this.args.styles.new;
    const [band, line] = this.args.ring || [5, 2];
    this.rings = L.featureGroup([
      L.polyline(lines, {interactive: false, color: style.fill, weight: band, opacity: 1, lineCap: "round"}),
      L.polyline(lines, {interactive: false, color: style.stroke, weight: line, opacity: 1, lineCap: "round"}),
    ]).addTo(this.map);
    if (this.walk.ring) this.walk.ring.bringToFront();   // the focus stays on top
  }

  // Regierungsbezirk outlines from the units' own arcs: every border is one arc in the topology, so the
  // outline is the mesh of the arcs on the outside (a === b) or between units of different Bezirke (the
  // first three digits of the key). They match the units exactly without a second geometry file.
  bezirkOutlines(topology) {
    const bezirk = (unit) => String(unit.id).slice(0, 3);
    const mesh = topojson.mesh(topology, topology.objects.units, (a, b) => a === b || bezirk(a) !== bezirk(b));
    return mesh.coordinates.map((line) => line.map(([lon, lat]) => [lat, lon]));
  }

  showGeometry(unitsTopology, contextTopology) {
    const map = this.map, args = this.args;
    for (const layer of [this.units, this.context, this.outlines, this.labels]) if (layer) map.removeLayer(layer);
    this.hideTip(false);
    this.closeDetails(false);
    this.clearSelection();
    this.topology = unitsTopology;
    this.context = null;
    if (contextTopology) {   // the other Bezirke, muted, so the chosen one stays in its setting
      this.context = L.geoJSON(topojson.feature(contextTopology, contextTopology.objects.units), {
        filter: (feature) => feature.id !== args.region, interactive: false,
        style: {fillColor: args.styles.muted.fill, fillOpacity: 1, color: args.styles.muted.stroke,
                weight: args.styles.muted.weight},
      }).addTo(map);
    }
    this.units = L.geoJSON(topojson.feature(unitsTopology, unitsTopology.objects.units), {
      style: (feature) => this.unitStyle(feature.id),
    }).addTo(map);
    this.units.eachLayer((layer) => {
      layer.on("mouseover", (event) => this.hoverUnit(layer, event.containerPoint));
      layer.on("mouseout", () => {
        if (this.tip.dismissed === layer.feature.id) this.tip.dismissed = null;   // dismissed until the pointer leaves
        this.hideTipSoon();
      });
      layer.on("click", () => this.openUnit(layer));
    });
    this.walk.order = null;   // new units: the keyboard order is built again on the next arrow key
    this.outlines = L.polyline(this.bezirkOutlines(unitsTopology), {
      color: "#111111", weight: args.region ? 3 : 1.8, lineCap: "round", interactive: false,
    }).addTo(map);
    this.labels = L.layerGroup(args.labels.map((label) => L.marker([label.lat, label.lon], {
      interactive: false, keyboard: false,
      icon: L.divIcon({
        className: args.region && label.key !== args.region ? "rb-label muted" : "rb-label",
        html: `<span>${label.name}</span>`, iconSize: null,
      }),
    }))).addTo(map);
    this.refit();
  }

  // Keep legend and attribution from covering the units: reserve their room (a folded legend needs
  // little). No animation: a zoom animation scales strokes and hatching until it ends.
  refit() {
    if (!this.units) return;
    const legendBox = this.legend.getContainer();
    const attributionHeight = this.map.attributionControl.getContainer().offsetHeight;
    const narrow = this.map.getSize().x <= NARROW;
    // On a phone a folded legend sits below the units (reserve its height), not beside them.
    const padding = narrow ? [8, legendBox.offsetHeight + attributionHeight + 12]
      : [legendBox.offsetWidth + 16, attributionHeight + 8];
    this.map.fitBounds(this.units.getBounds(), {paddingTopLeft: [8, 8], paddingBottomRight: padding, animate: false});
    this.fitted = {zoom: this.map.getZoom(), center: this.map.getCenter()};
    this.declutter();
  }

  // Whether the map still shows the view refit() chose (nobody zoomed or moved it since).
  isFitted() {
    return Boolean(this.fitted && this.map.getZoom() === this.fitted.zoom
      && this.map.getCenter().equals(this.fitted.center, 1e-6));
  }

  onResize() {
    if (!this.map) return;
    const fitted = this.isFitted();
    this.map.invalidateSize({pan: false, animate: false});
    const width = this.root.clientWidth;
    if (width !== this.shown.width) {   // the page's width changed (window, sidebar): fit the units again
      this.shown.width = width;
      this.fitHeight();
      this.refit();
    } else if (fitted) {
      this.refit();   // the details panel opened or closed beside the map: the units fit the map's new width
      this.keepSelectionInView();
    } else {
      this.keepSelectionInView();
    }
    if (this.tip.source !== "hover") this.placeTip();
  }

  // The legend folds (a <details>): open on a wide map, folded on a phone so it does not cover the units.
  showLegend() {
    const control = L.control({position: "bottomright"});
    control.onAdd = () => {
      const box = L.DomUtil.create("details", "legend");
      box.setAttribute("data-testid", "map-legend");
      box.open = this.mapElement.clientWidth > NARROW;
      box.append(document.createElement("summary"), document.createElement("div"));
      box.addEventListener("toggle", () => this.refit());
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(this.map);
    return control;
  }

  updateLegend() {
    const details = this.legend.getContainer();
    details.querySelector("summary").textContent = this.words().map_legend || "Legende";
    const box = details.querySelector("div");
    box.replaceChildren();
    // Swatch edges 3:1 against the legend's white (WCAG 1.4.11); "new" keeps its own dark outline.
    const edge = (this.args.a11y && this.args.a11y.swatch_edge) || "#595959";
    for (const item of this.args.legend) {
      const row = element("div", {class: "row"}, box);
      const style = this.args.styles[item.status];
      // "New" is a ring, not a fill: its swatch is the ring around white.
      const swatch = item.status === "new"
        ? `<rect x="2" y="2" width="14" height="8" fill="#ffffff" stroke="${style.fill}" stroke-width="4"/>`
          + `<rect x="2" y="2" width="14" height="8" fill="none" stroke="${style.stroke}" stroke-width="1.5"/>`
        : `<rect x="0.75" y="0.75" width="16.5" height="10.5" fill="${this.fillOf(item.status, item.inferred)}" `
          + `stroke="${edge}" stroke-width="1.5"/>`;
      row.innerHTML = `<svg width="18" height="12" aria-hidden="true" focusable="false">${swatch}</svg>`
        + `<span>${item.label}</span>`;   // label escaped in viewmodel/component.py
    }
  }

  updateTilesAndAttribution() {
    const args = this.args, map = this.map;
    const url = args.basemap ? args.basemap.url : null;
    if (url !== this.shown.tiles) {   // tiles are requested only once a basemap is chosen
      if (this.tiles) map.removeLayer(this.tiles);
      this.tiles = url ? L.tileLayer(url, {maxZoom: args.basemap.max_zoom, attribution: args.basemap.attribution}) : null;
      if (this.tiles) this.tiles.addTo(map).bringToBack();
      this.shown.tiles = url;
    }
    if (args.attribution !== this.shown.attribution) {
      if (this.shown.attribution) map.attributionControl.removeAttribution(this.shown.attribution);
      if (args.attribution) map.attributionControl.addAttribution(args.attribution);
      this.shown.attribution = args.attribution;
    }
  }

  // Bezirk labels never overlap: one that would touch an earlier one (or the legend) is hidden.
  declutter() {
    if (!this.labels) return;
    const shown = [this.legend.getContainer().getBoundingClientRect()];
    this.labels.eachLayer((marker) => {
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

  // -- words, height ---------------------------------------------------------------------------
  // Name, description and language of the map from the view (plain text, set as text). The map speaks
  // the page's language (the page sets its own; the map's words come in the same one).
  applyWords() {
    const a11y = this.args.a11y || {}, words = this.words();
    this.root.lang = a11y.lang || "de";
    if (words.map_label) this.mapElement.setAttribute("aria-label", words.map_label);
    this.root.querySelector("#map-description").textContent = a11y.description || "";
    this.detailsClose.textContent = words.map_details_close || "Schließen";
  }

  // In the atlas the map's height follows the viewport: from the map's top to the bottom of the window
  // (map and legend above the fold), on a phone at most 70 % of it (the page stays scrollable); the
  // embed and the HTML export give their own height.
  fitHeight() {
    let wanted = this.args.height;
    if (this.args.fit) {
      const view = {height: window.innerHeight, width: window.innerWidth};
      const room = view.height - pageTop(this.mapElement) - 16;
      const cap = view.width <= NARROW ? 0.7 * view.height : 1100;
      wanted = Math.round(Math.max(320, Math.min(room >= 0.5 * view.height ? room : 0.7 * view.height, cap)));
    }
    if (wanted && wanted !== this.shown.height) {
      this.shown.height = wanted;
      this.mapElement.style.height = `${wanted}px`;
      this.root.style.setProperty("--map-height", `${wanted}px`);   // the details panel beside it (map.css)
      if (this.map) this.map.invalidateSize();
    }
  }

  // -- the keyboard walk -------------------------------------------------------------------------
  // The map is one tab stop; arrow keys select the units one by one in the order of their names (as in
  // the table), the selected one gets a focus ring and its tooltip, and the live region announces its
  // name, status and position. Enter opens its details, + and − zoom, Escape ends the selection.

  // The name and the status line of a unit's tooltip: its first and its "Status" line.
  summaryOf(key) {
    const lines = this.tipOf(key).split(/<br\s*\/?>/i).map(textOf);
    const status = lines.find((line) => /^Status:/.test(line));
    return [lines[0] || key, status ? status.replace(/^Status:\s*/, "") : ""];
  }

  unitOrder() {
    if (!this.walk.order) {
      const collator = new Intl.Collator((this.args.a11y && this.args.a11y.lang) || "de");
      this.walk.order = this.units ? this.units.getLayers().map((layer) => [this.summaryOf(layer.feature.id)[0], layer])
        .sort((a, b) => collator.compare(a[0], b[0])).map(([, layer]) => layer) : [];
    }
    return this.walk.order;
  }

  announce(text) {
    this.live.textContent = "";
    // A fresh text node after a tick, so the same phrase twice is announced twice.
    window.setTimeout(() => { this.live.textContent = text; }, 30);
  }

  clearSelection() {
    if (this.walk.ring) this.map.removeLayer(this.walk.ring);
    this.walk.ring = null;
    this.walk.index = -1;
    window.sidMap.selected = null;
  }

  selectedLayer() { return this.walk.index >= 0 ? this.unitOrder()[this.walk.index] : null; }

  // Select the unit at ``index`` of the walk: its ring, its tooltip beside it, in view; the words to announce.
  select(index, {zoomTo = false, source = "walk"} = {}) {
    const order = this.unitOrder();
    if (!order.length) return "";
    if (this.walk.ring) this.map.removeLayer(this.walk.ring);
    this.walk.index = (index + order.length) % order.length;
    const layer = order[this.walk.index];
    const [ink, halo] = (this.args.a11y && this.args.a11y.focus) || ["#000000", "#ffffff"];
    const shape = layer.toGeoJSON();
    // Two strokes, dark on a white halo: 3:1 against whatever fill lies around (WCAG 1.4.11, 2.4.7).
    this.walk.ring = L.featureGroup([
      L.geoJSON(shape, {interactive: false, style: {color: halo, weight: 6, fill: false, opacity: 1, className: "ring-halo"}}),
      L.geoJSON(shape, {interactive: false, style: {color: ink, weight: 3, fill: false, opacity: 1, className: "ring"}}),
    ]).addTo(this.map);
    const bounds = layer.getBounds();
    if (zoomTo) this.map.fitBounds(bounds, {maxZoom: 11, padding: [24, 24], animate: !REDUCED_MOTION});
    else if (!this.map.getBounds().contains(bounds)) this.map.panTo(bounds.getCenter(), {animate: !REDUCED_MOTION});
    window.sidMap.selected = layer.feature.id;
    if (this.detailsKey !== null) this.fillDetails(layer.feature.id);   // an open panel follows the walk
    else this.showTip(layer.feature.id, source);
    const [name, status] = this.summaryOf(layer.feature.id);
    const position = (this.words().map_position || "{i} / {n}")
      .replace("{i}", this.walk.index + 1).replace("{n}", order.length);
    return `${name}: ${status} (${position})`;
  }

  keepSelectionInView() {
    const layer = this.selectedLayer();
    if (layer && !this.map.getBounds().contains(layer.getBounds())) {
      this.map.panTo(layer.getBounds().getCenter(), {animate: false});
    }
  }

  onKey(event) {
    if (!this.units || event.altKey || event.ctrlKey || event.metaKey) return;
    const walk = this.walk;
    const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
    if (step) this.announce(this.select(walk.index < 0 ? (step > 0 ? 0 : -1) : walk.index + step));
    else if (event.key === "Home") this.announce(this.select(0));
    else if (event.key === "End") this.announce(this.select(-1));
    else if (event.key === "Enter" && walk.index >= 0) this.openUnit(this.selectedLayer());
    else if (event.key === "+" || event.key === "=") this.map.zoomIn(1, {animate: !REDUCED_MOTION});
    else if (event.key === "-" || event.key === "_") this.map.zoomOut(1, {animate: !REDUCED_MOTION});
    else if (event.key === "Escape") {
      const selected = walk.index >= 0 || !this.tipElement.hidden || this.detailsKey !== null;
      this.hideTip(false);
      this.closeDetails(false);
      this.clearSelection();
      if (selected) this.announce(this.words().map_left || "");
      event.currentTarget.blur();   // leave the map: the next Tab goes on from here (no keyboard trap)
      return;
    } else return;
    event.preventDefault();
  }

  // Focus leaves the map: its tooltip goes (it showed what the focus was on); the ring stays while the
  // details panel shows that unit.
  onBlur() {
    if (this.tip.source !== "hover") this.hideTip(false);
    if (this.detailsKey === null && this.walk.ring) {
      this.map.removeLayer(this.walk.ring);
      this.walk.ring = null;
    }
  }

  // -- one tooltip -------------------------------------------------------------------------------
  // Shown for the unit under the pointer (source "hover"), the unit the walk selected ("walk") or the one
  // the place search found ("search"); one element, so never two at once.
  showTip(key, source, point = null) {
    window.clearTimeout(this.tip.hide);
    window.clearTimeout(this.tip.pending);
    Object.assign(this.tip, {key, source, point});
    this.tipElement.innerHTML = this.tipOf(key);   // escaped in the view model (viewmodel/text.py)
    this.tipElement.hidden = false;
    this.placeTip();
    window.sidMap.tooltip = key;
  }

  hideTip(dismissed) {
    window.clearTimeout(this.tip.hide);
    window.clearTimeout(this.tip.pending);
    if (dismissed && this.tip.source === "hover") {
      this.tip.dismissed = this.tip.key;   // until the pointer leaves it
      this.tip.still = this.pointer;       // and no other one before the pointer moves
    }
    this.tip.key = this.tip.source = null;
    this.tipElement.hidden = true;
    window.sidMap.tooltip = null;
  }

  hoverUnit(layer, point) {
    const key = layer.feature.id;
    // On a unit whose tooltip was dismissed none shows (nor one of the unit the pointer came from); what lies
    // under the pointer once a dismissed tooltip is gone is no reason to show another one either.
    if (this.tip.dismissed === key || (this.tip.still && point && point.distanceTo(this.tip.still) < 4)) {
      if (this.tip.source === "hover") this.hideTip(false);
      return;
    }
    this.tip.still = null;
    window.clearTimeout(this.tip.hide);
    window.clearTimeout(this.tip.pending);
    if (this.tip.key === key) return;
    // Crossing another unit on the way to the tooltip must not take it away: a short grace first.
    if (!this.tipElement.hidden && this.tip.source === "hover") {
      this.tip.pending = window.setTimeout(() => this.showTip(key, "hover", point), SWITCH_MS);
    } else {
      this.showTip(key, "hover", point);
    }
  }

  keepTip() {
    window.clearTimeout(this.tip.hide);
    window.clearTimeout(this.tip.pending);
  }

  hideTipSoon() {
    window.clearTimeout(this.tip.pending);
    if (this.tip.source !== "hover") return;
    window.clearTimeout(this.tip.hide);
    this.tip.hide = window.setTimeout(() => this.hideTip(false), HIDE_MS);
  }

  // The selected unit's ring as segments in the map's pixels: the tooltip keeps off them.
  ringSegments() {
    const layer = this.walk.ring ? this.selectedLayer() : null;
    if (!layer) return [];
    const segments = [];
    for (const ring of ringsOf(layer.getLatLngs())) {
      const points = ring.map((latlng) => this.map.latLngToContainerPoint(latlng));
      points.forEach((point, i) => segments.push([point, points[(i + 1) % points.length]]));
    }
    return segments;
  }

  // Where the tooltip goes: beside the pointer or the unit, inside the map, off the selected unit's ring.
  placeTip() {
    if (this.tipElement.hidden || !this.tip.key || !this.map) return;
    const tip = this.tipElement;
    tip.style.left = "0px";
    tip.style.top = "0px";
    const width = tip.offsetWidth, height = tip.offsetHeight;
    const box = {width: this.mapElement.clientWidth, height: this.mapElement.clientHeight};
    let around;
    if (this.tip.source === "hover" && this.tip.point) {
      const {x, y} = this.tip.point;
      around = {left: x, right: x, top: y, bottom: y};
    } else {
      const layer = this.units && this.units.getLayers().find((unit) => unit.feature.id === this.tip.key);
      if (!layer) return;
      const bounds = layer.getBounds();
      const a = this.map.latLngToContainerPoint(bounds.getNorthWest());
      const b = this.map.latLngToContainerPoint(bounds.getSouthEast());
      around = {left: a.x, top: a.y, right: b.x, bottom: b.y};
    }
    const middleX = (around.left + around.right) / 2 - width / 2, middleY = (around.top + around.bottom) / 2 - height / 2;
    const candidates = [
      [around.right + TIP_GAP, this.tip.source === "hover" ? around.bottom + TIP_GAP : middleY],
      [around.left - TIP_GAP - width, this.tip.source === "hover" ? around.bottom + TIP_GAP : middleY],
      [this.tip.source === "hover" ? around.right + TIP_GAP : middleX, around.top - TIP_GAP - height],
      [this.tip.source === "hover" ? around.left - TIP_GAP - width : middleX, around.bottom + TIP_GAP],
      [8, 8], [box.width - width - 8, 8], [8, box.height - height - 8], [box.width - width - 8, box.height - height - 8],
    ].map(([left, top]) => ({
      left: Math.max(4, Math.min(left, box.width - width - 4)),
      top: Math.max(4, Math.min(top, box.height - height - 4)),
    }));
    const segments = this.ringSegments();
    const clear = ({left, top}) => {
      const rect = {left: left - RING_CLEAR, top: top - RING_CLEAR, right: left + width + RING_CLEAR,
                    bottom: top + height + RING_CLEAR};
      return !segments.some(([a, b]) => segmentMeets(a, b, rect));
    };
    const hover = this.tip.source === "hover";
    const covers = ({left, top}) => hover && around.left >= left && around.left <= left + width
      && around.top >= top && around.top <= top + height;   // never under the pointer itself
    const place = candidates.find((c) => clear(c) && !covers(c)) || candidates.find((c) => !covers(c)) || candidates[0];
    tip.style.left = `${Math.round(place.left)}px`;
    tip.style.top = `${Math.round(place.top)}px`;
  }

  // -- the details panel ---------------------------------------------------------------------------
  // A click, a tap or Enter on the selected unit: its tooltip's words in a panel beside the map (under it
  // on a phone), the unit ringed; focus moves to the panel's heading and back to the map on closing.
  openUnit(layer) {
    const order = this.unitOrder();
    const at = order.indexOf(layer);
    if (at < 0) return;
    this.hideTip(false);
    if (at !== this.walk.index || !this.walk.ring) this.select(at);
    this.hideTip(false);
    this.fillDetails(layer.feature.id);
    this.details.hidden = false;
    this.root.classList.add("with-details");
    this.detailsTitle.focus({preventScroll: true});
    // Under the map on a phone: brought into view, as little as needed.
    this.details.scrollIntoView({block: "nearest", behavior: REDUCED_MOTION ? "auto" : "smooth"});
  }

  fillDetails(key) {
    this.detailsKey = key;
    const lines = this.tipOf(key).split(/<br\s*\/?>/i);
    this.detailsTitle.textContent = textOf(lines[0] || key);
    this.detailsBody.replaceChildren(...lines.slice(1).map((line) => {
      const paragraph = document.createElement("p");
      paragraph.innerHTML = line;   // escaped in the view model (viewmodel/text.py), as in the tooltip
      return paragraph;
    }));
    window.sidMap.details = key;
  }

  closeDetails(returnFocus) {
    if (this.detailsKey === null) return;
    this.detailsKey = null;
    this.details.hidden = true;
    this.root.classList.remove("with-details");
    window.sidMap.details = null;
    if (returnFocus) this.mapElement.focus({preventScroll: true});
  }

  // A new state of the same units: the tooltip and the open panel say what this one says.
  refreshWords() {
    if (this.detailsKey !== null && this.args.features[this.detailsKey]) this.fillDetails(this.detailsKey);
    if (!this.tipElement.hidden && this.tip.key && this.args.features[this.tip.key]) {
      this.tipElement.innerHTML = this.tipOf(this.tip.key);
      this.placeTip();
    }
  }
}

const maps = new WeakMap();   // Streamlit's shadow root (or the standalone page's element) -> its map

// Streamlit calls this on the first draw and again with each new state of the same component.
export default function mountMap({parentElement, data, setStateValue}) {
  let view = maps.get(parentElement);
  if (!view || view.destroyed) {
    view = new CoverageMap(parentElement);
    maps.set(parentElement, view);
  }
  view.setStateValue = setStateValue;
  if (typeof L === "undefined" || typeof topojson === "undefined") {   // vendor files missing: say so, no blank map
    view.failed(new Error("Leaflet / topojson-client"));
  } else {
    view.render(data).catch((error) => view.failed(error));
  }
  // Streamlit calls this when the component goes (and for a run another one overtook): only a map whose
  // element has left the page is taken down.
  return () => window.setTimeout(() => {
    const host = parentElement.host || parentElement;
    if (!host.isConnected) view.destroy();
  }, 0);
}
