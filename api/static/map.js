/**
 * map.js — a choropleth of China in SVG, offline, no framework.
 *
 *   import { renderChinaMap } from "/static/map.js";
 *   const map = await renderChinaMap(element, {
 *     counts: { "130800": 3, "350213": 2, "anon-…-prefecture": 1 },   // GB/T 2260 code → count
 *     names: { "anon-…-prefecture": "xx市（匿名）" },                  // names for codes off the map
 *     label: "文件 documents",                                          // what is counted
 *     onSelect: (code, info) => …,          // a click (or Enter) on a region or a listed code
 *   });
 *   map.update(counts, names); map.select(code); map.destroy();
 *   const { counts, names } = countsFromRegions(await (await fetch("/regions")).json());
 *
 * Outlines: ./vendor/china-provinces-echarts-4.9.0.geo.json and
 * ./vendor/china-prefectures-echarts-4.9.0.geo.json (built by bench/build_china_map.py from the
 * echarts 4.9.0 npm package, Apache-2.0), keyed by GB/T 2260 code like our Region nodes.
 *
 * Where codes land: a province code (PP0000) counts for the province; a prefecture-level code
 * (PPCC00, or a county a province administers directly) for that unit; a county (or a township
 * `{county}-{slug}`) for the prefecture it lies in. Provinces with prefecture-level counts are
 * drawn with their prefectures over them; their own province-level count is then a dot. The
 * country (100000), anonymised regions (`anon-…`) and codes the map lacks are listed apart.
 * `level: "province"` sums everything into provinces.
 */

const VENDOR = new URL("./vendor/", import.meta.url);
export const PROVINCES_FILE = "china-provinces-echarts-4.9.0.geo.json";
export const PREFECTURES_FILE = "china-prefectures-echarts-4.9.0.geo.json";
export const COUNTRY_CODE = "100000";

/** ColorBrewer "Blues" (5 classes), light to dark; no-data grey. */
const PALETTE = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
const NO_DATA = "#eef0f3";
const SVG_NS = "http://www.w3.org/2000/svg";

const loaded = new Map(); // url → Promise<FeatureCollection>

/** Fetch a vendored GeoJSON file once per page. */
export function loadLayer(file, baseUrl = VENDOR) {
  const url = new URL(file, baseUrl).href;
  if (!loaded.has(url)) {
    loaded.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status} (the map outlines are missing)`);
      return r.json();
    }).catch((e) => { loaded.delete(url); throw e; }));
  }
  return loaded.get(url);
}

// ------------------------------------------------------------------ placing counts

/** The six-digit code a key denotes: 12-digit codes and townships (`350213-ab12cd34`) cut. */
export function baseCode(key) {
  const m = /^(\d{6})(?:\d{6}|-.+)?$/.exec(String(key).trim());
  return m ? m[1] : null;
}

/**
 * Where each count lands (pure): `{ province: Map, prefecture: Map, unplaced: [...] }`.
 * `prefectureCodes` holds the codes of the drawn prefecture-level units; `level` is "auto" or
 * "province". Unplaced entries are `{ code, count, reason: "national"|"anonymised"|"unknown" }`.
 */
export function placeCounts(counts, provinceCodes, prefectureCodes = new Set(), level = "auto") {
  const province = new Map();
  const prefecture = new Map();
  const unplaced = [];
  const add = (m, k, n) => m.set(k, (m.get(k) || 0) + n);
  for (const [key, raw] of Object.entries(counts || {})) {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) continue;
    const code = baseCode(key);
    const prov = code && `${code.slice(0, 2)}0000`;
    if (code === COUNTRY_CODE) unplaced.push({ code: key, count: n, reason: "national" });
    else if (!code) {
      unplaced.push({ code: key, count: n, reason: String(key).startsWith("anon") ? "anonymised" : "unknown" });
    } else if (!provinceCodes.has(prov)) unplaced.push({ code: key, count: n, reason: "unknown" });
    else if (code === prov || level === "province") add(province, prov, n);
    else {
      const unit = [code, `${code.slice(0, 4)}00`].find((c) => prefectureCodes.has(c) && c !== prov);
      // a municipality's districts, or a unit the outlines lack (雄安新区): the province
      add(unit ? prefecture : province, unit || prov, n);
    }
  }
  return { province, prefecture, unplaced };
}

/**
 * `{ counts, names }` for the map from rows of regions (`GET /regions`: code, name, full_name,
 * anonymised, documents …): `field` is the count to draw (default `documents`, the documents
 * that apply to the region itself; the map sums sub-regions). Rows without a code or a count
 * are left out; anonymised regions are named as such.
 */
export function countsFromRegions(rows, field = "documents") {
  const counts = {};
  const names = {};
  for (const r of rows || []) {
    const n = Number(r?.[field]);
    if (!r?.code || !Number.isFinite(n) || n <= 0) continue;
    counts[r.code] = (counts[r.code] || 0) + n;
    names[r.code] = r.anonymised ? `${r.name || r.code}（匿名 anonymised）` : (r.full_name || r.name || r.code);
  }
  return { counts, names };
}

/** Class breaks for counts 1…max: one class per value up to 5, else geometric steps. */
export function classBreaks(max, k = PALETTE.length) {
  if (max <= 0) return [];
  if (max <= k) return Array.from({ length: max }, (_, i) => i + 1);
  const ups = [];
  for (let i = 1; i <= k; i++) {
    const v = i === k ? max : Math.max(Math.round(max ** (i / k)), (ups.at(-1) || 0) + 1);
    ups.push(Math.min(v, max));
  }
  return [...new Set(ups)];
}

function colourOf(n, breaks) {
  if (!n) return NO_DATA;
  const i = breaks.findIndex((b) => n <= b);
  const idx = i < 0 ? breaks.length - 1 : i;
  // spread few classes over the whole palette so 1 vs 2 is not two pale blues
  const p = breaks.length === 1 ? PALETTE.length - 2
    : Math.round((idx * (PALETTE.length - 1)) / (breaks.length - 1));
  return PALETTE[p];
}

// ------------------------------------------------------------------ projection

/** Albers equal-area conic for China (standard parallels 25°N, 47°N, centre 105°E). */
function albers(lon0 = 105, lat1 = 25, lat2 = 47) {
  const rad = Math.PI / 180;
  const s1 = Math.sin(lat1 * rad);
  const n = (s1 + Math.sin(lat2 * rad)) / 2;
  const c = Math.cos(lat1 * rad) ** 2 + 2 * n * s1;
  return ([lon, lat]) => {
    const rho = Math.sqrt(c - 2 * n * Math.sin(lat * rad)) / n;
    const theta = n * (lon - lon0) * rad;
    return [rho * Math.sin(theta) * 1000, rho * Math.cos(theta) * 1000]; // y grows southward, as in SVG
  };
}

function polygonsOf(geometry) {
  if (!geometry) return [];
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

/** SVG path data of the polygons, and their projected extent (the larger side). */
function pathOf(polys, project) {
  let d = "";
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const poly of polys) {
    for (const ring of poly) {
      ring.forEach((pt, i) => {
        const [x, y] = project(pt);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        d += `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`;
      });
      d += "Z";
    }
  }
  return { d, size: Math.max(x1 - x0, y1 - y0) };
}

/** A point well inside the unit (for a dot): of a grid over its largest polygon, the point
 * inside the unit (even-odd over all rings) farthest from every edge. */
function anchorOf(polys, project) {
  const rings = polys.flat().map((r) => r.map(project));
  if (!rings.length) return [0, 0];
  const area = (r) => Math.abs(r.reduce((a, [x0, y0], i) => { const [x1, y1] = r[(i + 1) % r.length]; return a + x0 * y1 - x1 * y0; }, 0));
  const outer = polys.map((p) => p[0].map(project)).reduce((a, b) => (area(b) > area(a) ? b : a));
  const xs = outer.map((p) => p[0]), ys = outer.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const inside = (x, y) => rings.reduce((inn, r) => {
    let c = false;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c ? !inn : inn;
  }, false);
  const edgeDistance = (x, y) => {
    let best = Infinity;
    for (const r of rings) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [ax, ay] = r[j], [bx, by] = r[i];
        const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
        const t = len ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len)) : 0;
        best = Math.min(best, Math.hypot(x - ax - t * dx, y - ay - t * dy));
      }
    }
    return best;
  };
  let best = [(x0 + x1) / 2, (y0 + y1) / 2], bestD = -1;
  const n = 16;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const x = x0 + ((x1 - x0) * i) / n, y = y0 + ((y1 - y0) * j) / n;
      if (!inside(x, y)) continue;
      const d = edgeDistance(x, y);
      if (d > bestD) { bestD = d; best = [x, y]; }
    }
  }
  return best;
}

function prepare(collection, project) {
  const units = new Map();
  let inset = null;
  for (const f of collection.features) {
    const p = f.properties || {};
    if (p.level === "inset") { inset = f; continue; }
    const polys = polygonsOf(f.geometry);
    const code = String(p.adcode ?? f.id);
    units.set(code, { code, name: p.name, level: p.level, province: p.province,
      ...pathOf(polys, project), polys });
  }
  return { units, inset };
}

function bounds(collection, project) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const f of collection.features) {
    if (f.properties?.level === "inset") continue;
    for (const poly of polygonsOf(f.geometry)) {
      for (const pt of poly[0]) {
        const [x, y] = project(pt);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, y0, x1, y1 };
}

/** The easternmost projected x of land south of the projected y ``yMin``. */
function eastOf(collection, project, yMin) {
  let east = -Infinity;
  for (const f of collection.features) {
    if (f.properties?.level === "inset") continue;
    for (const poly of polygonsOf(f.geometry)) {
      for (const pt of poly[0]) {
        const [x, y] = project(pt);
        if (y >= yMin) east = Math.max(east, x);
      }
    }
  }
  return east;
}

// ------------------------------------------------------------------ DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function sv(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const STYLE_ID = "cnmap-style";
const CSS = `
.cnmap { position: relative; font-size: 0.9rem; }
.cnmap-svg { display: block; width: 100%; height: auto; max-height: var(--cnmap-max-height, 80vh); }
.cnmap-svg path { vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.cnmap-province { stroke: #fff; stroke-width: 0.8; }
.cnmap-prefecture { stroke: #fff; stroke-width: 0.5; }
.cnmap-outline { fill: none; stroke: #8a96a8; stroke-width: 0.7; pointer-events: none; }
.cnmap-unit { cursor: pointer; }
.cnmap-unit:hover, .cnmap-unit:focus { stroke: #1a202c; stroke-width: 1.5; outline: none; }
.cnmap-unit.cnmap-selected { stroke: #f0a500; stroke-width: 2.5; }
.cnmap-spot { stroke: #fff; stroke-width: 1; vector-effect: non-scaling-stroke; cursor: pointer; }
.cnmap-dot { fill: #fff; stroke: #08519c; stroke-width: 1.5; vector-effect: non-scaling-stroke; cursor: pointer; }
.cnmap-dot-text { font-size: 10px; fill: #08519c; font-weight: 600; text-anchor: middle; dominant-baseline: central; pointer-events: none; }
.cnmap-inset path { fill: #98a3b3; stroke: none; }
.cnmap-inset-label { font-size: 10px; fill: #5a6474; text-anchor: middle; }
.cnmap-tip { position: absolute; pointer-events: none; background: rgba(26,32,44,0.92); color: #fff;
  padding: 0.25rem 0.5rem; border-radius: 4px; font-size: 0.85rem; white-space: nowrap; z-index: 5;
  transform: translate(-50%, calc(-100% - 10px)); }
.cnmap-tip .cnmap-tip-sub { color: #cbd5e1; font-size: 0.78rem; }
.cnmap-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; align-items: center; margin: 0.3rem 0;
  font-size: 0.8rem; color: var(--muted, #5a6474); }
.cnmap-legend .cnmap-key { display: inline-flex; align-items: center; gap: 0.25rem; }
.cnmap-legend .cnmap-sw { display: inline-block; width: 1.1rem; height: 0.8rem; border: 1px solid #c3cad5; border-radius: 2px; }
.cnmap-legend .cnmap-sw-dot { width: 0.8rem; border-radius: 50%; border: 1.5px solid #08519c; background: #fff; }
.cnmap-unplaced { margin-top: 0.4rem; font-size: 0.85rem; }
.cnmap-unplaced h3 { font-size: 0.9rem; margin: 0.4rem 0 0.2rem; }
.cnmap-unplaced ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.cnmap-unplaced button { font: inherit; border: 1px solid var(--line, #d9dee7); background: var(--panel, #fff);
  border-radius: 999px; padding: 0.1rem 0.6rem; cursor: pointer; color: var(--fg, #1a202c); }
.cnmap-unplaced button:hover { border-color: var(--accent, #1f5fa8); }
.cnmap-unplaced .cnmap-n { color: #08519c; font-weight: 600; margin-left: 0.3rem; }
.cnmap-note { font-size: 0.75rem; color: var(--muted, #5a6474); margin: 0.2rem 0 0; }
`;

function ensureStyle() {
  if (document.getElementById(STYLE_ID)) return;
  document.head.append(el("style", { id: STYLE_ID }, CSS));
}

const REASON_LABEL = {
  national: "全国 National",
  anonymised: "匿名地区 Anonymised regions",
  unknown: "地图上没有 Not on the map",
};

// ------------------------------------------------------------------ the map

/**
 * Draw the map into `container` (emptied). Returns `{ update, select, destroy, element }`.
 * Options: counts, names, label, onSelect(code, info), level ("auto"|"province"),
 * baseUrl (folder of the vendored outlines), title (accessible name).
 */
export async function renderChinaMap(container, options = {}) {
  ensureStyle();
  const baseUrl = options.baseUrl ? new URL(options.baseUrl, document.baseURI) : VENDOR;
  const project = albers();
  const provGeo = await loadLayer(PROVINCES_FILE, baseUrl);
  const { units: provinces, inset } = prepare(provGeo, project);
  const box = bounds(provGeo, project);
  let prefectures = null; // loaded on first need

  const root = el("div", { class: "cnmap" });
  const tip = el("div", { class: "cnmap-tip", role: "status", hidden: "" });
  const figure = el("div", { class: "cnmap-figure" });
  const legend = el("div", { class: "cnmap-legend" });
  const unplacedBox = el("div", { class: "cnmap-unplaced" });
  root.append(figure, tip, legend, unplacedBox);
  container.replaceChildren(root);

  let state = { counts: options.counts || {}, names: options.names || {}, selected: options.selected || null };
  const label = options.label || "";
  const level = options.level === "province" ? "province" : "auto";

  const pad = (box.x1 - box.x0) * 0.02;
  // the 南海诸岛 inset sits in the empty sea at the lower right, 22% of the map's height
  const insetH = (box.y1 - box.y0) * 0.22;
  const insetW = insetH * (64 / 93.1);
  const insetY = box.y1 - insetH;
  // right of any land at the inset's height (Taiwan), and inside the map's width if it fits
  const landEast = eastOf(provGeo, project, insetY);
  const insetX = Math.max(box.x1 - insetW, landEast + pad);
  const right = Math.max(box.x1, insetX + insetW);
  const viewBox = [box.x0 - pad, box.y0 - pad, right - box.x0 + 2 * pad, box.y1 - box.y0 + 2 * pad];

  function needsPrefectures(counts) {
    if (level === "province") return false;
    return Object.keys(counts).some((k) => { const c = baseCode(k); return c && !c.endsWith("0000"); });
  }

  function info(code) {
    const unit = prefectures?.units.get(code) || provinces.get(code);
    return unit ? { code, name: unit.name, level: unit.level, province: unit.province } : { code, name: state.names[code] || code };
  }

  let tipTimer = null;
  function showTip(evt, html) {
    const r = root.getBoundingClientRect();
    tip.replaceChildren(...html);
    tip.hidden = false;
    const half = tip.offsetWidth / 2 + 2; // keep the whole tip inside the map's box
    const x = Math.min(Math.max(evt.clientX - r.left, half), Math.max(half, r.width - half));
    tip.style.left = `${x}px`;
    tip.style.top = `${evt.clientY - r.top}px`;
  }

  function tipLines(name, n, sub) {
    const main = el("div", {}, `${name}：${n || 0}${label ? ` ${label}` : ""}`);
    return sub ? [main, el("div", { class: "cnmap-tip-sub" }, sub)] : [main];
  }

  function choose(code) {
    state.selected = code;
    for (const p of root.querySelectorAll(".cnmap-unit")) p.classList.toggle("cnmap-selected", p.dataset.code === code);
    if (options.onSelect) options.onSelect(code, info(code));
  }

  function bindUnit(node, code, tipFor) {
    node.addEventListener("mousemove", (e) => showTip(e, tipFor()));
    node.addEventListener("mouseleave", () => { tip.hidden = true; });
    node.addEventListener("click", (e) => {
      showTip(e, tipFor());
      clearTimeout(tipTimer); // a tap has no mouseleave: the tip goes by itself
      tipTimer = setTimeout(() => { tip.hidden = true; }, 2500);
      choose(code);
    });
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(code); }
    });
  }

  async function draw() {
    if (needsPrefectures(state.counts) && !prefectures) {
      prefectures = prepare(await loadLayer(PREFECTURES_FILE, baseUrl), project);
    }
    const placed = placeCounts(state.counts, new Set(provinces.keys()),
      new Set(prefectures ? prefectures.units.keys() : []), level);
    const detailed = new Set([...placed.prefecture.keys()].map((c) => `${c.slice(0, 2)}0000`));
    const values = [...placed.province.values(), ...placed.prefecture.values()];
    const breaks = classBreaks(Math.max(0, ...values));

    const svg = sv("svg", { class: "cnmap-svg", viewBox: viewBox.join(" "), role: "img",
      "aria-label": options.title || "中国地图 Map of China" });
    const summary = [...placed.province, ...placed.prefecture]
      .map(([c, n]) => `${info(c).name} ${n}`).join("；");
    svg.append(sv("title", {}, options.title || "中国地图 Map of China"), sv("desc", {}, summary || "无数据 no data"));

    const gProv = sv("g", { class: "cnmap-provinces" });
    const gPref = sv("g", { class: "cnmap-prefectures" });
    const gOutline = sv("g", {});
    const gDots = sv("g", {});
    for (const u of provinces.values()) {
      const own = placed.province.get(u.code) || 0;
      const isDetailed = detailed.has(u.code);
      const subTotal = isDetailed
        ? [...placed.prefecture].filter(([c]) => c.startsWith(u.code.slice(0, 2))).reduce((s, [, n]) => s + n, 0) : 0;
      const path = sv("path", { d: u.d, class: "cnmap-province cnmap-unit", "data-code": u.code,
        "data-count": own, "data-level": "province", fill: isDetailed ? NO_DATA : colourOf(own, breaks),
        "fill-rule": "evenodd", tabindex: own || isDetailed ? "0" : null, role: own || isDetailed ? "button" : null,
        "aria-label": `${u.name} ${own}` });
      bindUnit(path, u.code, () => tipLines(u.name, own + subTotal,
        isDetailed ? `省级 province-level ${own} · 下辖 below ${subTotal}` : null));
      gProv.append(path);
      if (isDetailed) gOutline.append(sv("path", { d: u.d, class: "cnmap-outline", "fill-rule": "evenodd" }));
      if (isDetailed && own) {
        u.anchor ??= anchorOf(u.polys, project);
        const [x, y] = u.anchor;
        const r = (box.x1 - box.x0) * 0.014;
        const dot = sv("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), class: "cnmap-dot cnmap-unit",
          "data-code": u.code, "data-count": own, "data-level": "province", tabindex: "0", role: "button",
          "aria-label": `${u.name}（省级）${own}` });
        bindUnit(dot, u.code, () => tipLines(`${u.name}（省级 province-level）`, own));
        gDots.append(dot, sv("text", { x: x.toFixed(1), y: y.toFixed(1), class: "cnmap-dot-text",
          "font-size": (r * 1.2).toFixed(1) }, String(own)));
      }
    }
    if (prefectures) {
      for (const u of prefectures.units.values()) {
        if (!detailed.has(u.province)) continue;
        const n = placed.prefecture.get(u.code) || 0;
        const provName = provinces.get(u.province)?.name || "";
        const path = sv("path", { d: u.d, class: "cnmap-prefecture cnmap-unit", "data-code": u.code,
          "data-count": n, "data-level": "prefecture", fill: colourOf(n, breaks), "fill-rule": "evenodd",
          tabindex: n ? "0" : null, role: n ? "button" : null, "aria-label": `${u.name} ${n}` });
        bindUnit(path, u.code, () => tipLines(u.name, n, provName));
        gPref.append(path);
        if (n && u.size < (box.x1 - box.x0) * 0.012) {
          // a unit too small to see at this scale (厦门市, 深圳市) gets a spot of its colour
          u.anchor ??= anchorOf(u.polys, project);
          const spot = sv("circle", { cx: u.anchor[0].toFixed(1), cy: u.anchor[1].toFixed(1),
            r: ((box.x1 - box.x0) * 0.007).toFixed(1), fill: colourOf(n, breaks), class: "cnmap-spot cnmap-unit",
            "data-code": u.code, "data-count": n, "data-level": "prefecture" });
          bindUnit(spot, u.code, () => tipLines(u.name, n, provName));
          gDots.append(spot);
        }
      }
    }
    svg.append(gProv, gPref, gOutline, gDots);
    if (inset) svg.append(drawInset(inset));
    figure.replaceChildren(svg);
    for (const p of root.querySelectorAll(".cnmap-unit")) {
      p.classList.toggle("cnmap-selected", p.dataset.code === state.selected);
    }
    drawLegend(breaks, detailed.size > 0 && [...detailed].some((c) => placed.province.get(c)));
    drawUnplaced(placed.unplaced);
    root.dataset.drawn = String(gProv.childElementCount + gPref.childElementCount);
  }

  function drawInset(feature) {
    const s = insetW / 64;
    const g = sv("g", { class: "cnmap-inset", transform: `translate(${insetX.toFixed(1)} ${insetY.toFixed(1)}) scale(${s.toFixed(3)})` });
    for (const poly of polygonsOf(feature.geometry)) {
      const ring = poly[0];
      g.append(sv("path", { d: `${ring.map(([x, y], i) => `${i ? "L" : "M"}${x} ${y}`).join("")}Z` }));
    }
    g.append(sv("text", { x: 32, y: 82, class: "cnmap-inset-label", "font-size": 8 }, "南海诸岛"));
    return g;
  }

  function drawLegend(breaks, dots) {
    const keys = [el("span", { class: "cnmap-key" }, el("span", { class: "cnmap-sw", style: `background:${NO_DATA}` }), "0")];
    let lo = 1;
    for (const b of breaks) {
      keys.push(el("span", { class: "cnmap-key" },
        el("span", { class: "cnmap-sw", style: `background:${colourOf(b, breaks)}` }), lo === b ? `${b}` : `${lo}–${b}`));
      lo = b + 1;
    }
    if (dots) keys.push(el("span", { class: "cnmap-key" }, el("span", { class: "cnmap-sw cnmap-sw-dot" }), "省级 province-level"));
    legend.replaceChildren(...(label ? [el("span", {}, label)] : []), ...keys);
  }

  function drawUnplaced(list) {
    unplacedBox.replaceChildren();
    for (const reason of ["national", "anonymised", "unknown"]) {
      const items = list.filter((u) => u.reason === reason);
      if (!items.length) continue;
      const ul = el("ul");
      for (const u of items) {
        const name = state.names[u.code] || (reason === "national" ? "全国 China" : u.code);
        const btn = el("button", { type: "button", "data-code": u.code }, name, el("span", { class: "cnmap-n" }, String(u.count)));
        btn.addEventListener("click", () => choose(u.code));
        ul.append(el("li", {}, btn));
      }
      unplacedBox.append(el("h3", {}, REASON_LABEL[reason]), ul);
    }
    unplacedBox.hidden = !list.length;
  }

  await draw();
  return {
    element: root,
    async update(counts, names) {
      state = { ...state, counts: counts || {}, names: names || state.names };
      await draw();
    },
    select(code) {
      state.selected = code;
      for (const p of root.querySelectorAll(".cnmap-unit")) p.classList.toggle("cnmap-selected", p.dataset.code === code);
    },
    destroy() { root.remove(); },
  };
}
