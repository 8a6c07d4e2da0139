// thematic.ui: the browser side of CodingView, ReviewQueue and Retrieve (anywidget ES module, no bundler).
// The views hold no state of their own: the kernel sends what to show, and every click or key press is a
// message to the kernel, which calls the thematic Project API and sends back what changed.
// Offsets from the kernel are code points; DOM offsets are UTF-16, converted with Array.from.

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const cpLen = (s) => { let n = 0; for (const _ of s) n++; return n; };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function messageLine(model) {
  const line = el("div", { class: "th-msg", role: "status", "aria-live": "polite" });
  const show = () => {
    const m = model.get("message") || {};
    line.textContent = m.text || "";
    line.classList.toggle("th-error", m.level === "error");
  };
  model.on("change:message", show);
  show();
  return line;
}

const provenance = (c) => {
  const who = c.source === "rule" || c.source === "suggestion" ? `${c.source} (${c.coder})` : `${c.coder}, ${c.source}`;
  return c.reviewed_by ? `${who}; reviewed by ${c.reviewed_by}` : who;
};
const isMachine = (c) => c.status === "pending";

// ---------------------------------------------------------------------------------------------------
// Text with highlights: one pass over one row's span, one element per stretch between coding edges.

function piecesHTML(cps, a, b, codings, selectedId) {
  const inside = codings.filter((c) => c.start < b && c.end > a);
  const cuts = new Set([a, b]);
  for (const c of inside) { cuts.add(Math.max(a, c.start)); cuts.add(Math.min(b, c.end)); }
  const edges = [...cuts].sort((x, y) => x - y);
  let html = "";
  for (let i = 0; i + 1 < edges.length; i++) {
    const s = edges[i], e = edges[i + 1];
    const text = esc(cps.slice(s, e).join(""));
    const over = inside.filter((c) => c.start <= s && c.end >= e);
    if (!over.length) { html += `<span class="th-p" data-o="${s}">${text}</span>`; continue; }
    over.sort((x, y) => (x.end - x.start) - (y.end - y.start)); // innermost first
    const top = over[0];
    const lines = over.slice(0, 3).map((c, k) => `0 ${2 + 3 * k}px 0 0 ${c.colour}`).join(", ");
    const cls = ["th-hl", over.some(isMachine) ? "th-pending" : "", over.length > 1 ? "th-multi" : "",
      over.some((c) => c.id === selectedId) ? "th-selected" : ""].join(" ");
    const title = esc(over.map((c) => `${c.code} — ${provenance(c)}${isMachine(c) ? " (pending)" : ""}`).join("\n"));
    html += `<mark class="${cls}" data-o="${s}" data-coding-id="${top.id}" data-codings="${over.map((c) => c.id).join(" ")}" ` +
      `style="--c:${top.colour}; box-shadow:${lines}" title="${title}">${text}</mark>`;
  }
  return html;
}

// The code-point offset of a DOM boundary (node, offset) inside a transcript, or null. Inside a text piece it is
// exact; elsewhere (a row edge, a speaker label) a start moves forward to the next text, an end back to the last.
function boundaryOffset(transcript, node, offset, isEnd) {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = node.parentElement && node.parentElement.closest("[data-o]");
    if (piece) return +piece.dataset.o + cpLen(node.data.slice(0, offset));
  }
  const pieces = transcript.querySelectorAll("[data-o]");
  const point = document.createRange();
  point.setStart(node, offset);
  let lo = 0, hi = pieces.length;  // first piece whose start is at or after the point
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (point.comparePoint(pieces[mid], 0) < 0) lo = mid + 1; else hi = mid;
  }
  if (!isEnd) return lo < pieces.length ? +pieces[lo].dataset.o : null;
  const before = pieces[lo - 1];
  return before ? +before.dataset.o + cpLen(before.textContent) : null;
}

const docOf = (node) => {
  const e = node && (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
  const t = e && e.closest && e.closest('[data-thematic="transcript"]');
  return t ? t.dataset.docId : "";
};

// ---------------------------------------------------------------------------------------------------
// CodingView

function renderCoding(model, root) {
  const doc = model.get("doc");
  const cps = Array.from(doc.text || "");
  const state = { selection: null, selected: null, filters: { theme: "", coder: "", source: "" }, codeFilter: "" };
  const cleanup = [];

  const coderLabel = el("span", { class: "th-coder" });
  const showCoder = () => { coderLabel.textContent = `coder: ${model.get("coder")}`; };
  showCoder(); model.on("change:coder", showCoder);

  const filterSelect = (name, label) => {
    const s = el("select", { "aria-label": label, "data-filter": name, onchange: () => { state.filters[name] = s.value; draw(); } });
    return s;
  };
  const fTheme = filterSelect("theme", "Show highlights of theme");
  const fCoder = filterSelect("coder", "Show highlights by coder");
  const fSource = filterSelect("source", "Show highlights by source");
  const undo = el("button", { class: "th-btn", "data-action": "undo", "aria-label": "Undo my last action (Ctrl+Z)",
    title: "Undo my last action (Ctrl+Z)", onclick: () => model.send({ action: "undo" }) }, "↶ Undo");
  const refresh = el("button", { class: "th-btn", "data-action": "refresh", "aria-label": "Refresh from the project",
    onclick: () => model.send({ action: "refresh" }) }, "⟳");
  const title = el("span", { class: "th-title" }, el("strong", { text: doc.doc_id }), doc.case ? ` · ${doc.case}` : "");
  const bar = el("div", { class: "th-bar" }, title, coderLabel, el("span", { class: "th-spacer" }), fTheme, fCoder, fSource, undo, refresh);
  const hint = el("div", { class: "th-hint", "aria-live": "polite" });

  const codeSearch = el("input", { type: "search", class: "th-search", placeholder: "find a code…", "aria-label": "Find a code",
    oninput: () => { state.codeFilter = codeSearch.value.toLowerCase(); drawCodes(); } });
  const codeList = el("div", { class: "th-codelist", role: "list" });
  const codesPane = el("nav", { class: "th-codes", "aria-label": "Codes: select text, then click a code or press its number" }, codeSearch, codeList);
  const transcript = el("div", { class: "th-transcript", "data-thematic": "transcript", "data-doc-id": doc.doc_id,
    tabindex: "0", role: "document", "aria-label": `Transcript ${doc.doc_id}` });
  const detail = el("aside", { class: "th-detail", "aria-label": "Coding details" });
  const legend = el("div", { class: "th-legend", "aria-label": "Themes" });
  root.append(el("div", { class: "th-coding" }, bar, messageLine(model), hint,
    el("div", { class: "th-main" }, codesPane, transcript, detail), legend));

  let shownCodes = [];
  function drawCodes() {
    const codes = model.get("codes") || [];
    shownCodes = codes.filter((c) => !state.codeFilter || c.id.toLowerCase().includes(state.codeFilter) || (c.label || "").toLowerCase().includes(state.codeFilter));
    codeList.replaceChildren(...shownCodes.map((c, i) => {
      const key = i < 9 ? String(i + 1) : i === 9 ? "0" : "";
      return el("button", { class: `th-code th-depth${Math.min(c.depth, 2)}`, role: "listitem", "data-code": c.id,
        "aria-label": `Code the selection as ${c.label} (${c.id})${key ? `, key ${key}` : ""}`, title: c.definition || c.id,
        style: `--c:${c.colour}`, onmousedown: (e) => e.preventDefault(), onclick: () => codeSelection(c.id) },
        el("span", { class: "th-key", "aria-hidden": "true" }, key), el("span", { class: "th-swatch", "aria-hidden": "true" }),
        el("span", { class: "th-codelabel" }, c.depth ? c.label : c.label.toUpperCase()));
    }));
  }

  function visible() {
    const f = state.filters;
    return (model.get("codings") || []).filter((c) => (!f.theme || c.theme === f.theme) && (!f.coder || c.coder === f.coder) &&
      (!f.source || (f.source === "pending" ? c.status === "pending" : f.source === "people" ? c.status === "active" : c.source === f.source)));
  }

  function fillFilters() {
    const all = model.get("codings") || [];
    const opts = (sel, first, values) => {
      const keep = sel.value;
      sel.replaceChildren(el("option", { value: "" }, first), ...values.map(([v, t]) => el("option", { value: v }, t)));
      sel.value = values.some(([v]) => v === keep) ? keep : "";
      state.filters[sel.dataset.filter] = sel.value;
    };
    const uniq = (xs) => [...new Set(xs)].sort();
    opts(fTheme, "all themes", uniq(all.map((c) => c.theme)).map((t) => [t, t]));
    opts(fCoder, "all coders", uniq(all.map((c) => c.coder)).map((t) => [t, t]));
    opts(fSource, "all sources", [["pending", "pending machine codings"], ["people", "people's and accepted"],
      ...uniq(all.map((c) => c.source)).map((t) => [t, `source: ${t}`])]);
  }

  function draw() {
    const codings = visible().sort((x, y) => x.start - y.start || y.end - x.end);
    const rows = doc.rows || [];
    let html = "";
    let next = 0, active = [];
    const placed = new Set();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      while (next < codings.length && codings[next].start < row.end) active.push(codings[next++]);
      active = active.filter((c) => c.end > row.start);
      const near = active;
      const here = near.filter((c) => !placed.has(c.id));
      here.forEach((c) => placed.add(c.id));
      const chips = here.map((c) =>
        `<button class="th-chip${isMachine(c) ? " th-pending" : ""}" data-chip-for="${c.id}" style="--c:${c.colour}" ` +
        `aria-label="Coding ${c.id}: ${esc(c.label)}, ${esc(provenance(c))}">${esc(c.code)}</button>`).join("");
      const who = row.speaker ? `<span class="th-spk th-${row.role}" title="${esc(row.role)}">${esc(row.speaker)}</span>` : `<span class="th-spk"></span>`;
      const where = doc.timed ? row.time : row.line;
      html += `<div class="th-row th-${row.role}${row.turn_start ? " th-turn" : ""}" data-row="${r}" tabindex="-1">` +
        `<span class="th-ln" aria-hidden="true">${esc(where)}</span>${who}` +
        `<span class="th-txt">${piecesHTML(cps, row.start, row.end, near, state.selected)}</span>` +
        `<span class="th-margin">${chips}</span></div>`;
    }
    const activeEl = document.activeElement;  // keep keyboard focus across a redraw (innerHTML replaces the rows)
    const focusedRow = activeEl && transcript.contains(activeEl) ? (activeEl.closest(".th-row") || transcript) : null;
    const focusIndex = focusedRow && focusedRow !== transcript ? focusedRow.dataset.row : null;
    transcript.innerHTML = html || `<div class="th-empty">This document has no text.</div>`;
    if (focusedRow) {
      const again = focusIndex !== null ? transcript.querySelector(`.th-row[data-row="${focusIndex}"]`) : null;
      (again || transcript).focus({ preventScroll: true });
    }
    drawLegend(codings);
  }

  function drawLegend(codings) {
    const themes = new Map();
    for (const c of codings) themes.set(c.theme, c.colour);
    legend.replaceChildren(...[...themes].map(([t, colour]) => el("span", { class: "th-legend-item", style: `--c:${colour}` },
      el("span", { class: "th-swatch", "aria-hidden": "true" }), t)),
      el("span", { class: "th-legend-note" }, "dashed underline: pending machine coding · stacked underlines: overlapping codings"));
  }

  function showDetail(ids) {
    const codings = model.get("codings") || [];
    const memos = model.get("memos") || {};
    const found = ids.map((id) => codings.find((c) => c.id === id)).filter(Boolean);
    state.selected = found.length ? found[0].id : null;
    if (!found.length) { detail.replaceChildren(el("p", { class: "th-muted" }, "Click a highlight to see its codings.")); return; }
    detail.replaceChildren(...found.map((c) => {
      const memoBox = el("textarea", { class: "th-memo", rows: "2", "aria-label": `Memo on coding ${c.id}`, placeholder: "write a memo…" });
      const buttons = [];
      if (isMachine(c)) {
        buttons.push(el("button", { class: "th-btn th-accept", "data-action": "accept", "data-coding-id-for": c.id,
          "aria-label": `Accept coding ${c.id} (${c.code})`, onclick: () => model.send({ action: "accept", id: c.id }) }, "✓ Accept"));
        buttons.push(el("button", { class: "th-btn th-reject", "data-action": "reject", "data-coding-id-for": c.id,
          "aria-label": `Reject coding ${c.id} (${c.code})`, onclick: () => model.send({ action: "reject", id: c.id }) }, "✗ Reject"));
      }
      buttons.push(el("button", { class: "th-btn", "data-action": "uncode", "aria-label": `Remove coding ${c.id} (${c.code})`,
        onclick: () => model.send({ action: "uncode", id: c.id }) }, "Remove"));
      buttons.push(el("button", { class: "th-btn", "data-action": "memo", "aria-label": `Save the memo on coding ${c.id}`,
        onclick: () => { if (memoBox.value.trim()) model.send({ action: "memo", id: c.id, text: memoBox.value }); } }, "Save memo"));
      return el("section", { class: "th-card", style: `--c:${c.colour}`, "data-card-for": c.id },
        el("h4", {}, el("span", { class: "th-swatch", "aria-hidden": "true" }), c.label, el("small", {}, ` ${c.code}`)),
        el("dl", {},
          el("dt", {}, "coder"), el("dd", {}, c.coder),
          el("dt", {}, "source"), el("dd", {}, c.source),
          el("dt", {}, "status"), el("dd", {}, c.status),
          c.reviewed_by ? [el("dt", {}, "reviewed by"), el("dd", {}, c.reviewed_by)] : null,
          c.rule ? [el("dt", {}, "rule"), el("dd", {}, el("code", {}, c.rule))] : null,
          c.matched ? [el("dt", {}, "matched"), el("dd", {}, c.matched)] : null,
          el("dt", {}, "line"), el("dd", {}, String(c.line))),
        el("blockquote", {}, cps.slice(c.start, c.end).join("")),
        ...(memos[String(c.id)] || []).map((m) => el("p", { class: "th-memo-text" }, el("b", {}, `${m.coder}: `), m.text)),
        memoBox, el("div", { class: "th-actions" }, buttons));
    }));
  }

  function remember() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const inStart = transcript.contains(range.startContainer), inEnd = transcript.contains(range.endContainer);
    if (!inStart && !inEnd) return;
    const docStart = docOf(range.startContainer), docEnd = docOf(range.endContainer);
    const a = inStart ? boundaryOffset(transcript, range.startContainer, range.startOffset, false) : null;
    const b = inEnd ? boundaryOffset(transcript, range.endContainer, range.endOffset, true) : null;
    state.selection = { start: a ?? 0, end: b ?? cps.length, doc_id: docStart, end_doc_id: docEnd };
    const text = docStart === docEnd ? cps.slice(state.selection.start, state.selection.end).join("").replace(/\s+/g, " ").trim() : "";
    hint.textContent = docStart !== docEnd ? "The selection runs outside this transcript." :
      `Selected «${text.length > 80 ? text.slice(0, 79) + "…" : text}»: click a code or press its number.`;
  }

  function codeSelection(code) {
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest(".th-row");
    if (!state.selection && focused && transcript.contains(focused)) {  // keyboard only: code the focused line
      const row = doc.rows[+focused.dataset.row];
      state.selection = { start: row.start, end: row.end, doc_id: doc.doc_id, end_doc_id: doc.doc_id };
    }
    if (!state.selection) { hint.textContent = "Select a passage in the transcript first (or move to a line with the arrow keys), then click a code."; return; }
    model.send({ action: "code", code, ...state.selection });
    state.selection = null;
    hint.textContent = "";
    const sel = window.getSelection(); if (sel) sel.removeAllRanges();
  }

  const onSelection = () => remember();
  document.addEventListener("selectionchange", onSelection);
  cleanup.push(() => document.removeEventListener("selectionchange", onSelection));
  transcript.addEventListener("mouseup", remember);
  transcript.addEventListener("click", (e) => {
    const mark = e.target.closest("mark[data-codings]");
    if (mark && window.getSelection().isCollapsed) showDetail(mark.dataset.codings.split(" ").map(Number));
    const chip = e.target.closest("[data-chip-for]");
    if (chip) showDetail([+chip.dataset.chipFor]);
  });

  root.addEventListener("keydown", (e) => {
    const typing = e.target.matches("input, textarea, select");
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !typing) {
      e.preventDefault(); e.stopPropagation(); model.send({ action: "undo" }); return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9]$/.test(e.key)) {
      const i = e.key === "0" ? 9 : +e.key - 1;
      if (shownCodes[i]) { e.preventDefault(); e.stopPropagation(); codeSelection(shownCodes[i].id); }
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && transcript.contains(e.target)) {  // line by line
      const rows = transcript.querySelectorAll(".th-row");
      if (!rows.length) return;
      e.preventDefault(); e.stopPropagation();
      const at = e.target.closest(".th-row") ? +e.target.closest(".th-row").dataset.row : -1;
      const next = Math.max(0, Math.min(rows.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)));
      state.selection = null;
      rows[next].focus();
      const row = doc.rows[next];
      hint.textContent = `Line ${row.line}: press a code's number to code this line, or select words in it.`;
    } else if (e.key === "n" || e.key === "p") {  // move between highlights with the keyboard
      const marks = [...transcript.querySelectorAll("mark[data-coding-id]")].filter((m, i, all) => i === 0 || all[i - 1].dataset.codingId !== m.dataset.codingId);
      if (!marks.length) return;
      e.preventDefault(); e.stopPropagation();
      const at = marks.findIndex((m) => +m.dataset.codingId === state.selected);
      const next = marks[(at + (e.key === "n" ? 1 : marks.length - 1)) % marks.length];
      showDetail(next.dataset.codings.split(" ").map(Number)); draw();
      const again = transcript.querySelector(`mark[data-coding-id="${next.dataset.codingId}"]`);
      if (again) again.scrollIntoView({ block: "nearest" });
    }
  });

  function scrollToFocus() {
    const f = model.get("focus") || {};
    if (!f.id) return;
    state.selected = f.id;
    draw();
    showDetail([f.id]);
    const mark = transcript.querySelector(`mark[data-codings~="${f.id}"]`);
    if (mark) { mark.scrollIntoView({ block: "center" }); mark.classList.add("th-flash"); }
  }

  const redraw = () => { fillFilters(); draw(); if (state.selected !== null) showDetail([state.selected]); };
  model.on("change:codings", redraw);
  model.on("change:memos", () => { if (state.selected !== null) showDetail([state.selected]); });
  model.on("change:codes", drawCodes);
  model.on("change:focus", scrollToFocus);
  drawCodes(); fillFilters(); draw(); showDetail([]);
  if ((model.get("focus") || {}).id) setTimeout(scrollToFocus, 0);
  return () => cleanup.forEach((f) => f());
}

// ---------------------------------------------------------------------------------------------------
// ReviewQueue

function renderReview(model, root) {
  const progress = el("div", { class: "th-progress", role: "status" });
  const bar = el("progress", { class: "th-progressbar", max: "1", value: "0", "aria-hidden": "true" });
  const body = el("div", { class: "th-review-body", tabindex: "0", "aria-label": "The coding to review: a accept, r reject, j next, k previous" });
  const send = (action) => () => model.send({ action });
  const buttons = el("div", { class: "th-actions" },
    el("button", { class: "th-btn", "data-action": "previous", "aria-label": "Previous coding (k)", onclick: send("previous") }, "← k"),
    el("button", { class: "th-btn th-accept", "data-action": "accept", "aria-label": "Accept this coding (a)", onclick: send("accept") }, "✓ Accept (a)"),
    el("button", { class: "th-btn th-reject", "data-action": "reject", "aria-label": "Reject this coding (r)", onclick: send("reject") }, "✗ Reject (r)"),
    el("button", { class: "th-btn", "data-action": "next", "aria-label": "Next coding (j)", onclick: send("next") }, "j →"),
    el("button", { class: "th-btn", "data-action": "undo", "aria-label": "Undo my last review (u or Ctrl+Z)", onclick: send("undo") }, "↶ Undo"));
  const coder = el("span", { class: "th-coder" });
  root.append(el("div", { class: "th-review" }, el("div", { class: "th-bar" }, el("strong", {}, "Review queue"), coder, el("span", { class: "th-spacer" }), progress),
    bar, messageLine(model), body, buttons));

  function draw() {
    const p = model.get("progress") || {};
    progress.textContent = p.total ? `${p.text} · showing ${p.position} of ${p.total}` : "nothing to review";
    bar.max = Math.max(p.total || 0, 1); bar.value = p.reviewed || 0;
    coder.textContent = `reviewer: ${model.get("coder")}`;
    const it = model.get("item") || {};
    if (!it.id) { body.replaceChildren(el("p", { class: "th-muted" }, "No machine codings wait for review.")); return; }
    const cps = Array.from(it.context || "");
    const a = it.start - it.offset, b = it.end - it.offset;
    const passage = el("p", { class: "th-context" }, it.clipped && it.clipped[0] ? "… " : "",
      cps.slice(0, a).join(""),
      el("mark", { class: `th-hl${it.status === "pending" ? " th-pending" : ""}`, "data-coding-id": it.id, style: `--c:${it.colour}; box-shadow: 0 2px 0 0 ${it.colour}` }, cps.slice(a, b).join("")),
      cps.slice(b).join(""), it.clipped && it.clipped[1] ? " …" : "");
    body.replaceChildren(
      el("div", { class: "th-item-head", style: `--c:${it.colour}` }, el("span", { class: "th-swatch", "aria-hidden": "true" }),
        el("strong", {}, it.label), el("small", {}, ` ${it.code}`),
        el("span", { class: `th-status th-status-${it.status}` }, it.status === "pending" ? "pending" : `${it.status}${it.reviewed_by ? " by " + it.reviewed_by : ""}`)),
      el("div", { class: "th-ref" }, `${it.case || it.doc_id}, ${it.speaker || "?"} (${it.role}), line ${it.line} · ${it.doc_id}`),
      passage,
      el("dl", { class: "th-why" }, el("dt", {}, "why"), el("dd", {}, it.rule ? el("code", {}, it.rule) : it.source),
        it.matched ? [el("dt", {}, "matched"), el("dd", {}, it.matched)] : null,
        el("dt", {}, "by"), el("dd", {}, provenance(it)),
        it.definition ? [el("dt", {}, "definition"), el("dd", {}, it.definition)] : null));
  }
  root.addEventListener("keydown", (e) => {
    if (e.target.matches("input, textarea, select")) return;
    const undo = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z";
    if ((e.ctrlKey || e.metaKey || e.altKey) && !undo) return;
    const action = undo ? "undo" : { a: "accept", r: "reject", j: "next", k: "previous", u: "undo" }[e.key];
    if (!action) return;
    e.preventDefault(); e.stopPropagation();
    model.send({ action });
  });
  model.on("change:item", draw);
  model.on("change:progress", draw);
  draw();
}

// ---------------------------------------------------------------------------------------------------
// Retrieve

function renderRetrieve(model, root) {
  const head = el("div", { class: "th-bar" });
  const list = el("div", { class: "th-passages", role: "list" });
  root.append(el("div", { class: "th-retrieve" }, head, messageLine(model), list));
  function draw() {
    const t = model.get("title") || {};
    head.replaceChildren(el("strong", {}, `${t.label || t.code}`), el("small", {}, ` ${t.code}`),
      el("span", { class: "th-spacer" }),
      `${t.count} passages in ${t.documents} documents, by ${t.group_by}${t.codings === "reviewed" ? " (reviewed codings)" : ""}`);
    const groups = new Map();
    for (const p of model.get("passages") || []) { if (!groups.has(p.group)) groups.set(p.group, []); groups.get(p.group).push(p); }
    list.replaceChildren(...[...groups].map(([g, ps]) => el("section", { class: "th-group", "aria-label": `${g}: ${ps.length} passages` },
      el("h4", {}, `${g} `, el("small", {}, `(${ps.length})`)),
      ...ps.map((p) => el("button", { class: `th-passage${isMachine(p) ? " th-pending" : ""}`, role: "listitem", "data-action": "open",
        "data-coding-id": p.id, style: `--c:${p.colour}`, "aria-label": `Open ${p.reference} in its transcript`,
        onclick: () => model.send({ action: "open", id: p.id }) },
        el("span", { class: "th-ref" }, p.reference, p.code !== t.code ? el("small", {}, ` · ${p.code}`) : null,
          isMachine(p) ? el("small", { class: "th-status-pending" }, " · pending") : null),
        el("span", { class: "th-quote" }, p.text))))));
  }
  model.on("change:passages", draw);
  model.on("change:title", draw);
  draw();
}

export default {
  render({ model, el: root }) {
    root.classList.add("thematic-ui");
    root.setAttribute("data-lm-suppress-shortcuts", "true"); // our keys (a, r, j, k, digits) are not JupyterLab's here
    const kind = model.get("kind");
    if (kind === "coding") return renderCoding(model, root);
    if (kind === "review") return renderReview(model, root);
    if (kind === "retrieve") return renderRetrieve(model, root);
  },
};
