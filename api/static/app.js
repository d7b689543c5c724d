/* policykg web page: plain JavaScript, no framework, no build step.
 *
 * Views (the URL hash names the view and its query so that any result can be linked):
 *   #home?province=…&region=…&level=…&year=…&issuer=…&kind=…&sort=…&desc=1   (the default)
 *   #targets?topic=…&province=…&region=…&year=…&object=…
 *   #compare?object=…&topic=…&docs=ID,ID
 *   #search?q=…&province=…&region=…&topic=…&year=…&has_target=true
 *   #doc?id=DOC_ID&clause=PATH
 *   #ask?q=…
 *   #graph?node=IRI&depth=N
 *   #precedents?text=…&k=…&exclude_region=…
 *
 * Everything read from the API is put into the page with textContent / DOM nodes, never as
 * HTML, so text from documents cannot inject markup.
 */
"use strict";

(() => {
  const BASE_IRI = "https://policykg.org/";
  const VIEWS = ["home", "search", "doc", "ask", "targets", "compare", "graph", "precedents"];

  // ------------------------------------------------------------------ small helpers
  const $ = (sel, root = document) => root.querySelector(sel);

  /** Create an element: h("a", {href: "#x", class: "y"}, "text", childNode, …). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false || c === "") continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  class ApiError extends Error {}

  /** fetch JSON; an error response becomes an ApiError carrying the server's message. */
  async function api(path, options = {}) {
    let resp;
    // a busy server answers 503 with Retry-After (its limit on concurrent expensive
    // requests): wait as told and try again, a few times, before showing an error
    for (let attempt = 0; ; attempt++) {
      try {
        resp = await fetch(path, { headers: { Accept: "application/json" }, ...options });
      } catch (e) {
        throw new ApiError(`无法连接服务 Cannot reach the server (${e.message})`);
      }
      const wait = Number(resp.headers.get("retry-after"));
      if (resp.status !== 503 || !wait || attempt >= 5) break;
      await new Promise((ok) => setTimeout(ok, Math.min(wait, 10) * 1000));
    }
    const type = resp.headers.get("content-type") || "";
    const body = type.includes("json") ? await resp.json().catch(() => null) : await resp.text();
    if (!resp.ok) {
      throw new ApiError(`${resp.status}: ${errorMessage(body) || resp.statusText}`);
    }
    return body;
  }

  function errorMessage(body) {
    if (!body) return "";
    if (typeof body === "string") return body.slice(0, 300);
    const d = body.detail ?? body.error ?? body.message;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) {
      return d.map((e) => (e.loc ? `${e.loc.slice(-1)[0]}: ` : "") + (e.msg || JSON.stringify(e))).join("; ");
    }
    if (d && typeof d === "object") return d.message || JSON.stringify(d);
    return JSON.stringify(body).slice(0, 300);
  }

  /** Accept a list or an object wrapping a list under one of `keys`. */
  function asList(x, ...keys) {
    if (Array.isArray(x)) return x;
    if (x && typeof x === "object") {
      for (const k of [...keys, "items", "results", "rows", "data"]) {
        if (Array.isArray(x[k])) return x[k];
      }
    }
    return [];
  }

  const first = (...xs) => xs.find((x) => x !== undefined && x !== null && x !== "");

  function setStatus(id, text, kind = "") {
    const el = document.getElementById(id);
    el.textContent = text || "";
    el.className = "status" + (kind ? ` ${kind}` : "");
  }

  // ------------------------------------------------------------------ the shapes the API returns
  // The fields read here are the API's contract: the models of api/schemas.py (OpenAPI at /docs).

  /** {code, name, province, anonymised, lon, lat, label} from a region object or string. */
  function regionOf(r) {
    if (!r) return null;
    if (typeof r === "string") {
      const code = r.startsWith(BASE_IRI) ? r.slice((BASE_IRI + "region/").length) : null;
      return { code, name: code ? null : r, label: r };
    }
    const code = r.code;
    const name = first(r.name, r.full_name, code);
    const anonymised = Boolean(r.anonymised);
    return {
      code, name, anonymised,
      province: r.province || null,
      full_name: r.full_name || null,
      level: r.level || null,
      iri: first(r.id, code && !anonymised ? `${BASE_IRI}region/${code}` : null),
      lon: num(r.lon),
      lat: num(r.lat),
      count: num(r.documents),
    };
  }

  function num(x) {
    if (x === undefined || x === null || x === "") return null;
    const n = Number(x);
    return Number.isFinite(n) ? n : null;
  }

  function regionText(r) {
    const g = regionOf(r);
    if (!g) return "";
    if (g.full_name && !g.anonymised) return g.full_name;
    let t = g.name || g.code || "";
    if (g.province && g.province !== g.name) t += `（${g.province}）`;
    return t;
  }

  function regionNode(r) {
    const g = regionOf(r);
    if (!g) return h("span", { class: "muted" }, "—");
    return h("span", { class: "region" }, regionText(r),
      g.anonymised ? h("span", { class: "badge anon", title: "匿名化的地区 anonymised region" }, "匿名 anonymised") : null);
  }

  /** Split a clause IRI …/doc/{id}/clause/{path} into its parts. */
  function parseClauseIri(iri) {
    const m = /\/doc\/([^/]+)\/clause\/(.+)$/.exec(iri || "");
    return m ? { doc: decodeURIComponent(m[1]), path: decodeURIComponent(m[2]) } : null;
  }

  function docIdOf(x) {
    const d = x.doc ?? x.document ?? x.doc_id;
    if (d && typeof d === "object") return first(d.id, d.doc_id, parseDocIri(d.iri));
    if (typeof d === "string") return parseDocIri(d) || d;
    return parseClauseIri(x.clause_id || x.clause || x.id)?.doc || null;
  }

  function parseDocIri(iri) {
    const m = /\/doc\/([^/]+)/.exec(iri || "");
    return m ? decodeURIComponent(m[1]) : null;
  }

  const docTitles = new Map(); // doc id → title, from /documents
  const topicLabels = new Map(); // topic id → Chinese label, from /topics

  function docTitleOf(x) {
    const d = x.doc ?? x.document;
    return first(d && typeof d === "object" ? first(d.title, d.source_file, d.source?.file) : null,
      x.title, docTitles.get(docIdOf(x)), x.source_file, docIdOf(x));
  }

  function clausePathOf(x) {
    return first(x.path, typeof x.clause === "string" && !x.clause.includes("/") ? x.clause : null,
      parseClauseIri(x.clause_id || x.clause || x.id)?.path);
  }

  function clauseIriOf(x) {
    const c = first(x.clause_id, typeof x.clause === "string" && x.clause.includes("/") ? x.clause : null);
    if (c) return c;
    const d = docIdOf(x), p = clausePathOf(x);
    return d && p ? `${BASE_IRI}doc/${d}/clause/${p}` : null;
  }

  /** A link to a document, scrolled to clause `path`, with the words `mark` marked in it. */
  function docLink(docId, path, label, mark) {
    const params = new URLSearchParams({ id: docId });
    if (path) params.set("clause", path);
    if (path && mark && mark.length <= 300) params.set("mark", mark);
    return h("a", { href: `#doc?${params}`, class: "doc-link" }, label);
  }

  const COMPARATORS = { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "" };

  /** A target as one readable line: "≥ 100 人 培训教师 · 每年 · 2025年前". */
  function targetText(t) {
    if (!t) return "";
    if (typeof t === "string") return t;
    const value = t.placeholder ? "xx" : t.value;
    const v = value === null || value === undefined ? "" :
      (t.value_max != null ? `${fmtNum(value)}–${fmtNum(t.value_max)}` : fmtNum(value));
    const parts = [
      [COMPARATORS[t.comparator] ?? t.comparator ?? "", v, t.unit || ""].join(" ").replace(/\s+/g, " ").trim(),
      t.object || "",
    ].filter(Boolean);
    let line = parts.join(" ");
    if (!line) line = first(t.text, t.quote, t.evidence?.quote, "") || "";
    if (t.frequency) line += ` · ${t.frequency}`;
    return line;
  }

  function fmtNum(x) {
    const n = Number(x);
    return Number.isFinite(n) ? (Number.isInteger(n) ? String(n) : String(+n.toFixed(2))) : String(x);
  }

  function deadlineOf(t) {
    if (!t || typeof t !== "object") return null;
    return first(t.deadline);
  }

  function bodyText(b) {
    if (!b) return "";
    if (typeof b === "string") return b;
    const name = first(b.name, "");
    const ROLES = { responsible: "负责", lead: "牵头", participant: "参与", participating: "参与" };
    return b.role ? `${name}（${ROLES[b.role] || b.role}）` : name;
  }

  function measureText(m) {
    if (!m) return "";
    if (typeof m === "string") return m;
    return first(m.heading, m.label, m.clause, m.path, "") || "";
  }

  /** The [start, end] of a `highlight` ([start, end] or {start, end}) when it fits `text`. */
  function spanOf(text, hl) {
    let a = null, b = null;
    if (Array.isArray(hl) && hl.length >= 2) [a, b] = hl;
    else if (hl && typeof hl === "object") { a = hl.start; b = hl.end; }
    return Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a < b && b <= (text || "").length ? [a, b] : null;
  }

  /** The clause text with the `highlight` span in <mark>. With `excerpt`, a long clause shows
   * only the marked span and a little context, and the whole text behind a disclosure. */
  function highlighted(text, hl, excerpt = false) {
    text = text || "";
    const span = spanOf(text, hl);
    const p = h("p", { class: "clause-text" });
    const CONTEXT = 40;
    if (excerpt && text.length > 2 * CONTEXT + (span ? span[1] - span[0] : 80)) {
      const [a, b] = span || [0, Math.min(text.length, 80)];
      const from = Math.max(0, a - CONTEXT), to = Math.min(text.length, b + CONTEXT);
      p.append(from > 0 ? "…" : "", text.slice(from, a), span ? h("mark", {}, text.slice(a, b)) : text.slice(a, b),
        text.slice(b, to), to < text.length ? "…" : "");
      return h("div", {}, p, h("details", { class: "full-text" }, h("summary", {}, "全文 Full text"),
        highlighted(text, hl)));
    }
    if (span) p.append(text.slice(0, span[0]), h("mark", {}, text.slice(...span)), text.slice(span[1]));
    else p.append(text);
    return p;
  }

  /** One clause hit (search result, precedent or ask fallback) as an <article>. */
  function clauseCard(r, { showDoc = true, showRegion = true, excerpt = false } = {}) {
    const docId = docIdOf(r), path = clausePathOf(r), iri = clauseIriOf(r);
    const span = spanOf(r.text, r.highlight);
    const markText = span ? r.text.slice(...span) : null;
    const targets = asList(r.targets), bodies = asList(r.bodies);
    const measure = measureText(r.measure);
    const metaParts = [
      showDoc ? (docId ? docLink(docId, path, docTitleOf(r), markText) : docTitleOf(r)) : null,
      showRegion && r.region ? regionNode(r.region) : null,
      path ? h("span", { class: "path", title: "条款路径 clause path" }, `§ ${path}`) : null,
      r.score != null ? h("span", { class: "score", title: "相关度 score" }, `${fmtNum(r.score)}`) : null,
    ].filter(Boolean);
    const meta = h("p", { class: "hit-meta" }, metaParts.flatMap((x, i) => (i ? [" · ", x] : [x])));
    return h("article", { class: "hit", dataset: { clause: iri || "", doc: docId || "", path: path || "" } },
      meta,
      highlighted(r.text || r.quote, r.highlight, excerpt),
      measure ? h("p", { class: "facts" }, h("span", { class: "label" }, "措施 Measure："), measure) : null,
      targets.length ? h("div", { class: "facts" }, h("span", { class: "label" }, "指标 Targets："),
        h("ul", { class: "targets" }, targets.map((t) =>
          h("li", {}, targetText(t), deadlineOf(t) ? h("span", { class: "deadline" }, ` → ${deadlineOf(t)}`) : null)))) : null,
      bodies.length ? h("p", { class: "facts" }, h("span", { class: "label" }, "责任主体 Bodies："),
        bodies.map(bodyText).filter(Boolean).join("；")) : null,
      h("p", { class: "hit-actions" },
        docId ? docLink(docId, path, "打开文件 Open document", markText) : null,
        iri ? [" · ", h("a", { href: `#graph?${new URLSearchParams({ node: iri, depth: "1" })}` }, "图谱 Graph")] : null));
  }

  /** Fill `tbody` with the first `size` of `items` (each made into a row by `make`), and put
   * under its table a pager: "1–50 of 1234 · Show 50 more · Show all". A long table (every
   * target of a corpus) stays quick to draw and to scroll. */
  function pagedRows(tbody, items, make, size = 50) {
    const table = tbody.closest("table");
    let pager = table.parentElement.nextElementSibling;
    if (!pager || !pager.classList.contains("pager")) {
      pager = h("p", { class: "pager", "aria-live": "polite" });
      table.parentElement.after(pager);
    }
    let shown = 0;
    const more = (n) => {
      const next = items.slice(shown, shown + n);
      tbody.append(...next.map(make));
      shown += next.length;
      draw();
    };
    const draw = () => {
      const left = items.length - shown;
      pager.replaceChildren(...(items.length > size ? [
        h("span", { class: "muted" }, `显示 ${shown} / ${items.length} 行 · showing ${shown} of ${items.length} rows`),
        left > 0 ? h("button", { type: "button", class: "more", onclick: () => more(size) }, `再显示 ${Math.min(size, left)} 行 Show more`) : null,
        left > size ? h("button", { type: "button", class: "linklike", onclick: () => more(left) }, `全部显示 Show all ${items.length}`) : null,
      ] : []));
      pager.hidden = items.length <= size;
    };
    tbody.replaceChildren();
    more(size);
  }

  // ------------------------------------------------------------------ reference data (filters)
  let refsPromise = null;
  function loadRefs() {
    if (!refsPromise) {
      refsPromise = Promise.all([
        api("/regions").catch(() => []),
        api("/topics").catch(() => []),
        api("/documents").catch(() => []),
      ]).then(([regions, topics, docs]) => {
        for (const d of asList(docs, "documents")) {
          const id = first(d.id, docIdOf(d));
          if (id) docTitles.set(id, first(d.title, d.source?.file, d.source_file, id));
        }
        for (const t of asList(topics, "topics")) if (t.id) topicLabels.set(t.id, first(t.label_zh, t.id));
        const refs = {
          documents: asList(docs, "documents"),
          regions: asList(regions, "regions").map(regionOf).filter(Boolean),
          topics: asList(topics, "topics"),
        };
        fillFilters(refs);
        return refs;
      });
    }
    return refsPromise;
  }

  function topicLabel(t) {
    if (typeof t === "string") return t;
    const zh = first(t.label_zh, t.pref_label_zh, t.labels?.zh, t.label);
    const en = first(t.label_en, t.pref_label_en, t.labels?.en);
    return [zh, en].filter(Boolean).join(" · ") || topicId(t);
  }
  const topicId = (t) => (typeof t === "string" ? t : first(t.id, t.code, t.iri));

  function fillFilters(refs) {
    const prov = $("#f-province"), reg = $("#f-region"), top = $("#f-topic"), exc = $("#prec-exclude");
    const provinces = [...new Set(refs.regions.map((r) => (r.level === "province" ? r.name : r.province)).filter(Boolean))].sort();
    for (const p of provinces) prov.append(h("option", { value: p }, p));
    const regions = refs.regions.filter((r) => r.code && r.level !== "country");
    for (const r of regions) {
      const text = r.anonymised ? `${r.name}（匿名）` : (r.province && r.province !== r.name ? `${r.name}（${r.province}）` : r.name);
      reg.append(h("option", { value: r.code }, text));
      exc.append(h("option", { value: r.code }, text));
    }
    for (const t of refs.topics) top.append(h("option", { value: topicId(t) }, topicLabel(t)));
    for (const sel of ["#d-province", "#t-province"]) for (const p of provinces) $(sel).append(h("option", { value: p }, p));
    for (const sel of ["#d-region", "#t-region"]) {
      for (const r of regions) $(sel).append(h("option", { value: r.code }, r.anonymised ? `${r.name}（匿名）` : (r.full_name || r.name)));
    }
    for (const sel of ["#t-topic", "#c-topic"]) for (const t of refs.topics) $(sel).append(h("option", { value: topicId(t) }, topicLabel(t)));
    const docs = refs.documents;
    const uniq = (xs) => [...new Set(xs.filter(Boolean))].sort();
    for (const l of uniq(docs.map((d) => d.region?.level))) $("#d-level").append(h("option", { value: l }, LEVELS[l] || l));
    for (const y of uniq(docs.map((d) => docYear(d))).reverse()) $("#d-year").append(h("option", { value: y }, y));
    for (const k of uniq(docs.map((d) => d.kind))) $("#d-kind").append(h("option", { value: k }, KINDS[k] || k));
    // Reapply the hash now that the options exist (a linked search keeps its filters). A bare
    // view (#precedents) has nothing to reapply: what the user typed meanwhile is kept.
    const linked = [...hashParams().keys()].length > 0;
    if (linked && currentView() === "search") applyForm($("#search-form"), hashParams());
    if (linked && currentView() === "precedents") applyForm($("#prec-form"), hashParams());
    if (linked && currentView() === "targets") applyForm($("#targets-form"), hashParams());
    if (linked && currentView() === "compare") applyForm($("#compare-form"), hashParams());
  }

  // ------------------------------------------------------------------ routing
  function hashParts() {
    const raw = location.hash.replace(/^#/, "");
    const i = raw.indexOf("?");
    return { view: i < 0 ? raw : raw.slice(0, i), params: new URLSearchParams(i < 0 ? "" : raw.slice(i + 1)) };
  }
  const hashParams = () => hashParts().params;
  function currentView() {
    const v = hashParts().view;
    return VIEWS.includes(v) ? v : "home";
  }

  function go(view, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) qs.set(k, v);
    const target = `#${view}${[...qs].length ? "?" + qs : ""}`;
    if (location.hash === target) route(); // same query again: run it again
    else location.hash = target;
  }

  function applyForm(form, params) {
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") el.checked = params.get(el.name) === "true";
      else if (params.has(el.name)) el.value = params.get(el.name);
      else if (el.tagName === "SELECT") el.value = "";
      else if (el.name !== "k" && el.name !== "depth") el.value = "";
    }
  }

  function formParams(form) {
    const out = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") { if (el.checked) out[el.name] = "true"; }
      else if (el.value.trim() !== "") out[el.name] = el.value.trim();
    }
    return out;
  }

  function route() {
    const { params } = hashParts();
    const view = currentView();
    for (const sec of document.querySelectorAll(".view")) sec.hidden = sec.dataset.view !== view;
    for (const a of document.querySelectorAll("[data-tab]")) {
      const active = a.dataset.tab === view || (view === "doc" && a.dataset.tab === "search");
      if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    document.title = `policykg · ${{ home: "概览", search: "检索", doc: "文件", ask: "问答", targets: "指标", compare: "对比", graph: "图谱", precedents: "先例" }[view]}`;
    if (view === "home") showHome(params);
    else if (view === "targets") showTargets(params);
    else if (view === "compare") showCompare(params);
    else if (view === "search") showSearch(params);
    else if (view === "doc") showDocument(params);
    else if (view === "ask") showAsk(params);
    else if (view === "graph") showGraph(params);
    else if (view === "precedents") showPrecedents(params);
  }

  // A counter per view: a slow answer to an older query never overwrites a newer one.
  const seq = {};
  const ticket = (view) => (seq[view] = (seq[view] || 0) + 1);
  const stale = (view, n) => seq[view] !== n;

  // ------------------------------------------------------------------ search
  /** " · 扩展为 expanded to: 教师 培训" for an English query the service put into Chinese. */
  function searchInterpretation(i) {
    if (!i) return "";
    if (typeof i === "string") return ` · 理解为 interpreted as: ${i}`;
    const parts = [];
    if (i.expansion) parts.push(`扩展为 expanded to: ${Array.isArray(i.expansion) ? i.expansion.join(" ") : String(i.expansion)}`);
    for (const [k, v] of Object.entries(i)) {
      if (k !== "expansion" && v !== null && v !== undefined && v !== "") parts.push(`${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
    }
    return parts.length ? ` · ${parts.join(" · ")}` : "";
  }

  async function showSearch(params) {
    const form = $("#search-form");
    applyForm(form, params);
    const q = params.get("q");
    const list = $("#search-results");
    if (!q) { list.replaceChildren(); setStatus("search-status", ""); return; }
    const n = ticket("search");
    const qs = new URLSearchParams({ q, k: params.get("k") || "20" });
    for (const f of ["province", "region", "topic", "year", "doc", "has_target"]) {
      if (params.get(f)) qs.set(f, params.get(f));
    }
    setStatus("search-status", "检索中… Searching…", "busy");
    list.setAttribute("aria-busy", "true");
    try {
      const [res] = await Promise.all([api(`/search?${qs}`), loadRefs()]);
      if (stale("search", n)) return;
      const hits = asList(res, "results", "hits");
      list.replaceChildren(...hits.map((r) => h("li", {}, clauseCard(r))));
      const interp = searchInterpretation(res?.interpreted);
      setStatus("search-status", hits.length ? `${hits.length} 条结果 results for “${q}”${interp}` : `没有结果 No results for “${q}”${interp}`);
    } catch (e) {
      if (stale("search", n)) return;
      list.replaceChildren();
      setStatus("search-status", e.message, "error");
    } finally {
      if (!stale("search", n)) list.removeAttribute("aria-busy");
    }
  }

  // ------------------------------------------------------------------ document
  function clauseList(nodes, depth = 0) {
    if (!nodes.length) return null;
    return h("ol", { class: `clauses depth-${Math.min(depth, 4)}` }, nodes.map((c) => {
      const path = clausePathOf(c) || "";
      const heading = c.heading && !(c.text || "").includes(c.heading) ? h("strong", {}, c.heading, " ") : null;
      return h("li", { id: `clause-${path}`, class: "clause", dataset: { path } },
        h("div", { class: "clause-body" },
          h("span", { class: "path" }, path),
          h("p", { class: "clause-text" }, heading, first(c.text, [c.label, c.heading].filter(Boolean).join(" "), ""))),
        clauseList(asList(c.children, "clauses"), depth + 1));
    }));
  }

  /** Compare clause paths in document order: 2.10 after 2.9, attachments (A1…) last. */
  function comparePaths(a, b) {
    const pa = String(clausePathOf(a) || "").split("."), pb = String(clausePathOf(b) || "").split(".");
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      if (pa[i] === undefined) return -1;
      if (pb[i] === undefined) return 1;
      const c = pa[i].localeCompare(pb[i], "en", { numeric: true });
      if (c) return c;
    }
    return 0;
  }

  function sortTree(nodes) {
    nodes.sort(comparePaths);
    for (const n of nodes) if (Array.isArray(n.children)) sortTree(n.children);
    return nodes;
  }

  /** Clauses as a tree in document order: use `children` when present, else nest by path. */
  function clauseTree(list) {
    if (list.some((c) => Array.isArray(c.children))) return sortTree([...list]);
    const byPath = new Map(), roots = [];
    for (const c of list) byPath.set(clausePathOf(c), { ...c, children: [] });
    for (const c of byPath.values()) {
      const p = clausePathOf(c) || "";
      const parent = byPath.get(p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : null);
      (parent ? parent.children : roots).push(c);
    }
    return sortTree(roots);
  }

  async function showDocument(params) {
    const id = params.get("id"), path = params.get("clause");
    const meta = $("#doc-meta"), tree = $("#doc-tree");
    if (!id) { setStatus("doc-status", "缺少文件 id · No document id in the link", "error"); return; }
    const n = ticket("doc");
    setStatus("doc-status", "加载中… Loading…", "busy");
    try {
      const d = await api(`/documents/${encodeURIComponent(id)}`);
      if (stale("doc", n)) return;
      const doc = d.document && typeof d.document === "object" ? { ...d.document, ...d } : d;
      $(".doc-layout").hidden = false;
      $("#h-doc").textContent = doc.title || doc.source?.file || id;
      const rows = [
        ["发文单位 Issuer", doc.issuer], ["转发 Forwarded by", doc.forwarded_by], ["日期 Date", doc.date],
        ["文号 Number", doc.doc_number], ["期间 Period", doc.period],
        ["地区 Region", doc.region ? regionNode(doc.region) : null],
        ["来源文件 Source", first(doc.source_file, doc.source?.file)], ["ID", first(doc.id, id)],
        ["引用 Cites", asList(doc.cited).length ? h("ul", { class: "cited" }, asList(doc.cited).map((c) =>
          h("li", {}, typeof c === "string" ? c : [c.title ? `《${c.title}》` : "", c.doc_number || ""].join(" ").trim()))) : null],
      ].filter(([, v]) => v !== null && v !== undefined && v !== "");
      meta.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
      const docIri = first(doc.iri, `${BASE_IRI}doc/${first(doc.id, id)}`);
      $("#doc-graph-link").href = `#graph?${new URLSearchParams({ node: docIri, depth: "1" })}`;
      $("#doc-lineage-link").href = `/static/lineage.html?${new URLSearchParams({ doc: first(doc.id, id) })}`;
      const parts = [clauseList(clauseTree(asList(doc.clauses, "clauses", "tree")))];
      for (const a of asList(doc.attachments)) {
        parts.push(h("h2", { class: "attachment" }, `附件${a.number ?? ""} ${a.title || ""}`),
          clauseList(clauseTree(asList(a.clauses))));
      }
      tree.replaceChildren(...parts.filter(Boolean));
      if (!tree.children.length) tree.append(h("p", { class: "muted" }, "此文件没有条款 No clauses"));
      setStatus("doc-status", "");
      if (path) markClause(path, params.get("mark"));
      else tree.scrollTop = 0;
    } catch (e) {
      if (stale("doc", n)) return;
      tree.replaceChildren(); meta.replaceChildren();
      const missing = /^404/.test(e.message);
      $(".doc-layout").hidden = missing;
      $("#h-doc").textContent = missing ? "文件未找到 Document not found" : "文件 Document";
      setStatus("doc-status", missing ? `没有编号为“${id}”的文件 · There is no document “${id}” (${e.message})` : e.message, "error");
    }
  }

  function markClause(path, words) {
    const tree = $("#doc-tree");
    for (const el of tree.querySelectorAll(".marked")) { el.classList.remove("marked"); el.removeAttribute("aria-current"); }
    const li = document.getElementById(`clause-${path}`);
    if (!li) { setStatus("doc-status", `条款 ${path} 不在此文件中 · Clause ${path} is not in this document`, "error"); return; }
    li.classList.add("marked");
    li.setAttribute("aria-current", "location");
    const body = li.querySelector(".clause-body");
    const p = body.querySelector(".clause-text");
    const text = p.textContent, at = words ? text.indexOf(words) : -1;
    if (at >= 0) p.replaceChildren(text.slice(0, at), h("mark", {}, words), text.slice(at + words.length));
    body.setAttribute("tabindex", "-1");
    // scroll the tree (not the window) so the clause sits near the top third of the panel
    const top = body.getBoundingClientRect().top - tree.getBoundingClientRect().top + tree.scrollTop;
    tree.scrollTop = Math.max(0, top - tree.clientHeight / 3);
    tree.scrollIntoView({ block: "nearest" });
    body.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ ask
  /** Flatten an /ask answer into table rows {region, target, evidence, item, count}.
   *
   * /ask answers `answer: [group]`, a group being a region ({region, documents, evidence: [ev],
   * count?}) or a document ({id, title, region, evidence}); an evidence item is a target
   * (kind "target": value, unit, object, deadline … and doc, path, quote) or a clause (kind
   * "clause"). Nested `targets` lists and flat rows are read as well. */
  function askRows(ans) {
    const rows = [];
    const groups = ans && typeof ans === "object" && !Array.isArray(ans)
      ? asList(ans.answer ?? ans.regions ?? ans.rows ?? [])
      : asList(ans);
    for (const item of groups) {
      if (!item || typeof item !== "object") continue;
      const region = item.region ?? (item.code || (item.name && !item.slug) ? item : null);
      const count = item.count && typeof item.count === "object" ? item.count : null;
      const evidence = asList(item.evidence ?? item.targets);
      if (evidence.length) {
        for (const ev of evidence) {
          const isTarget = ev.kind === "target" || (ev.kind === undefined && (ev.value !== undefined || ev.placeholder));
          rows.push({ region, target: isTarget ? ev : null, evidence: ev.evidence && !ev.quote ? ev.evidence : ev, item, count });
        }
      } else if (item.target || (item.kind === "target")) {
        rows.push({ region, target: item.target ?? item, evidence: item.evidence ?? item, item, count });
      } else {
        rows.push({ region, target: null, evidence: item.evidence ?? (item.quote || item.text ? item : null), item, count });
      }
    }
    return rows;
  }

  function evidenceNode(ev) {
    if (!ev || typeof ev !== "object") return h("span", { class: "muted" }, "—");
    const docId = docIdOf(ev), path = clausePathOf(ev);
    const quote = first(ev.quote, ev.text, ev.evidence?.quote);
    // a target's quote is its own words ("40人"): shown marked inside the sentence it stands in
    const sentence = typeof ev.sentence === "string" ? ev.sentence : "";
    const at = quote && sentence ? sentence.indexOf(quote) : -1;
    const said = at >= 0 && sentence.length > quote.length
      ? [sentence.slice(0, at), h("mark", {}, quote), sentence.slice(at + quote.length)]
      : [quote];
    return h("div", { class: "evidence" },
      docId ? docLink(docId, path, `${docTitleOf(ev)}${path ? " § " + path : ""}`, quote) : (path ? `§ ${path}` : null),
      quote ? h("blockquote", {}, ...said) : null);
  }

  const INTENTS = {
    regions: "哪些地区 which regions", documents: "哪些文件 which documents", bodies: "哪些主体 which bodies",
    count: "多少 how many", targets: "列出指标 list targets", search: "检索 search",
  };

  /** "问题类型 which regions · 主题 教师培训 / teacher training (label) · 年份 2025 …" */
  function interpretationText(ans) {
    const i = ans?.interpretation ?? ans?.interpreted;
    if (!i) return "";
    if (typeof i === "string") return i;
    const parts = [];
    if (i.intent) parts.push(`问题类型 ${INTENTS[i.intent] || i.intent}`);
    if (i.topic || i.topic_label) parts.push(`主题 topic ${first(i.topic_label, i.topic)}`);
    if (i.region) parts.push(`地区 region ${typeof i.region === "object" ? first(i.region.name, i.region.code) : i.region}`);
    if (i.year) parts.push(`期限 deadline ${i.year}`);
    if (i.with_targets) parts.push("有数量指标 with targets");
    if (i.funding) parts.push("经费 funding amounts");
    if (i.requirement) parts.push(`要求 requirement “${i.requirement}”`);
    if (i.object) parts.push(`对象 object “${i.object}”`);
    if (asList(i.frequency).length) parts.push(`频次 frequency ${asList(i.frequency).join("、")}`);
    const known = new Set(["intent", "frequency", "terms", "ignored", "topic", "topic_label", "topic_via", "region", "year", "with_targets", "funding",
      "requirement", "object", "language", "matched", "source"]);
    for (const [k, v] of Object.entries(i)) {
      if (!known.has(k) && v !== null && v !== undefined && v !== "" && typeof v !== "object") parts.push(`${k} ${v}`);
    }
    return first(i.text, i.summary, parts.join(" · "));
  }

  /** What a paged answer lists and what the complete one holds: {regions, documents, listed,
   * total, evidence}. /ask lists at most `per_region` documents of each region (bodies: pieces
   * of evidence per body); every region is there with `documents_total` (bodies:
   * `evidence_total`), and the answer's `documents_total` counts every document that answers.
   * `listed` and `total` count what is paged (documents, or a body's evidence). */
  function askTotals(ans) {
    const groups = asList(ans?.answer ?? []);
    const sum = (f) => groups.reduce((n, g) => n + f(g), 0);
    const documents = typeof ans?.documents_total === "number" ? ans.documents_total : null;
    if (groups.length && groups[0].level) { // bodies: each body's evidence is paged
      return { regions: null, documents, evidence: true, listed: sum((g) => asList(g.evidence).length),
        total: sum((g) => g.evidence_total ?? asList(g.evidence).length) };
    }
    if (groups.length && groups[0].documents) { // regions: each region's documents are paged
      const listed = sum((g) => asList(g.documents).length);
      return { regions: groups.length, documents: documents ?? listed, evidence: false, listed,
        total: sum((g) => g.documents_total ?? asList(g.documents).length) };
    }
    // documents (or nothing): documents are paged region by region
    const regions = new Set(groups.map((g) => regionOf(g.region)?.code || regionText(g.region)).filter(Boolean));
    return { regions: groups.length ? regions.size : 0, documents: documents ?? groups.length, evidence: false,
      listed: groups.length, total: Math.max(groups.length, documents ?? 0) };
  }

  /** Under the table, when the answer left documents out: how many, and a button that asks
   * again for every one (per_region=0). */
  function renderAskMore(q, ans, totals) {
    const box = $("#ask-more");
    const left = totals.total - totals.listed;
    box.hidden = left <= 0;
    if (left <= 0) { box.replaceChildren(); return; }
    const cap = ans?.per_region;
    const text = totals.evidence
      ? `还有 ${fmtNum(left)} 条依据未列出（每个主体列出 ${cap} 条）· ${fmtNum(left)} more pieces of evidence not listed (${cap} per body) `
      : `还有 ${fmtNum(left)} 份文件未列出（每个地区列出最相关的 ${cap} 份）· ${fmtNum(left)} more documents not listed (at most ${cap} per region, the best first) `;
    box.replaceChildren(h("span", {}, text),
      h("button", { type: "button", class: "more", id: "ask-show-all", onclick: () => go("ask", { q, per_region: 0 }) }, "显示全部 Show all"));
  }

  async function showAsk(params) {
    const q = params.get("q") || "";
    $("#ask-q").value = q;
    const answerBox = $("#ask-answer"), fallback = $("#ask-fallback");
    if (!q) { answerBox.hidden = true; fallback.hidden = true; $("#ask-more").hidden = true; setStatus("ask-status", ""); $("#ask-interpretation").textContent = ""; return; }
    const n = ticket("ask");
    setStatus("ask-status", "思考中… Answering…", "busy");
    // the API's default lists the best documents of each region; "Show all" asks with per_region=0
    const perRegion = params.get("per_region");
    const query = { q, ...(perRegion !== null && /^\d+$/.test(perRegion) ? { per_region: perRegion } : {}) };
    try {
      const [ans, refs] = await Promise.all([api(`/ask?${new URLSearchParams(query)}`), loadRefs()]);
      if (stale("ask", n)) return;
      const interp = interpretationText(ans);
      $("#ask-interpretation").textContent = interp ? `理解为 Interpreted as: ${interp}` : "";
      const rows = askRows(ans);
      // nothing fits: the closest clauses (every clause was read and none states it) or the
      // search results, shown as such, never as the answer
      const closest = !rows.length ? asList(ans?.closest ?? []) : [];
      const fb = closest.length ? closest
        : ans?.fallback === true || !rows.length ? asList(ans?.results ?? ans?.groups ?? []) : [];
      $("#ask-fallback-title").replaceChildren(...(closest.length
        ? ["最接近的条款 ", h("span", { class: "en" }, "Closest clauses — no region states exactly this; these are not answers")]
        : ["相关条款 ", h("span", { class: "en" }, "Related clauses (no structured answer)")]));
      renderAskTable(rows, ans);
      answerBox.hidden = !rows.length;
      for (const fmt of ["csv", "xlsx"]) $(`#ask-${fmt}`).href = `/ask?${new URLSearchParams({ q, format: fmt })}`;
      if (rows.length) await renderAskMap(rows, refs);
      renderAskFallback(fb);
      fallback.hidden = !fb.length;
      renderDocumentLevelBodies(ans);
      const totals = askTotals(ans);
      renderAskMore(q, ans, totals);
      // regions and documents: the complete answer's (every region is listed, its documents may
      // not all be); targets and evidence: those listed
      const regions = totals.regions ?? new Set(rows.map((r) => regionOf(r.region)?.code || regionText(r.region)).filter(Boolean)).size;
      const nTargets = rows.filter((r) => r.target).length;
      const docs = totals.documents;
      const paged = totals.total > totals.listed;
      const counts = rows.length
        ? (docs !== null
          ? `${regions} 个地区，${fmtNum(docs)} 份文件，${paged ? "列出 " : ""}${nTargets} 项指标，${rows.length} 条依据 · ${regions} regions, ${fmtNum(docs)} documents, ${nTargets} targets, ${rows.length} pieces of evidence${paged ? " listed" : ""}`
          : `${regions} 个地区，${nTargets} 项指标，${rows.length} 条依据 · ${regions} regions, ${nTargets} targets, ${rows.length} pieces of evidence`)
        : closest.length ? "没有地区明确这样规定（已读遍所有条款），下面是最接近的条款 · No region states this (every clause was read); the closest clauses are below"
          : (fb.length ? "没有结构化答案，下面是相关条款 · No structured answer; the most similar clauses are below" : "没有答案 No answer");
      setStatus("ask-status", counts); // the service's summary is English only: the counts say it in both
    } catch (e) {
      if (stale("ask", n)) return;
      answerBox.hidden = true; fallback.hidden = true; $("#ask-more").hidden = true;
      setStatus("ask-status", e.message, "error");
    }
  }

  // A bodies question with no measure-level body: the API says so in `note` and lists, apart,
  // the bodies tied to the documents at document level. Shown labelled, never as the answer.
  function renderDocumentLevelBodies(ans) {
    const box = $("#ask-doc-bodies");
    const items = asList(ans?.document_level_bodies ?? []);
    $("#ask-note").textContent = ans?.note ?? "";
    $("#ask-doc-bodies-list").replaceChildren(...items.map((b) => {
      const docs = asList(b.documents ?? b.evidence ?? []).map((d) => first(d.title, d.doc, "")).filter(Boolean);
      return h("li", {}, bodyText(b), docs.length ? h("span", { class: "muted" }, ` · ${docs.join("；")}`) : null);
    }));
    box.hidden = !(ans?.note || items.length);
  }

  function countText(count) {
    if (!count) return "";
    return Object.entries(count).map(([unit, v]) => `${fmtNum(v)}${unit}`).join("，");
  }

  function renderAskTable(rows, ans) {
    const tbody = $("#ask-table tbody");
    const caption = first(ans?.question, ans?.query, "");
    $("#ask-table-caption").textContent = caption ? `答案 Answer: ${caption}` : "答案 Answer";
    const isBodies = (ans?.interpretation?.intent ?? "") === "bodies";
    $("#ask-table thead th:nth-child(2)").textContent = isBodies ? "主体 Body" : "指标 Target";
    let prev = null;
    tbody.replaceChildren(...rows.map((r) => {
      const key = regionOf(r.region)?.code || regionText(r.region);
      const same = key && key === prev;
      prev = key;
      const what = r.target ? targetText(r.target)
        : isBodies ? bodyText(r.item)
          : h("span", { class: "muted" }, "条款 clause");
      return h("tr", { class: same ? "same-region" : "", dataset: { code: regionOf(r.region)?.code || "" } },
        h("th", { scope: "row" }, r.region ? regionNode(r.region) : "—",
          !same && r.count ? h("div", { class: "count" }, `合计 total ${countText(r.count)}`) : null),
        h("td", {}, what),
        h("td", { class: r.target && deadlineOf(r.target) != null ? "" : "empty", "data-label": "期限 Deadline" },
          r.target ? (deadlineOf(r.target) ?? "—") : "—"),
        h("td", {}, evidenceNode(r.evidence)));
    }));
    pageAskTable(ASK_PAGE);
  }

  /** The answer's regions on the map of China (shaded by the targets each set, or by the
   * clauses when the answer has no targets), listed beside it; a click filters the table. */
  function renderAskMap(rows, refs) {
    const byCode = new Map(refs.regions.filter((r) => r.code).map((r) => [r.code, r]));
    const regions = new Map();
    for (const r of rows) {
      const g = regionOf(r.region);
      if (!g) continue;
      const key = g.code || g.name;
      if (!regions.has(key)) {
        const known = g.code ? byCode.get(g.code) : null;
        regions.set(key, { ...g, province: g.province ?? known?.province ?? null, full_name: g.full_name ?? known?.full_name ?? null,
          targets: [], clauses: 0 });
      }
      if (r.target) regions.get(key).targets.push(r.target);
      else if (r.evidence) regions.get(key).clauses++;
      if (r.count) regions.get(key).count = r.count;
      // a paged answer lists some of the region's documents: the list says how many it has
      const total = r.item?.documents_total;
      if (typeof total === "number" && total > asList(r.item.documents).length) regions.get(key).documentsTotal = total;
    }
    const byTargets = rows.some((r) => r.target);
    const metric = (g) => (byTargets ? g.targets.length : g.clauses);
    const counts = {}, names = {};
    for (const g of regions.values()) {
      if (!g.code || !metric(g)) continue;
      counts[g.code] = metric(g);
      names[g.code] = g.anonymised ? `${g.name || g.code}（匿名 anonymised）` : (g.full_name || g.name || g.code);
    }
    $("#ask-map-caption").textContent = byTargets
      ? "颜色表示各地区设定的指标数，点击地区筛选答案 · Shaded by the number of targets each region set; click a region to filter the answer"
      : "颜色表示各地区的相关条款数，点击地区筛选答案 · Shaded by the number of matching clauses; click a region to filter the answer";
    filterAskTable(null);
    const drawn = drawMap($("#ask-map"), counts, names, byTargets ? "项指标 targets" : "条 clauses",
      (code, info) => filterAskTable(code, info?.name || names[code] || code), null);
    $("#ask-region-count").textContent = regions.size > 1 ? `（${regions.size}）` : "";
    $("#ask-region-list").replaceChildren(...[...regions.values()].sort((a, b) => metric(b) - metric(a)).map((g) =>
      h("li", {}, g.code ? h("button", { type: "button", class: "linklike", onclick: () => filterAskTable(g.code, names[g.code] || g.name) }, regionNode(g)) : regionNode(g),
        ` ${metric(g)} ${byTargets ? "项指标 targets" : "条 clauses"}`,
        countText(g.count) ? h("span", { class: "count" }, ` · 合计 total ${countText(g.count)}`) : null,
        g.documentsTotal ? h("span", { class: "muted" }, ` · 共 ${fmtNum(g.documentsTotal)} 份文件 documents`) : null)));
    return drawn;
  }

  /** A long answer shows its first rows and a pager ("Show more"); a region picked on the map
   * shows all of that region's rows. */
  const ASK_PAGE = 50;
  let askShown = ASK_PAGE;
  function pageAskTable(shown = askShown) {
    askShown = shown;
    const trs = [...document.querySelectorAll("#ask-table tbody tr")];
    trs.forEach((tr, i) => tr.classList.toggle("paged-out", i >= shown));
    const wrap = $("#ask-table").parentElement;
    let pager = wrap.nextElementSibling;
    if (!pager || !pager.classList.contains("pager")) { pager = h("p", { class: "pager", id: "ask-pager" }); wrap.after(pager); }
    const left = trs.length - Math.min(shown, trs.length);
    pager.replaceChildren(h("span", { class: "muted" }, `显示 ${trs.length - left} / ${trs.length} 行 · showing ${trs.length - left} of ${trs.length} rows`),
      left > 0 ? h("button", { type: "button", class: "more", onclick: () => pageAskTable(shown + ASK_PAGE) }, `再显示 ${Math.min(ASK_PAGE, left)} 行 Show more`) : null,
      left > ASK_PAGE ? h("button", { type: "button", class: "linklike", onclick: () => pageAskTable(trs.length) }, `全部显示 Show all ${trs.length}`) : null);
    pager.hidden = trs.length <= ASK_PAGE || $("#ask-table").hasAttribute("data-filtered");
  }

  /** Show only the answer rows inside region `code` (null: all of them). */
  function filterAskTable(code, name) {
    if (code) $("#ask-table").setAttribute("data-filtered", code); else $("#ask-table").removeAttribute("data-filtered");
    if ($("#ask-pager")) $("#ask-pager").hidden = Boolean(code) || document.querySelectorAll("#ask-table tbody tr").length <= ASK_PAGE;
    let shown = 0;
    for (const tr of document.querySelectorAll("#ask-table tbody tr")) {
      const hide = Boolean(code) && !inRegion(tr.dataset.code || "", code);
      tr.hidden = hide;
      if (!hide) shown++;
    }
    $("#ask-filter").hidden = !code;
    $("#ask-filter-text").textContent = code ? `只显示 ${name || code}（${shown} 行）· only ${name || code} (${shown} rows)` : "";
    if (!code) $("#ask-map")._cnmap?.select(null);
  }

  function renderAskFallback(items) {
    // grouped search results: [{region, documents|results|clauses: [...]}] or a flat clause list
    const box = $("#ask-fallback-groups");
    const groups = items.some((g) => asList(g.results ?? g.clauses ?? g.documents ?? g.hits).length)
      ? items : groupClauses(items);
    box.replaceChildren(...groups.map((g) => h("section", { class: "fb-group" },
      h("h3", {}, g.region ? regionNode(g.region) : first(g.title, g.name, g.label, "—")),
      asList(g.results ?? g.clauses ?? g.hits ?? g.documents).flatMap((x) =>
        asList(x.clauses ?? x.results).length ? asList(x.clauses ?? x.results).map((c) => clauseCard({ doc: x.doc ?? x.id, title: x.title, ...c }, { showRegion: false }))
          : [clauseCard(x, { showRegion: false })]))));
  }

  // ------------------------------------------------------------------ precedents
  /** Group a flat list of clauses by region, then document (keeping the API's order). */
  function groupClauses(list) {
    const groups = new Map();
    for (const c of list) {
      const g = regionOf(c.region);
      const key = g ? g.code || g.name : "—";
      if (!groups.has(key)) groups.set(key, { region: c.region, documents: new Map() });
      const docs = groups.get(key).documents, d = docIdOf(c) || "—";
      if (!docs.has(d)) docs.set(d, { doc: d, title: docTitleOf(c), clauses: [] });
      docs.get(d).clauses.push(c);
    }
    return [...groups.values()].map((g) => ({ region: g.region, documents: [...g.documents.values()] }));
  }

  /** Precedent groups as [{region, documents: [{doc, title, clauses: [...]}]}]. */
  function precedentGroups(res) {
    const groups = asList(res, "groups", "regions", "by_region");
    if (groups.length && groups.some((g) => g.documents || g.docs)) {
      return groups.map((g) => ({
        region: g.region ?? g,
        documents: asList(g.documents ?? g.docs).map((d) => ({
          doc: first(docIdOf(d), d.id), title: first(d.title, d.doc?.title, d.source_file, docIdOf(d), d.id),
          clauses: asList(d.clauses ?? d.results ?? d.hits),
        })),
      }));
    }
    return groupClauses(groups.length ? groups : asList(res, "results", "precedents"));
  }

  async function showPrecedents(params) {
    applyForm($("#prec-form"), params);
    if (!params.get("k")) $("#prec-k").value = "10";
    const text = params.get("text");
    const box = $("#prec-groups");
    if (!text) { box.replaceChildren(); setStatus("prec-status", ""); return; }
    const n = ticket("precedents");
    const body = { text, k: Number(params.get("k") || 10) };
    if (params.get("exclude_region")) body.exclude_region = params.get("exclude_region");
    setStatus("prec-status", "查找中… Searching…", "busy");
    try {
      await loadRefs();
      const res = await api("/precedents", {
        method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Accept: "application/json" },
      });
      if (stale("precedents", n)) return;
      const groups = precedentGroups(res);
      box.replaceChildren(...groups.map((g) => h("section", { class: "prec-column", "aria-label": regionText(g.region) || "—" },
        h("h2", {}, regionNode(g.region)),
        g.documents.map((d) => h("div", { class: "prec-doc" },
          h("h3", {}, d.doc && d.doc !== "—" ? docLink(d.doc, null, d.title || d.doc) : (d.title || "—")),
          d.clauses.map((c) => clauseCard({ doc: d.doc, title: d.title, ...c }, { showDoc: false, showRegion: false, excerpt: true })))))));
      const count = groups.reduce((a, g) => a + g.documents.reduce((b, d) => b + d.clauses.length, 0), 0);
      setStatus("prec-status", count
        ? `${groups.length} 个地区的 ${count} 条相似条款 · ${count} similar clauses from ${groups.length} regions`
        : "没有相似条款 No similar clauses");
    } catch (e) {
      if (stale("precedents", n)) return;
      box.replaceChildren();
      setStatus("prec-status", e.message, "error");
    }
  }

  // ------------------------------------------------------------------ the map of China (api/static/map.js)
  let mapModulePromise = null;
  const mapModule = () => (mapModulePromise ||= import("/static/map.js"));

  /** Does a document/target region `code` fall inside the map unit or filter `unit`? A
   * province (PP0000) holds its prefectures and counties, a prefecture (PPCC00) its counties. */
  function inRegion(code, unit) {
    if (!unit) return true;
    if (!code) return false;
    if (code === unit) return true;
    if (!/^\d{6}/.test(code) || !/^\d{6}$/.test(unit)) return false;
    if (unit.endsWith("0000")) return code.startsWith(unit.slice(0, 2));
    if (unit.endsWith("00")) return code.startsWith(unit.slice(0, 4));
    return code.startsWith(unit);
  }

  /** Draw (or redraw) the choropleth in `el` with `counts` by region code. */
  async function drawMap(el, counts, names, label, onSelect, selected) {
    const { renderChinaMap } = await mapModule();
    if (el._cnmap && el.contains(el._cnmap.element)) {
      await el._cnmap.update(counts, names);
    } else {
      el._cnmap = await renderChinaMap(el, { counts, names, label, onSelect: (c, i) => el._onSelect?.(c, i),
        title: label });
    }
    el._onSelect = onSelect;
    el._cnmap.select(selected || null);
    el.dataset.ready = "1";
    return el._cnmap;
  }

  function regionCountsOf(rows, regionOfRow) {
    const counts = {}, names = {};
    for (const row of rows) {
      const g = regionOf(regionOfRow(row));
      if (!g?.code) continue;
      counts[g.code] = (counts[g.code] || 0) + 1;
      names[g.code] = g.anonymised ? `${g.name || g.code}（匿名 anonymised）` : (g.full_name || g.name || g.code);
    }
    return { counts, names };
  }

  // ------------------------------------------------------------------ home: the corpus overview
  const LEVELS = { country: "国家 country", province: "省 province", prefecture: "地市 prefecture", county: "区县 county", township: "乡镇 township" };
  // ingest tells plans, opinions and notices (kind "plan") from laws and regulations ("statute")
  const KINDS = { plan: "政策文件 policy", statute: "法律法规 statute", law: "法律法规 law", other: "其他 other" };
  const docYear = (d) => (d?.date ? String(d.date).slice(0, 4) : null);
  let overviewPromise = null;

  function docMatches(d, f) {
    const r = d.region || {};
    if (f.province && r.province !== f.province && r.name !== f.province) return false;
    if (f.region && !inRegion(r.code, f.region)) return false;
    if (f.level && r.level !== f.level) return false;
    if (f.year && docYear(d) !== f.year) return false;
    if (f.kind && d.kind !== f.kind) return false;
    if (f.issuer && !`${d.issuer || ""} ${d.forwarded_by || ""}`.includes(f.issuer)) return false;
    return true;
  }

  const SORT_KEYS = {
    title: (d) => d.title || d.source?.file || "", region: (d) => regionText(d.region), issuer: (d) => d.issuer || "",
    date: (d) => d.date || "", kind: (d) => d.kind || "", clauses: (d) => Number(d.clauses) || 0,
  };

  async function showHome(params) {
    const n = ticket("home");
    const f = Object.fromEntries(["province", "region", "level", "year", "issuer", "kind"].map((k) => [k, params.get(k) || ""]));
    try {
      overviewPromise ||= api("/overview");
      const [ov, refs] = await Promise.all([overviewPromise, loadRefs()]);
      if (stale("home", n)) return;
      applyForm($("#docs-form"), params);
      const c = ov.counts;
      $("#home-counts").replaceChildren(...[
        [c.documents, "份文件 documents"], [c.regions, "个地区 regions"], [c.provinces, "个省份 provinces"],
        [c.clauses, "条条款 clauses"], [c.targets, "项指标 targets"],
      ].map(([v, l]) => h("li", {}, h("strong", {}, String(v)), " ", l)),
      c.anonymised ? h("li", { class: "muted" }, `其中 ${c.anonymised} 份地区匿名 · ${c.anonymised} anonymised`) : null);
      $("#home-examples").replaceChildren(...ov.examples.map((e) =>
        h("li", {}, h("a", { href: `#ask?${new URLSearchParams({ q: e.question })}` }, e.question))));
      const maxY = Math.max(1, ...ov.by_year.map((y) => y.documents));
      $("#home-years").replaceChildren(...ov.by_year.map((y) => h("li", {},
        h("a", { href: `#home?year=${y.year}` }, String(y.year)),
        h("span", { class: "bar", style: `width:${Math.round((y.documents / maxY) * 100)}%` }), h("span", { class: "n" }, String(y.documents)))));
      if (!ov.by_year.length) $("#home-years").append(h("li", { class: "muted" }, "无日期 no dates"));
      $("#home-newest").replaceChildren(...ov.newest.map((d) => h("li", {}, docLink(d.id, null, d.title || d.id),
        h("span", { class: "muted" }, ` · ${d.date || ""} · ${regionText(d.region)}`))));
      const docs = refs.documents.filter((d) => docMatches(d, f));
      const sort = SORT_KEYS[params.get("sort")] ? params.get("sort") : "date";
      const desc = params.has("sort") ? params.get("desc") === "1" : true;
      const key = SORT_KEYS[sort];
      docs.sort((a, b) => { const x = key(a), y = key(b); const r = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh"); return desc ? -r : r; });
      for (const th of document.querySelectorAll("#docs-table th[data-sort]")) {
        th.setAttribute("aria-sort", th.dataset.sort === sort ? (desc ? "descending" : "ascending") : "none");
      }
      pagedRows($("#docs-table tbody"), docs, (d) => h("tr", { dataset: { doc: d.id } },
        h("td", {}, docLink(d.id, null, d.title || d.source?.file || d.id), d.doc_number ? h("div", { class: "muted small" }, d.doc_number) : null),
        h("td", {}, regionNode(d.region)),
        h("td", {}, d.issuer || "—", d.forwarded_by ? h("div", { class: "muted small" }, `转发 ${d.forwarded_by}`) : null),
        h("td", { class: "nowrap" }, d.date || "—"), h("td", {}, KINDS[d.kind] || d.kind || "—"), h("td", { class: "num" }, String(d.clauses ?? ""))));
      $("#docs-count").textContent = `${docs.length} / ${refs.documents.length}`;
      const { counts, names } = regionCountsOf(refs.documents.filter((d) => docMatches(d, { ...f, region: "", province: "" })), (d) => d.region);
      await drawMap($("#home-map"), counts, names, "文件 documents", (code, info) => {
        const p = formParams($("#docs-form"));
        delete p.province; delete p.region;
        if (code === f.region || (info?.level === "province" && info.name === f.province)) { go("home", p); return; }
        if (info?.level === "province") p.province = info.name; else p.region = code;
        go("home", p);
      }, f.region || null);
      setStatus("home-status", f.region || f.province ? `筛选 filtered: ${f.province || names[f.region] || f.region}` : "");
    } catch (e) {
      if (stale("home", n)) return;
      setStatus("home-status", e.message, "error");
    }
  }

  // ------------------------------------------------------------------ targets table
  function topicName(id, refs) {
    const t = refs.topics.find((x) => topicId(x) === id);
    return t ? first(t.label_zh, id) : id;
  }

  function valueText(t) {
    const value = t.placeholder ? "xx" : t.value;
    if (value === null || value === undefined) return "—";
    const v = t.value_max != null ? `${fmtNum(value)}–${fmtNum(t.value_max)}` : fmtNum(value);
    return [COMPARATORS[t.comparator] ?? t.comparator ?? "", v, t.unit || ""].join(" ").replace(/\s+/g, " ").trim();
  }

  function targetQuery(params) {
    const qs = new URLSearchParams();
    for (const k of ["topic", "region", "year", "province", "object"]) if (params.get(k)) qs.set(k, params.get(k));
    if (params.get("region") && params.get("exact") === "true") qs.set("exact", "true");
    return qs;
  }

  async function showTargets(params) {
    const n = ticket("targets");
    setStatus("targets-status", "加载中… Loading…", "busy");
    try {
      const qs = targetQuery(params);
      const [rows, refs] = await Promise.all([api(`/targets?${qs}`), loadRefs()]);
      if (stale("targets", n)) return;
      applyForm($("#targets-form"), params);
      for (const fmt of ["csv", "xlsx"]) {
        const q = new URLSearchParams(qs); q.set("format", fmt);
        $(`#targets-${fmt}`).href = `/targets?${q}`;
      }
      const list = asList(rows);
      // each cell names its column (a phone shows one card per row); an empty one says so
      const cell = (label, value, cls = "") => {
        const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
        return h("td", { class: `${cls}${empty ? " empty" : ""}`.trim(), "data-label": label }, empty ? "—" : value);
      };
      pagedRows($("#targets-table tbody"), list, (t) => h("tr", {},
        h("th", { scope: "row" }, regionNode(t.region)),
        cell("数值 Value", valueText(t), "nowrap"),
        cell("对象 Object", t.object),
        cell("期限 Deadline", t.deadline),
        cell("时期/频次 Period", [t.period, t.frequency].filter(Boolean).join(" · ")),
        cell("主题 Topic", asList(t.topics).map((id) => h("span", { class: "tag" }, topicName(id, refs)))),
        h("td", { class: "evidence-cell" }, evidenceNode({ ...t, path: t.evidence?.clause, quote: t.evidence?.quote }))));
      setStatus("targets-status", list.length ? `${list.length} 项指标 targets` : "没有符合条件的指标 No targets match");
    } catch (e) {
      if (stale("targets", n)) return;
      $("#targets-table tbody").replaceChildren();
      setStatus("targets-status", e.message, "error");
    }
  }

  // ------------------------------------------------------------------ compare
  function regionHead(r) {
    return h("th", { scope: "col" }, regionNode(r));
  }

  async function showCompare(params) {
    const n = ticket("compare");
    const object = params.get("object") || "", topic = params.get("topic") || "";
    setStatus("compare-status", "加载中… Loading…", "busy");
    try {
      const qs = new URLSearchParams();
      if (object) qs.set("object", object);
      if (topic) qs.set("topic", topic);
      const [m, refs] = await Promise.all([api(`/compare?${qs}`), loadRefs()]);
      if (stale("compare", n)) return;
      applyForm($("#compare-form"), params);
      const table = $("#compare-matrix");
      const max = Math.max(1, ...m.rows.flatMap((r) => r.cells.map((c) => c.count)));
      table.querySelector("thead").replaceChildren(h("tr", {}, h("th", { scope: "col" }, "主题 Topic"), m.regions.map(regionHead)));
      table.querySelector("tbody").replaceChildren(...m.rows.map((r) => h("tr", {},
        h("th", { scope: "row" }, r.label_zh, h("div", { class: "muted small" }, r.label_en)),
        r.cells.map((c) => {
          if (object) {
            return h("td", {}, c.targets.length ? h("ul", { class: "values" }, c.targets.map((t) =>
              h("li", {}, h("strong", {}, valueText(t)), " ", t.object || "", t.deadline ? h("span", { class: "deadline" }, ` → ${t.deadline}`) : null,
                " ", t.doc ? docLink(t.doc, t.evidence?.clause, t.evidence?.clause ? `§ ${t.evidence.clause}` : "§", t.evidence?.quote) : null))) : h("span", { class: "muted" }, "—"));
          }
          const shade = c.count ? `background: rgba(49,130,189,${(0.12 + 0.6 * (c.count / max)).toFixed(2)})` : "";
          const region = m.regions.find((x) => x.code === c.region);
          // the cell counts the region's own documents' targets: its link shows just those
          const link = c.count ? h("a", { href: `#targets?${new URLSearchParams({ topic: r.topic === "—" ? "" : r.topic, region: region?.anonymised ? "" : c.region, exact: "true" })}` }, String(c.count)) : "·";
          return h("td", { class: "num cell", style: shade, dataset: { count: String(c.count) } }, link);
        }))));
      const wide = m.regions.length > 6 ? `；${m.regions.length} 个地区，表格可左右滚动 · ${m.regions.length} regions, scroll the table sideways` : "";
      setStatus("compare-status", m.rows.length
        ? (object ? `对象含“${object}”的指标，按主题与地区 · targets whose object contains “${object}”` : "各地区在各主题上设定的指标数 · targets set per topic and region") + wide
        : "没有指标 No targets");
      await showCompareDocs(params, refs);
    } catch (e) {
      if (stale("compare", n)) return;
      setStatus("compare-status", e.message, "error");
    }
  }

  async function showCompareDocs(params, refs) {
    const picked = (params.get("docs") || "").split(",").filter(Boolean);
    const box = $("#compare-doc-picks");
    box.replaceChildren(h("legend", {}, "选两份或以上 Pick two or more"), ...refs.documents.map((d) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "doc", value: d.id, checked: picked.includes(d.id) }),
      `${d.title || d.id}${d.region ? `（${regionText(d.region)}）` : ""}`)));
    const table = $("#compare-docs");
    if (picked.length < 2) {
      table.querySelector("thead").replaceChildren(); table.querySelector("tbody").replaceChildren();
      setStatus("compare-docs-status", "选两份或以上文件并排比较 · Pick two or more documents to set side by side");
      return;
    }
    const res = await api(`/compare/documents?${new URLSearchParams({ ids: picked.join(",") })}`);
    table.querySelector("thead").replaceChildren(h("tr", {}, h("th", { scope: "col" }, "主题 Topic"),
      res.documents.map((d) => h("th", { scope: "col" }, docLink(d.id, null, d.title || d.id), h("div", { class: "muted small" }, regionText(d.region))))));
    table.querySelector("tbody").replaceChildren(...res.rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.label_zh, h("div", { class: "muted small" }, r.label_en)),
      r.cells.map((c) => h("td", {},
        c.measures.length ? h("ul", { class: "measures" }, c.measures.map((m) => h("li", {}, docLink(c.doc, m.path, `§ ${m.path}`), " ", m.heading || ""))) : null,
        c.targets.length ? h("ul", { class: "values" }, c.targets.map((t) => h("li", {}, h("strong", {}, valueText(t)), " ", t.object || ""))) : null,
        !c.measures.length && !c.targets.length ? h("span", { class: "muted" }, "—") : null)))));
    setStatus("compare-docs-status", `${res.documents.length} 份文件，${res.rows.length} 个主题 · ${res.documents.length} documents, ${res.rows.length} topics`);
  }

  // ------------------------------------------------------------------ graph
  const KIND_COLOURS = {
    document: "#2b6cb0", clause: "#90cdf4", region: "#2f855a", body: "#b7791f",
    topic: "#805ad5", target: "#c53030", measure: "#dd6b20", other: "#718096",
  };
  const KIND_NAMES = {
    document: "文件 document", clause: "条款 clause", region: "地区 region", body: "主体 body",
    topic: "主题 topic", target: "指标 target", measure: "措施 measure", other: "其他 other",
  };
  const graph = { settled: false, network: null, nodes: null, edges: null, root: null, depth: 1, expanded: new Set(), focus: null, raw: new Map() };

  // RDF classes of the graph (ELI, W3C ORG, SKOS …) → the kinds drawn
  const CLASS_KINDS = {
    legalresource: "document", legalresourcesubdivision: "clause", organization: "body",
    formalorganization: "body", organizationalunit: "body", concept: "topic",
  };

  /** Kind of a node: from its `kind`/`type` field (a kind or an RDF class), else from its IRI. */
  function nodeKind(n) {
    const k = String(first(n.kind, n.type, n.group, "")).toLowerCase();
    if (CLASS_KINDS[k]) return CLASS_KINDS[k];
    for (const kind of Object.keys(KIND_COLOURS)) if (k.includes(kind)) return kind;
    const id = String(n.id || "");
    if (/\/target\/[^/]+$/.test(id)) return "target";
    if (/\/clause\//.test(id)) return "clause";
    if (/\/doc\/[^/]+$/.test(id)) return "document";
    for (const kind of ["region", "body", "topic", "measure"]) if (id.includes(`/${kind}/`)) return kind;
    return "other";
  }

  /** A short label to draw: clauses by their path (§ 3.2), others by name, cut at 16 chars;
   * the full label is the node's tooltip. */
  function nodeLabel(n) {
    const id = String(n.id || "");
    const kind = nodeKind(n);
    const clause = parseClauseIri(id);
    if (kind === "clause" && clause) return `§ ${clause.path}`;
    const topic = /\/topic\/([^/]+)$/.exec(id);
    if (kind === "topic" && topic && topicLabels.has(topic[1])) return topicLabels.get(topic[1]);
    const tail = id.replace(BASE_IRI, "").split("/");
    let l = first(n.heading, n.label, n.name, n.title);
    const m = /\/(measure|target)\/([^/]+)$/.exec(id);
    if (m && (kind === "measure" || kind === "target")) {
      // a measure by its heading (or its clause's words), a target by its value and object;
      // "措施 5.3" only when the graph has nothing better to say
      const own = l && String(l) !== m[2] ? String(l).replace(/^[\d.]+\s+/, "") : "";
      l = own || `${kind === "measure" ? "措施" : "指标"} ${m[2]}`;
    }
    // a label that is only the IRI's last step (…/citation/1 → "1") says more with its parent
    if (!l || (kind === "other" && String(l) === tail[tail.length - 1])) l = tail.slice(-2).join("/");
    return String(l).length > 16 ? String(l).slice(0, 15) + "…" : String(l);
  }

  function graphData(res) {
    const nodes = asList(res?.nodes ?? res, "nodes");
    const edges = asList(res?.edges ?? res?.links, "edges", "links");
    return {
      nodes: nodes.map((n) => (typeof n === "string" ? { id: n } : n)).filter((n) => n.id != null),
      edges: edges.map((e) => ({ from: first(e.source, e.from, e.s), to: first(e.target, e.to, e.o),
        label: first(e.label, e.predicate, e.type, e.kind, "") })).filter((e) => e.from != null && e.to != null),
    };
  }

  function visNode(n) {
    const kind = nodeKind(n);
    return {
      id: n.id, label: nodeLabel(n), group: kind,
      title: `${[first(n.label, n.name, n.title, ""), n.kind || ""].filter(Boolean).join(" · ")}\n${n.id}`.trim(),
      color: { background: KIND_COLOURS[kind], border: "#1a202c", highlight: { background: "#fefcbf", border: "#1a202c" } },
      font: { color: "#1a202c", face: "Noto Sans CJK SC, sans-serif", size: 13 },
      shape: kind === "document" ? "box" : "dot",
      size: kind === "document" ? undefined : 12,
    };
  }

  function addGraph(data) {
    let added = 0;
    for (const n of data.nodes) {
      graph.raw.set(n.id, { ...(graph.raw.get(n.id) || {}), ...n });
      if (!graph.nodes.get(n.id)) { graph.nodes.add(visNode(n)); added++; }
    }
    for (const e of data.edges) {
      const id = `${e.from}|${e.label}|${e.to}`;
      for (const end of [e.from, e.to]) {
        if (!graph.nodes.get(end)) { graph.nodes.add(visNode({ id: end })); added++; }
      }
      if (!graph.edges.get(id)) {
        graph.edges.add({ id, from: e.from, to: e.to, title: shortPredicate(e.label, 60), arrows: "to",
          // edge names are drawn only on small drawings; on big ones they are the tooltip
          label: data.edges.length + graph.edges.length <= 40 ? shortPredicate(e.label) : undefined,
          font: { size: 10, color: "#4a5568", strokeWidth: 2, align: "middle" }, color: { color: "#a0aec0" } });
      }
    }
    return added;
  }

  // the graph's predicates as a Chinese reader names them (the English name stays in the tooltip)
  const PREDICATE_NAMES = {
    topic: "主题", inDocument: "所在文件", hasTarget: "指标", responsibleBody: "负责", participantBody: "参与",
    leadBody: "牵头", jurisdiction: "管辖", broader: "上级", mentionsRegion: "提及", appliesTo: "适用于",
    passed_by: "发文", is_part_of: "属于", forwardedBy: "转发", cites: "引用", based_on: "依据",
    implements: "落实", adapts: "改写自", wasDerivedFrom: "来自", parent: "上级",
  };

  function shortPredicate(p, max = 18) {
    if (!p) return "";
    const t = String(p).split(/[#/:]/).pop();
    const name = max < 60 && PREDICATE_NAMES[t] ? PREDICATE_NAMES[t] : (max >= 60 && PREDICATE_NAMES[t] ? `${PREDICATE_NAMES[t]} ${t}` : t);
    return name.length > max ? name.slice(0, max - 1) + "…" : name;
  }

  // what the side panel shows of a selected node, in this order, named in Chinese
  const NODE_FIELDS = [
    ["label", "名称 Name"], ["fullName", "全称 Full name"], ["title", "标题 Title"], ["heading", "标题 Heading"],
    ["text", "条款 Clause text"], ["path", "条款路径 Clause"], ["value", "数值 Value"], ["unit", "单位 Unit"],
    ["countedObject", "对象 Object"], ["deadline", "期限 Deadline"], ["frequency", "频次 Frequency"],
    ["period", "时期 Period"], ["quote", "原文 Quote"], ["level", "级别 Level"], ["province", "省份 Province"],
    ["adcode", "行政区划代码 Code"], ["body_kind", "类型 Kind"], ["issuerName", "发文机关 Issuer"],
    ["date_document", "日期 Date"], ["identifier", "文号 Number"], ["prefLabel_en", "英文 English"],
  ];

  function ensureNetwork() {
    if (graph.network) return true;
    if (!window.vis || !window.vis.Network) {
      setStatus("graph-status", "绘图库未加载 · vis-network did not load (api/static/vendor)", "error");
      return false;
    }
    graph.nodes = new vis.DataSet();
    graph.edges = new vis.DataSet();
    graph.network = new vis.Network($("#graph-canvas"), { nodes: graph.nodes, edges: graph.edges }, {
      interaction: { hover: true, keyboard: { enabled: true, bindToWindow: false }, navigationButtons: false },
      // minVelocity well above vis' default (0.1) lets the layout come to rest quickly
      physics: { stabilization: { iterations: 150 }, minVelocity: 1, barnesHut: { springLength: 120, avoidOverlap: 0.2 } },
      layout: { improvedLayout: true },
    });
    graph.network.on("click", (p) => { if (p.nodes.length) expandNode(p.nodes[0]); });
    graph.network.on("startStabilizing", () => { graph.settled = false; });
    graph.network.on("stabilized", () => { graph.settled = true; });
    const legend = $("#graph-legend");
    legend.replaceChildren(...Object.entries(KIND_COLOURS).map(([k, c]) =>
      h("li", {}, h("span", { class: "swatch", style: `background:${c}` }), KIND_NAMES[k] || k)));
    return true;
  }

  function updateGraphStatus(extra = "") {
    const n = graph.nodes.length, m = graph.edges.length;
    const el = $("#graph-status");
    el.dataset.nodes = String(n);
    el.dataset.edges = String(m);
    setStatus("graph-status", `${n} 个节点，${m} 条边 · ${n} nodes, ${m} edges${extra}`);
    el.dataset.nodes = String(n);
    el.dataset.edges = String(m);
    // an accessible list of the nodes, each expandable from the keyboard; keep the focus on
    // the same node's button when the list is rebuilt
    const focused = document.activeElement?.closest?.("#graph-node-list") ? document.activeElement.dataset.node : null;
    $("#graph-node-list").replaceChildren(...graph.nodes.get().map((v) => h("li", {},
      h("button", { type: "button", class: "linklike", onclick: () => expandNode(v.id), dataset: { node: v.id },
        "aria-label": `展开 expand ${v.title || v.id}` }, `${v.label} (${v.group})`),
      graph.expanded.has(v.id) ? h("span", { class: "muted" }, " ✓") : null)));
    if (focused) [...document.querySelectorAll("#graph-node-list button")].find((b) => b.dataset.node === focused)?.focus();
  }

  function setDownloads(node, depth) {
    const q = (fmt) => `/export?${new URLSearchParams({ format: fmt, node, depth: String(depth) })}`;
    $("#dl-graphml").href = q("graphml");
    $("#dl-ttl").href = q("ttl");
    const slug = String(node).replace(BASE_IRI, "").replace(/[^\w.-]+/g, "_").slice(0, 60) || "graph";
    $("#dl-graphml").setAttribute("download", `${slug}.graphml`);
    $("#dl-ttl").setAttribute("download", `${slug}.ttl`);
  }

  function showSelected(id) {
    const raw = graph.raw.get(id) || { id };
    const kindName = KIND_NAMES[nodeKind(raw)] || nodeKind(raw);
    const seen = new Set();
    const rows = [["类别 Kind", kindName]];
    for (const [k, name] of NODE_FIELDS) {
      let v = raw[k];
      if (v === null || v === undefined || v === "" || typeof v === "object") continue;
      if (k === "level") v = LEVELS[v] || v;
      v = String(v);
      if (seen.has(v)) continue; // prefLabel = label = title: once is enough
      seen.add(v);
      rows.push([name, k === "text" && v.length > 200 ? v.slice(0, 199) + "…" : v]);
    }
    const dl = $("#graph-selected");
    dl.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    const kind = nodeKind(raw), c = parseClauseIri(id), d = parseDocIri(id);
    const m = kind === "measure" || kind === "target" ? /\/doc\/([^/]+)\//.exec(id) : null;
    if (kind === "clause" && c) dl.append(h("dt", {}, "打开 Open"), h("dd", {}, docLink(c.doc, c.path, "打开条款 Open clause")));
    else if (kind === "document" && d) dl.append(h("dt", {}, "打开 Open"), h("dd", {}, docLink(d, null, "打开文件 Open document")));
    else if (m && raw.path) dl.append(h("dt", {}, "打开 Open"), h("dd", {}, docLink(decodeURIComponent(m[1]), raw.path, "打开条款 Open clause")));
    dl.append(h("dt", {}, "IRI"), h("dd", { class: "small muted" }, id));
  }

  async function expandNode(id) {
    showSelected(id);
    graph.focus = id;
    setDownloads(id, graph.depth);
    if (graph.expanded.has(id)) return;
    const n = ticket("graph-expand");
    setStatus("graph-status", "展开中… Expanding…", "busy");
    try {
      const res = await api(`/graph/neighbourhood?${new URLSearchParams({ node: id, depth: "1" })}`);
      graph.expanded.add(id);
      const added = addGraph(graphData(res));
      if (stale("graph-expand", n)) return;
      updateGraphStatus(` · +${added}`);
    } catch (e) {
      setStatus("graph-status", e.message, "error");
    }
  }

  async function showGraph(params) {
    const node = params.get("node"), depth = Number(params.get("depth") || 1);
    $("#graph-node").value = node || "";
    $("#graph-depth").value = String(depth);
    fillNodeOptions();
    $("#graph-matches").hidden = true;
    if (!node) { clearGraph(); setStatus("graph-status", "输入名称或选择一个节点 · Type a name or pick a node to start from"); return; }
    if (!ensureNetwork()) return;
    if (graph.asked === node && graph.depth === depth && graph.nodes.length) { updateGraphStatus(); return; }
    const n = ticket("graph");
    setStatus("graph-status", "加载中… Loading…", "busy");
    try {
      let iri = node;
      if (!/^https?:\/\//.test(node)) { // a name: 枣庄市, 教师培训, a title … → the node it names
        const matches = await api(`/graph/find?${new URLSearchParams({ q: node, limit: "8" })}`);
        if (stale("graph", n)) return;
        if (!matches.length) {
          clearGraph();
          setStatus("graph-status", `没有名为“${node}”的节点 · No region, body, topic or document is called “${node}”`, "error");
          return;
        }
        iri = matches[0].id;
        showMatches(matches.slice(1), depth);
      }
      const res = await api(`/graph/neighbourhood?${new URLSearchParams({ node: iri, depth: String(depth) })}`);
      if (stale("graph", n)) return;
      graph.asked = node;
      graph.nodes.clear(); graph.edges.clear(); graph.raw.clear(); graph.expanded = new Set([node]);
      graph.root = iri; graph.depth = depth; graph.expanded = new Set([iri]);
      addGraph(graphData(res));
      if (!graph.nodes.get(iri)) graph.nodes.add(visNode({ id: iri }));
      // fit once the first layout is done and again when it comes to rest (it keeps moving a little)
      graph.network.once("stabilizationIterationsDone", () => graph.network.fit());
      graph.network.once("stabilized", () => graph.network.fit({ animation: false }));
      setDownloads(iri, depth);
      showSelected(iri);
      updateGraphStatus();
    } catch (e) {
      if (stale("graph", n)) return;
      setStatus("graph-status", e.message, "error");
    }
  }

  function clearGraph() {
    graph.asked = null; graph.root = null; graph.expanded = new Set(); graph.raw.clear();
    if (graph.nodes) { graph.nodes.clear(); graph.edges.clear(); }
    $("#graph-selected").replaceChildren(h("dt", {}, "—"));
    $("#graph-node-list").replaceChildren();
    $("#graph-status").dataset.nodes = "0";
  }

  function showMatches(matches, depth) {
    $("#graph-match-list").replaceChildren(...matches.flatMap((m, i) => [i ? " · " : "",
      h("a", { href: `#graph?${new URLSearchParams({ node: m.id, depth: String(depth) })}` },
        `${KIND_NAMES[m.kind]?.split(" ")[0] || m.kind} ${m.label || m.id}`)]));
    $("#graph-matches").hidden = !matches.length;
  }

  let nodeOptionsFilled = false;
  async function fillNodeOptions() {
    if (nodeOptionsFilled) return;
    nodeOptionsFilled = true;
    const [refs, bodies] = await Promise.all([loadRefs(), api("/bodies").catch(() => [])]);
    const opts = [];
    for (const d of refs.documents) {
      const id = first(d.id, docIdOf(d));
      if (id) opts.push([first(d.iri, `${BASE_IRI}doc/${id}`), `文件 ${d.title || id}`]);
    }
    for (const r of refs.regions) if (r.iri) opts.push([r.iri, `地区 ${r.name}`]);
    for (const b of asList(bodies, "bodies")) {
      const iri = first(b.iri, b.id && String(b.id).startsWith("http") ? b.id : null, b.slug ? `${BASE_IRI}body/${b.slug}` : null);
      if (iri) opts.push([iri, `主体 ${b.name || b.slug}`]);
    }
    for (const t of refs.topics) {
      const id = topicId(t);
      if (id) opts.push([t.iri || (String(id).startsWith("http") ? id : `${BASE_IRI}topic/${id}`), `主题 ${first(t.label_zh, topicLabel(t))}`]);
    }
    // the list offers names (what a person types); /graph/find resolves them
    $("#graph-node-options").replaceChildren(...opts.map(([, l]) => h("option", { value: l.replace(/^\S+ /, "") }, l)));
  }

  function docsSort() {
    const p = hashParams();
    return currentView() === "home" && p.get("sort") ? { sort: p.get("sort"), desc: p.get("desc") || "" } : {};
  }

  // ------------------------------------------------------------------ wiring
  function init() {
    $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); go("search", formParams(e.target)); });
    for (const el of $("#search-form").querySelectorAll("select, input[type=checkbox]")) {
      el.addEventListener("change", () => { if ($("#search-q").value.trim()) go("search", formParams($("#search-form"))); });
    }
    $("#ask-form").addEventListener("submit", (e) => { e.preventDefault(); go("ask", formParams(e.target)); });
    $("#graph-form").addEventListener("submit", (e) => { e.preventDefault(); go("graph", formParams(e.target)); });
    $("#prec-form").addEventListener("submit", (e) => { e.preventDefault(); go("precedents", formParams(e.target)); });
    $("#prec-text").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $("#prec-form").requestSubmit(); }
    });
    $("#skip-link").addEventListener("click", (e) => { e.preventDefault(); $("#main").focus(); });
    $("#ask-filter-clear").addEventListener("click", () => filterAskTable(null));
    $("#docs-form").addEventListener("submit", (e) => e.preventDefault());
    for (const el of $("#docs-form").querySelectorAll("select, input")) {
      el.addEventListener(el.tagName === "INPUT" ? "change" : "change", () => go("home", { ...docsSort(), ...formParams($("#docs-form")) }));
    }
    for (const th of document.querySelectorAll("#docs-table th[data-sort]")) {
      th.querySelector("button").addEventListener("click", () => {
        const cur = docsSort();
        const desc = cur.sort === th.dataset.sort ? (cur.desc === "1" ? "" : "1") : (th.dataset.sort === "date" || th.dataset.sort === "clauses" ? "1" : "");
        go("home", { ...formParams($("#docs-form")), sort: th.dataset.sort, desc });
      });
    }
    $("#targets-form").addEventListener("submit", (e) => { e.preventDefault(); go("targets", formParams(e.target)); });
    for (const el of $("#targets-form").querySelectorAll("select, input")) {
      el.addEventListener("change", () => go("targets", formParams($("#targets-form"))));
    }
    $("#compare-form").addEventListener("submit", (e) => { e.preventDefault(); go("compare", { ...formParams(e.target), docs: hashParams().get("docs") || "" }); });
    $("#compare-docs-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const docs = [...e.target.querySelectorAll("input[name=doc]:checked")].map((x) => x.value).join(",");
      go("compare", { ...formParams($("#compare-form")), docs });
    });
    $("#doc-back").addEventListener("click", (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } });
    window.addEventListener("hashchange", route);
    loadRefs();
    route();
  }

  // exposed for tests and for the curious in the console
  window.policykg = { graph, route, askRows, askTotals, precedentGroups, inRegion };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
