// A timeline chart as plain SVG: a Streamlit component v2 (mounted in the page, no iframe), operable
// by keyboard.
//
// The chart's data (series, points with their words, axes, event marks) is fetched once per URL
// from a content-hashed file in this component's folder (dashboard/chartview.py writes it); a rerun
// sends only that URL, the Stichtag / compare rules and the chart's height. One tab stop: ← / → walk the
// points (Home / End: first / last), the focused point gets markers and a tooltip, and the same
// words go into a polite live region; Escape leaves. Hover shows the same tooltip. All text is set
// with textContent: nothing here builds markup from data. The Datenstand is a labelled rule; nothing
// is drawn after it as if it were known (the lines stop, a grey band says "Keine Angaben …"), and
// published values without a date are listed under the legend, never placed on the axis.
const SVG_NS = "http://www.w3.org/2000/svg";
const MAX_ROWS = 2;   // rows of event labels above the plot
const MIN_PLOT = 150; // the plot's least height: the chart grows beyond the server's height when words need room

// Read by the browser tests: each chart of the page by its key (chart-coverage, chart-sizes).
window.sidCharts = window.sidCharts || {};

const loaded = new Map();   // url -> Promise of the chart's data, so each URL is fetched once (shared by the charts)
function load(url, stats) {
  const address = new URL(url, import.meta.url).href;   // relative to this module: the component's folder
  if (!loaded.has(address)) {
    stats.fetches += 1;
    loaded.set(address, fetch(address).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.json();
    }));
  }
  return loaded.get(address);
}

function svg(name, attributes, parent) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.append(node);
  return node;
}

function time(day) { return Date.parse(`${day}T00:00:00Z`); }

// A marker shape (circle, square, diamond) of radius r at (x, y).
function marker(shape, x, y, r, attributes, parent) {
  if (shape === "square") return svg("rect", {x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...attributes}, parent);
  if (shape === "diamond") {
    const d = r * 1.3;
    return svg("path", {d: `M${x} ${y - d}L${x + d} ${y}L${x} ${y + d}L${x - d} ${y}Z`, ...attributes}, parent);
  }
  return svg("circle", {cx: x, cy: y, r, ...attributes}, parent);
}

// Event labels in rows so that none overlaps another (they sit above the plot).
function labelRows(boxes, gap) {
  const ends = [];
  return boxes.map(([left, right]) => {
    let row = ends.findIndex((end) => left > end + gap);
    if (row < 0) { row = ends.length; ends.push(right); } else ends[row] = right;
    return row;
  });
}

// One chart: its elements in ``parent`` (Streamlit's shadow root), its state, its handlers.
function createChart(parent) {
  const root = document.createElement("div");
  root.className = "sid-chart";
  // The title is a heading below the page's section heading ("Verlauf"); one tab stop named "Diagramm: …",
  // whose walk the live region announces.
  root.innerHTML = '<h3 id="chart-title" class="title"></h3>'
    + '<div id="chart" tabindex="0" role="application" aria-describedby="chart-summary">'
    + '<svg id="plot" aria-hidden="true" focusable="false"></svg><div id="tip" class="tip" hidden></div></div>'
    + '<p id="chart-summary" class="visually-hidden"></p><ul id="legend" class="legend"></ul>'
    + '<div id="undated" class="undated" hidden><p id="undated-label"></p><ul id="undated-list"></ul></div>'
    + '<div id="announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>';
  parent.append(root);
  const $ = (id) => root.querySelector(`#${id}`);
  const stats = {renders: 0, drawn: 0, selected: -1, fetches: 0, root};
  let data = null, args = null, latest = null, destroyed = false;
  let scale = null;   // {x(day), y(value), left, right, top, bottom} of the last drawing
  let index = -1;     // the selected point, -1 for none
  let width = 0;

  function draw() {
    const plot = $("plot");
    plot.replaceChildren();
    const width = Math.max(plot.getBoundingClientRect().width || root.clientWidth, 200);
    // Height: the server's for the whole chart less everything else (title, legend and the list of undated
    // values wrap on a phone); where that leaves the plot too little, the chart grows to hold both.
    plot.setAttribute("height", 100);
    const other = Math.ceil(root.getBoundingClientRect().height) - 100;
    const whole = Math.max(args.height, other + MIN_PLOT);
    const height = whole - other;
    plot.setAttribute("height", height);
    plot.setAttribute("viewBox", `0 0 ${width} ${height}`);

    // The y axis label and the event labels above the plot; measured before the plot is laid out.
    const probe = svg("text", {x: 0, y: -100}, plot);
    const measure = (text) => { probe.textContent = text; return probe.getComputedTextLength(); };
    const left = Math.max(...data.yTicks.map(([, label]) => measure(label))) + 12;
    const right = width - 12;
    const start = time(data.start), end = time(data.end);
    const x = (day) => left + (time(day) - start) / (end - start) * (right - left);
    const eventBoxes = data.events.map(([day, short]) => { const w = measure(short); return [x(day) - w / 2, x(day) + w / 2]; });
    // At most MAX_ROWS rows of event labels (a phone would need five): the others stay unlabelled, their
    // dotted lines stay, and the tooltip of the day names the event.
    const rows = labelRows(eventBoxes, 4).map((row) => (row < MAX_ROWS ? row : -1));
    const tickWidths = data.xTicks.map(([, label]) => measure(label));
    const afterLabels = data.after ? [data.after, data.afterShort].map((text) => [text, measure(text)]) : [];
    probe.remove();
    const rowCount = rows.length ? Math.max(...rows) + 1 : 0;
    const top = 26 + rowCount * 14;
    const bottom = height - 22;
    const y = (value) => bottom - value / data.yMax * (bottom - top);
    scale = {x, y, left, right, top, bottom};

    // The Datenstand: the band after it (under everything drawn later), its label if there is room.
    const asOf = data.asOf && time(data.asOf[0]) >= start && time(data.asOf[0]) <= end ? x(data.asOf[0]) : null;
    if (asOf !== null && data.after && right - asOf > 1) {
      svg("rect", {x: asOf, y: top - 6, width: right - asOf, height: bottom - top + 6, fill: data.afterFill}, plot);
      const label = afterLabels.find(([, width]) => width <= right - asOf - 8);
      if (label) svg("text", {x: right - 4, y: bottom - 6, "text-anchor": "end"}, plot).textContent = label[0];
    }

    svg("text", {x: 0, y: 12, "font-weight": 600}, plot).textContent = data.yLabel;
    for (const [value, label] of data.yTicks) {
      svg("line", {x1: left, x2: right, y1: y(value), y2: y(value), stroke: data.grid}, plot);
      svg("text", {x: left - 6, y: y(value) + 4, "text-anchor": "end"}, plot).textContent = label;
    }
    // A tick label is left out when it would touch the one before (on a phone: every second one).
    let shownTo = -Infinity;
    data.xTicks.forEach(([day, label], i) => {
      if (time(day) < start || time(day) > end) return;
      svg("line", {x1: x(day), x2: x(day), y1: bottom, y2: bottom + 4, stroke: data.ink}, plot);
      const from = Math.max(x(day) - tickWidths[i] / 2, 0);
      if (from < shownTo + 10 || from + tickWidths[i] > width) return;
      shownTo = from + tickWidths[i];
      svg("text", {x: from, y: bottom + 17}, plot).textContent = label;
    });
    svg("line", {x1: left, x2: right, y1: bottom, y2: bottom, stroke: data.ink}, plot);

    data.events.forEach(([day, short], i) => {
      svg("line", {x1: x(day), x2: x(day), y1: top, y2: bottom, stroke: data.eventInk, "stroke-dasharray": "2 3"}, plot);
      if (rows[i] < 0) return;
      svg("text", {x: x(day), y: 36 + rows[i] * 14, "text-anchor": "middle", "font-size": 11},
        plot).textContent = short;
    });

    for (const series of data.series) {
      let path = "", last = null;
      data.days.forEach((day, i) => {
        const value = series.values[i];
        if (value === null || value === undefined) return;
        const px = x(day), py = y(value);
        if (data.kind === "step") path += last === null ? `M${px} ${py}` : `H${px}V${py}`;
        else path += last === null ? `M${px} ${py}` : `L${px} ${py}`;
        last = py;
      });
      // The last value holds until the Datenstand (until today without one); after it nothing is known.
      if (data.kind === "step" && last !== null) path += `H${asOf !== null ? asOf : right}`;
      svg("path", {d: path, fill: "none", stroke: series.colour, "stroke-width": series.width,
        "stroke-dasharray": series.dash || "none", "stroke-linejoin": "round"}, plot);
      if (data.kind === "points") {
        data.days.forEach((day, i) => {
          const value = series.values[i];
          if (value !== null && value !== undefined) marker(series.marker, x(day), y(value), 4, {fill: series.colour}, plot);
        });
      }
    }

    if (asOf !== null) {
      const [colour, dash] = data.asOfStyle;
      svg("line", {x1: asOf, x2: asOf, y1: top - 6, y2: bottom, stroke: colour, "stroke-width": 2,
        "stroke-dasharray": dash}, plot);
    }
    (args.rules || []).forEach(([day], i) => {
      if (time(day) < start || time(day) > end) return;
      const [colour, dash] = data.ruleStyles[i] || data.ruleStyles[0];
      svg("line", {x1: x(day), x2: x(day), y1: top - 6, y2: bottom, stroke: colour, "stroke-width": 2,
        "stroke-dasharray": dash || "none"}, plot);
    });

    svg("g", {id: "focus"}, plot);
    // Hover: the nearest point's tooltip (the same words the keyboard walk shows), not announced.
    const hit = svg("rect", {x: left, y: top, width: right - left, height: bottom - top, fill: "transparent"}, plot);
    hit.addEventListener("mousemove", (event) => {
      const box = plot.getBoundingClientRect();
      select(nearest(event.clientX - box.left), false);
    });
    // The pointer may move onto the tooltip (WCAG 1.4.13: hoverable): it stays while the pointer is on it.
    hit.addEventListener("mouseleave", (event) => { if (!$("tip").contains(event.relatedTarget)) leave(); });
    if (index >= 0) select(index, false);
    stats.drawn += 1;
  }

  // The pointer left the plot (and its tooltip): the hover's tooltip goes, the keyboard's stays while focused.
  function leave() {
    if (!$("chart").matches(":focus")) clearSelection();
  }

  function nearest(px) {
    let best = -1, distance = Infinity;
    data.days.forEach((day, i) => {
      const d = Math.abs(scale.x(day) - px);
      if (d < distance) { best = i; distance = d; }
    });
    return best;
  }

  function legend() {
    const list = $("legend");
    list.replaceChildren();
    const item = (label, draw) => {
      const li = document.createElement("li");
      const sample = svg("svg", {width: 30, height: 12, "aria-hidden": "true", focusable: "false"});
      draw(sample);
      const text = document.createElement("span");
      text.textContent = label;
      li.append(sample, text);
      list.append(li);
    };
    for (const series of data.series) {
      item(series.name, (sample) => {
        svg("line", {x1: 0, x2: 30, y1: 6, y2: 6, stroke: series.colour, "stroke-width": series.width,
          "stroke-dasharray": series.dash || "none"}, sample);
        marker(series.marker, 15, 6, 3.5, {fill: series.colour, stroke: "#fff", "stroke-width": 1}, sample);
      });
    }
    if (data.events.length) {
      item(data.eventsLabel, (sample) => svg("line", {x1: 15, x2: 15, y1: 0, y2: 12, stroke: data.eventInk,
        "stroke-dasharray": "2 3"}, sample));
    }
    (args.rules || []).forEach(([, label], i) => {
      const [colour, dash] = data.ruleStyles[i] || data.ruleStyles[0];
      item(label, (sample) => svg("line", {x1: 0, x2: 30, y1: 6, y2: 6, stroke: colour, "stroke-width": 2,
        "stroke-dasharray": dash || "none"}, sample));
    });
    if (data.asOf) {
      const [colour, dash] = data.asOfStyle;
      item(data.asOf[1], (sample) => svg("line", {x1: 0, x2: 30, y1: 6, y2: 6, stroke: colour, "stroke-width": 2,
        "stroke-dasharray": dash}, sample));
    }
    if (data.after) {
      item(data.after, (sample) => svg("rect", {x: 1, y: 1, width: 28, height: 10, fill: data.afterFill,
        stroke: data.ink, "stroke-width": 0.5}, sample));
    }
    // Values published without a date: words only, no place on the time axis.
    const undated = $("undated");
    undated.hidden = !(data.undated && data.undated.length);
    if (!undated.hidden) {
      $("undated-label").textContent = data.undatedLabel;
      $("undated-list").replaceChildren(...data.undated.map((line) => {
        const li = document.createElement("li");
        li.textContent = line;
        return li;
      }));
    }
  }

  function announce(text) {
    const region = $("announce");
    region.textContent = "";
    // A fresh text node after a tick, so the same phrase twice is announced twice.
    window.setTimeout(() => { region.textContent = text; }, 30);
  }

  function clearSelection() {
    index = -1;
    stats.selected = -1;
    $("focus").replaceChildren();
    $("tip").hidden = true;
  }

  function select(next, speak) {
    const count = data.days.length;
    if (!count || next < 0 && next !== -1) return;
    index = (next + count) % count;
    stats.selected = index;
    const day = data.days[index];
    const px = scale.x(day);
    const group = $("focus");
    group.replaceChildren();
    svg("line", {x1: px, x2: px, y1: scale.top, y2: scale.bottom, stroke: data.ink, "stroke-width": 1}, group);
    for (const series of data.series) {
      const value = series.values[index];
      if (value === null || value === undefined) continue;
      // Two-tone marker: a white halo under a dark edge, 3:1 against the lines and the white ground.
      marker(series.marker, px, scale.y(value), 8, {fill: "#fff"}, group);
      marker(series.marker, px, scale.y(value), 6, {fill: series.colour, stroke: data.ink, "stroke-width": 2}, group);
    }
    const lines = data.tips[index];
    const tip = $("tip");
    tip.replaceChildren();
    lines.forEach((line, i) => {
      const node = document.createElement(i === 0 ? "strong" : "div");
      node.textContent = line;
      tip.append(node);
    });
    tip.hidden = false;
    // Beside the point, on the side with room; below the event labels.
    const box = tip.getBoundingClientRect();
    const room = scale.right - px;
    tip.style.left = `${room > box.width + 12 ? px + 10 : Math.max(px - box.width - 10, 0)}px`;
    tip.style.top = `${scale.top}px`;
    if (speak) {
      const position = data.position.replace("{i}", index + 1).replace("{n}", count);
      announce(`${lines.join("; ")} (${position})`);
    }
  }

  function onKey(event) {
    if (!data || event.altKey || event.ctrlKey || event.metaKey) return;
    const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
    if (step) select(index < 0 ? (step > 0 ? 0 : -1) : index + step, true);
    else if (event.key === "Home") select(0, true);
    else if (event.key === "End") select(-1, true);
    else if (event.key === "Escape") {
      if (index >= 0) { clearSelection(); announce(data.left); }
      event.currentTarget.blur();   // leave the chart: the next Tab goes on from here (no keyboard trap)
      return;
    } else return;
    event.preventDefault();
  }

  // Title, description and language of the chart (plain text). The chart speaks the page's language.
  function words() {
    root.lang = data.lang;
    root.setAttribute("data-testid", args.name);
    $("chart-title").textContent = data.title;
    $("chart").setAttribute("aria-label", data.label);   // "Diagramm: …": what it is and what it shows
    $("chart-summary").textContent = `${data.summary} ${data.keys}`;
  }

  async function render(next) {
    latest = next;
    window.sidCharts[next.name] = stats;
    const fresh = await load(next.data, stats);
    if (latest !== next || destroyed) return;   // a newer render arrived meanwhile; it takes over
    if (fresh !== data) index = -1;   // other points: no selection carried over
    data = fresh;
    args = next;
    words();
    legend();
    draw();
    stats.renders += 1;   // no component state: a report would rerun the page for nothing
  }

  function failed(error) {
    $("chart-title").textContent = `Diagramm konnte nicht geladen werden: ${error.message}`;
  }


  $("chart").addEventListener("keydown", onKey);
  $("chart").addEventListener("blur", () => clearSelection());
  // Off the tooltip: back onto the plot's hit area (drawn last) the hover goes on, anywhere else it ends.
  $("tip").addEventListener("mouseleave", (event) => { if (event.relatedTarget !== $("plot").lastElementChild) leave(); });
  // Escape dismisses the hover's tooltip wherever the focus is (WCAG 1.4.13); on the chart it also leaves (onKey).
  const onDocumentKey = (event) => {
    if (event.key === "Escape" && !$("tip").hidden && !event.composedPath().includes($("chart"))) clearSelection();
  };
  document.addEventListener("keydown", onDocumentKey, true);
  // The chart's width follows the page (window, sidebar): drawn again when it changes.
  const resizing = new ResizeObserver(() => {
    if (data && root.clientWidth !== width) { width = root.clientWidth; draw(); }
  });
  resizing.observe(root);

  function destroy() {
    destroyed = true;
    document.removeEventListener("keydown", onDocumentKey, true);
    resizing.disconnect();
    root.remove();
  }

  return {render, failed, destroy, get destroyed() { return destroyed; }};
}

const charts = new WeakMap();   // Streamlit's shadow root -> its chart

// Streamlit calls this on the first draw and again with each new state of the same component.
export default function mountChart({parentElement, data}) {
  let chart = charts.get(parentElement);
  if (!chart || chart.destroyed) {
    chart = createChart(parentElement);
    charts.set(parentElement, chart);
  }
  chart.render(data).catch((error) => chart.failed(error));
  // Streamlit calls this when the component goes (and for a run another one overtook): only a chart
  // whose element has left the page is taken down.
  return () => window.setTimeout(() => {
    const host = parentElement.host || parentElement;
    if (!host.isConnected) chart.destroy();
  }, 0);
}
