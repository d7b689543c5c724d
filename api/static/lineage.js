// policykg lineage page: a document beside its source, differences highlighted.
// Calls GET /documents, GET /lineage/{doc}[?source=…] and GET /lineage/provision/{clause}.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

async function getJSON(path) {
  const resp = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error((body.error && body.error.message) || `${resp.status} ${resp.statusText}`);
  return body;
}

function docLabel(d) {
  const region = d.region && (d.region.name || d.region);
  return [d.date, region, d.title || d.id].filter(Boolean).join(" · ");
}

async function loadDocuments() {
  const docs = await getJSON("/documents");
  docs.sort((a, b) => docLabel(a).localeCompare(docLabel(b), "zh"));
  for (const d of docs) {
    $("local").append(el("option", { value: d.id }, docLabel(d)));
    $("source").append(el("option", { value: d.id }, docLabel(d)));
  }
  const wanted = new URLSearchParams(location.search);
  if (wanted.get("doc")) $("local").value = wanted.get("doc");
  if (wanted.get("source")) $("source").value = wanted.get("source");
  if (wanted.get("doc")) compare();
}

// one side of a diff: equal text plain, the other side's changes marked
function sideWithDiff(row, side) {
  const box = el("td", { class: "clause" });
  const clause = row[side];
  if (!clause) return box;
  box.append(el("span", { class: "path" }, clause.path));
  if (!row.diff) {
    box.append(clause.text);
    return box;
  }
  for (const op of row.diff) {
    const text = op[side];
    if (!text) continue;
    if (op.op === "equal") box.append(text);
    else box.append(el(side === "source" ? "del" : "ins", {}, text));
  }
  return box;
}

// the alignment's labels and relations as a Chinese reader names them (the English stays beside)
const LABELS = { adopted: "沿用", adapted: "改写", added: "新增", dropped: "未沿用" };
const RELATIONS = { based_on: "依据 based on", cites: "引用 cites", implements: "落实 implements", given: "指定 chosen" };

function renderSource(src) {
  const counts = Object.entries(src.counts).map(([k, v]) => `${LABELS[k] || k} ${v}`).join(" · ");
  const wrap = el("section", {},
    el("h2", {}, `${src.doc.title || src.doc.id} `, el("span", { class: "en" }, `（${RELATIONS[src.relation] || src.relation}；${counts}）`)));
  const table = el("table", { class: "side" },
    el("colgroup", {}, el("col"), el("col", { class: "label" }), el("col")),
    el("thead", {}, el("tr", {}, el("th", {}, "来源条款 Source clause"), el("th", {}, "标签 Label"),
      el("th", {}, "本地条款 Local clause"))));
  const body = el("tbody");
  for (const row of src.rows) {
    const label = el("td", {}, el("span", { class: `lab-zh lab-${row.label}` }, LABELS[row.label] || ""), " ",
      el("span", { class: `lab lab-${row.label}` }, row.label));
    if (row.score != null && row.local && row.source) label.append(el("span", { class: "tc" }, `相似度 similarity ${row.score.toFixed(2)}`));
    if (row.target_change) label.append(el("span", { class: "tc" }, `指标 targets: ${row.target_change}`));
    if (row.change) label.append(el("span", { class: "tc" }, row.change));
    if (row.source) {
      label.append(el("button", { type: "button", class: "provision linklike", onclick: () => provision(row.source.id) },
        "谁沿用 Who carries it"));
    }
    body.append(el("tr", {}, sideWithDiff(row, "source"), label, sideWithDiff(row, "local")));
  }
  table.append(body);
  wrap.append(table);
  return wrap;
}

async function compare(event) {
  if (event) event.preventDefault();
  const doc = $("local").value;
  const source = $("source").value;
  $("status").textContent = "对照中… Aligning…";
  $("result").replaceChildren();
  $("provision").replaceChildren();
  try {
    const q = source ? `?source=${encodeURIComponent(source)}` : "";
    const result = await getJSON(`/lineage/${encodeURIComponent(doc)}${q}`);
    if (!result.sources.length) {
      const cited = result.unresolved.map((r) => r.title || r.doc_number).filter(Boolean).join("；");
      $("status").textContent = `没有在库中找到其引用的文件 None of its cited documents is in the store${cited ? `（${cited}）` : ""}. 请选择来源文件 Choose a source.`;
      return;
    }
    $("status").textContent = "";
    for (const src of result.sources) $("result").append(renderSource(src));
    history.replaceState(null, "", `?doc=${encodeURIComponent(doc)}${source ? `&source=${encodeURIComponent(source)}` : ""}`);
  } catch (err) {
    $("status").replaceChildren(el("span", { class: "error" }, `出错 Error: ${err.message}`));
  }
}

async function provision(clause) {
  const box = $("provision");
  box.replaceChildren(el("p", {}, "查询中… Looking up…"));
  try {
    const r = await getJSON(`/lineage/provision/${clause.split("/").map(encodeURIComponent).join("/")}`);
    const list = el("ol");
    for (const c of r.carriers) {
      const mark = c === r.carriers[0] ? " (最早 earliest)" : "";
      list.append(el("li", {}, `${c.doc.date || "?"} · ${c.doc.region || ""} · ${c.doc.title || c.doc.id} — ${c.label}${c.via ? ` (${c.via})` : ""}${mark}`));
    }
    box.replaceChildren(el("h2", {}, "沿用该条款的文件（按日期）", el("span", { class: "en" }, " Documents carrying the provision, by date")), list);
    if (r.dropped_by.length) box.append(el("p", {}, "未沿用 Dropped by: " + r.dropped_by.map((d) => d.doc.title || d.doc.id).join("；")));
    box.scrollIntoView({ behavior: "smooth" });
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, `出错 Error: ${err.message}`));
  }
}

$("lineage-form").addEventListener("submit", compare);
loadDocuments().catch((err) => { $("status").textContent = `出错 Error: ${err.message}`; });
