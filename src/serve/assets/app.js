// baocao: the office web page. Plain script, no library; every request goes
// to this server only (CSP 'self'). Text from the server is set with
// textContent, never as HTML.
"use strict";

const $ = (s, el) => (el || document).querySelector(s);
const $$ = (s, el) => Array.from((el || document).querySelectorAll(s));

async function post(url, body, raw) {
  const opts = { method: "POST", headers: {} };
  if (raw) { opts.body = body; opts.headers["Content-Type"] = "application/octet-stream"; }
  else { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
  const r = await fetch(url, opts);
  let data = {};
  try { data = await r.json(); } catch (e) { data = { loi: "Máy chủ trả lời không rõ (" + r.status + ")." }; }
  return { ok: r.ok, status: r.status, data };
}

// ---- Live preview: page images updated when the server says they changed.
const paint = { started: null, times: [] };
window.baocaoPaint = paint.times;

// The preview's findings: errors in front; blank values counted in one line
// (their list is "Việc còn lại"); the other warnings folded under one line.
function showFindings(list, findings) {
  const item = (f) => {
    const li = document.createElement("li");
    if (f.href) { const a = document.createElement("a"); a.href = f.href; a.textContent = f.text; li.appendChild(a); }
    else li.textContent = f.text;
    return li;
  };
  // The same findings as shown: nothing is rebuilt (an open list stays open
  // while other people's saves come in).
  const key = JSON.stringify(findings);
  if (list.shownFindings === key) return;
  list.shownFindings = key;
  const wasOpen = !!list.querySelector("details[open]");
  list.replaceChildren();
  const errors = findings.filter(f => f.loi);
  const blanks = findings.filter(f => !f.loi && f.text.includes("[chưa có:"));
  const others = findings.filter(f => !errors.includes(f) && !blanks.includes(f));
  for (const f of errors) { const li = item(f); li.className = "loi"; list.appendChild(li); }
  if (blanks.length) {
    const li = document.createElement("li");
    li.textContent = blanks.length + " chỗ trống “[chưa có: …]” còn chờ số liệu (danh sách ở “Việc còn lại” trên trang Báo cáo).";
    list.appendChild(li);
  }
  if (others.length) {
    const li = document.createElement("li");
    const d = document.createElement("details");
    d.open = wasOpen;
    const s = document.createElement("summary");
    s.textContent = others.length + " cảnh báo khác (bấm để xem)";
    const ul = document.createElement("ul");
    for (const f of others) ul.appendChild(item(f));
    d.append(s, ul);
    li.appendChild(d);
    list.appendChild(li);
  }
}

// Glyph outlines, kept once per font and glyph ("font:glyph" -> Path2D).
const glyphs = new Map();

// Draws a page's drawing (operations written by the server: glyph runs, shapes,
// clips) on its canvas, at the screen's pixel density.
function drawPage(canvas, d) {
  for (const [f, g, path] of d.glyphs) {
    const key = d.fonts[f] + ":" + g;
    if (!glyphs.has(key)) glyphs.set(key, new Path2D(path));
  }
  const scale = 595 / d.w, k = scale * (window.devicePixelRatio || 1);
  canvas.width = Math.round(d.w * k); canvas.height = Math.round(d.h * k);
  canvas.style.aspectRatio = d.w + " / " + d.h;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const op of d.ops) {
    const [kind, a, b, c, dd, e, f] = op;
    if (kind === "t") {
      const [font, s, fill, run] = op.slice(7);
      const prefix = d.fonts[font] + ":";
      ctx.fillStyle = fill;
      for (let i = 0; i < run.length; i += 3) {
        const x = run[i + 1], y = run[i + 2];
        ctx.setTransform(k * a * s, k * b * s, -k * c * s, -k * dd * s, k * (a * x + c * y + e), k * (b * x + dd * y + f));
        ctx.fill(glyphs.get(prefix + run[i]));
      }
    } else if (kind === "p") {
      const [path, fill, evenOdd, stroke, width, cap, join, miter, dash, offset] = op.slice(7);
      ctx.setTransform(k * a, k * b, k * c, k * dd, k * e, k * f);
      const p = new Path2D(path);
      if (fill) { ctx.fillStyle = fill; ctx.fill(p, evenOdd ? "evenodd" : "nonzero"); }
      if (stroke) {
        ctx.strokeStyle = stroke; ctx.lineWidth = width; ctx.lineCap = cap; ctx.lineJoin = join;
        ctx.miterLimit = miter; ctx.setLineDash(dash || []); ctx.lineDashOffset = offset;
        ctx.stroke(p);
      }
    } else if (kind === "c") {
      ctx.save();
      ctx.setTransform(k * a, k * b, k * c, k * dd, k * e, k * f);
      ctx.clip(new Path2D(op[7]));
    } else if (kind === "r") {
      ctx.restore();
    }
  }
}

function preview() {
  const box = $("#xem");
  if (!box) return;
  const base = box.dataset.report + "/" + box.dataset.period;
  const shown = [];
  const pages = $("#trang");
  // A page's new image is on screen: measured when an edit asked for it.
  pages.addEventListener("ve", (ev) => {
    const el = ev.target;
    if (paint.started !== null && Number(el.dataset.gen) > (paint.gen || 0)) {
      paint.times.push(performance.now() - paint.started);
      paint.started = null;
      const s = $("#trang-thai"); if (s) s.dataset.painted = String(paint.times.length);
    }
  });
  // A page drawn once and changed while off screen is drawn again when it
  // comes near the screen: other people's saves do not keep the browser busy
  // drawing pages nobody looks at.
  const near = new Set();
  const watcher = new IntersectionObserver((seen) => {
    for (const s of seen) {
      if (s.isIntersecting) { near.add(s.target); if (s.target.pending) draw(s.target); }
      else near.delete(s.target);
    }
  }, { root: /auto|scroll/.test(getComputedStyle(box).overflowY) ? box : null, rootMargin: "400px 0px" });
  function draw(el) {
    el.pending = false;
    drawPage(el, el.drawing);
    el.dataset.drawn = el.dataset.gen;
    el.dataset.ready = "1";
    el.dispatchEvent(new Event("ve", { bubbles: true }));
  }
  // The element of page i (from 0): a canvas for a drawing, an image for an
  // SVG; made, or swapped, when needed.
  function pageEl(i, tag) {
    let el = shown[i];
    if (el && el.tagName === tag) return el;
    const made = document.createElement(tag.toLowerCase());
    made.className = "trang-anh";
    made.dataset.gen = el ? el.dataset.gen : "0";
    if (tag === "IMG") {
      made.alt = "Trang " + (i + 1);
      made.width = 595; made.height = 842;
      made.addEventListener("load", () => {
        made.dataset.ready = "1";
        made.dispatchEvent(new Event("ve", { bubbles: true }));
      });
    } else {
      made.setAttribute("role", "img");
      made.setAttribute("aria-label", "Trang " + (i + 1));
    }
    if (el) { forget(el); watcher.unobserve(el); near.delete(el); el.replaceWith(made); } else pages.appendChild(made);
    watcher.observe(made);
    shown[i] = made;
    return made;
  }
  // A page element leaving the screen gives back its SVG's blob.
  function forget(el) {
    if (el.dataset.blob) URL.revokeObjectURL(el.dataset.blob);
    delete el.dataset.blob;
  }
  // Shows generation `gen` of page i: from the drawing or SVG the event
  // carried (`image`), else asked from the server: its drawing (`image`
  // undefined), or its SVG image (`image` null).
  async function showPage(i, gen, image) {
    const current = shown[i];
    if (current && Number(current.dataset.gen) >= gen) return;
    const svg = image === null || (image && image.svg);
    // The page's element in its place now; its drawing may come later.
    const el = pageEl(i, svg ? "IMG" : "CANVAS");
    if (!svg) {
      let d = image && image.drawing;
      if (!d) {
        const r = await fetch("/ve/" + base + "/" + (i + 1) + "?v=" + gen);
        if (!r.ok) return;
        d = await r.json();
      }
      if (shown[i] !== el || Number(el.dataset.gen) >= gen) return;
      el.dataset.gen = String(gen);
      const first = !el.drawing;
      el.drawing = d;
      if (first || near.has(el)) draw(el);
      else el.pending = true;
      return;
    }
    el.dataset.gen = String(gen);
    forget(el);
    if (image && image.svg) {
      el.dataset.blob = URL.createObjectURL(new Blob([image.svg], { type: "image/svg+xml" }));
      el.src = el.dataset.blob;
    } else {
      el.src = "/anh/" + base + "/" + (i + 1) + "?v=" + gen;
    }
  }
  // One state request at a time: events that come meanwhile ask for one more
  // after it, not one each (under ten saves a second they came faster than answered).
  let asking = null, askAgain = false;
  function refresh() {
    if (asking) { askAgain = true; return asking; }
    asking = (async () => {
      try {
        do { askAgain = false; await refreshOnce(); } while (askAgain);
      } finally { asking = null; }
    })();
    return asking;
  }
  async function refreshOnce() {
    const r = await fetch("/api/trang/" + base);
    if (!r.ok) return;
    const st = await r.json();
    // A new PDF version: the page is loaded again, so its history lists it (Tải PDF, Ban hành).
    // (Once per version: a list that still lacks it is not reloaded again and again.)
    const once = "baocao-tai-lai-" + base + "-" + st.version;
    if (box.dataset.version !== undefined && st.version > Number(box.dataset.version) && !sessionStorage.getItem(once)) {
      sessionStorage.setItem(once, "1");
      location.reload();
      return;
    }
    const status = $("#trang-thai");
    if (st.error) status.textContent = "Chưa cập nhật được (trang cũ vẫn giữ): " + st.error;
    else if (st.generation === 0) status.textContent = "Đang dàn trang…";
    else status.textContent = st.pages.length + " trang" + (st.version ? ", PDF phiên bản " + st.version : "") + (st.running ? " – đang cập nhật…" : "");
    const list = $("#phat-hien");
    if (list) showFindings(list, st.findings);
    st.pages.forEach((gen, i) => showPage(i, gen, (st.drawn || [])[i] ? undefined : null));
    while (shown.length > st.pages.length) { const gone = shown.pop(); if (gone) { forget(gone); watcher.unobserve(gone); near.delete(gone); gone.remove(); } }
  }
  // Zooming changes the screen's pixel density: the canvases are drawn again, sharp.
  let density = window.devicePixelRatio;
  window.addEventListener("resize", () => {
    if (window.devicePixelRatio === density) return;
    density = window.devicePixelRatio;
    for (const el of shown) if (el && el.drawing) { if (near.has(el)) drawPage(el, el.drawing); else el.pending = true; }
  });
  refresh();
  const es = new EventSource("/su-kien/" + base);
  // New page images come with the event: painted at once, then the status and
  // findings are asked for; parents' totals are reloaded once the preview is
  // done (not competing with it).
  es.addEventListener("trang", (ev) => {
    let d = {};
    try { d = JSON.parse(ev.data); } catch (e) { d = {}; }
    const svg = d.svg || {}, ve = d.ve || {};
    (d.pages || []).forEach((gen, i) => {
      if (ve[i]) showPage(i, gen, { drawing: ve[i] });
      else if (svg[i]) showPage(i, gen, { svg: svg[i] });
    });
    refresh();
    if (paint.totals) { const t = paint.totals; paint.totals = null; refreshTotals(t); }
  });
  // The findings of a layout come after its pages ("kiem-tra"), as do a PDF and an error.
  // "tinh-trang": sent first on each (re)connection and after events missed;
  // the state is asked again, so a layout that ended before the page listened shows.
  for (const kind of ["kiem-tra", "pdf", "loi", "tinh-trang"]) es.addEventListener(kind, refresh);
}

// ---- Figures: save a cell on change.
function figures() {
  const table = $("#bang");
  if (!table) return;
  bindTable(table);
}

// The cells of a figures table: Enter saves, focus shows the cell's history.
function bindTable(table) {
  for (const input of $$("input.o", table)) {
    input.dataset.saved = input.value;
    // Enter saves (by leaving the cell); on a cell whose save was refused, Enter
    // tries again with the same value (leaving it would not: the value did not change).
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      if (input.classList.contains("loi") && input.value !== input.dataset.saved) save(table, input);
      else input.blur();
    });
    input.addEventListener("change", () => save(table, input));
    input.addEventListener("focus", () => cellHistory(table, input));
  }
}

// A logged time as people read it: "19:00 ngày 05/12/2026" (this computer's time).
function timeWords(t) {
  const d = new Date(t);
  if (isNaN(d)) return t;
  const two = (n) => String(n).padStart(2, "0");
  return two(d.getHours()) + ":" + two(d.getMinutes()) + " ngày " + two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear();
}

// ---- The logged changes of the cell in focus (read-only, from the period's log).
async function cellHistory(table, input) {
  const row = input.closest("tr");
  const box = row.nextElementSibling.querySelector(".ls");
  if (!box) return;
  const q = "?code=" + encodeURIComponent(row.dataset.code) + "&column=" + encodeURIComponent(input.dataset.col);
  const r = await fetch("/api/lich-su-o/" + table.dataset.period + "/" + encodeURIComponent(table.dataset.file) + q);
  if (!r.ok) { box.replaceChildren(); return; }
  const list = (await r.json()).lich_su || [];
  box.replaceChildren();
  if (!list.length) { box.textContent = "Ô này chưa được sửa qua chương trình."; return; }
  const title = document.createElement("strong");
  title.textContent = "Lịch sử ô này (" + list.length + " lần sửa):";
  box.appendChild(title);
  const ul = document.createElement("ul");
  for (const e of list.slice(-8)) {
    for (const c of e.o || []) {
      const li = document.createElement("li");
      const when = timeWords(e.thoi_gian || "");
      li.textContent = when + " – " + e.nguoi + ": " + (c.cu || "(trống)") + " → " + (c.moi || "(trống)") + (e.ly_do ? " (lý do: " + e.ly_do + ")" : "");
      ul.appendChild(li);
    }
  }
  box.appendChild(ul);
}

// One save of a table's file at a time: the next is sent once the last has
// answered, with the file's hash it answered (sent before, it would carry the
// older hash and a second change of the same cell would be refused as stale).
function save(table, input, reason) {
  const turn = (table.saving || Promise.resolve()).then(() => saveNow(table, input, reason));
  table.saving = turn.catch(() => {});
  return turn;
}

async function saveNow(table, input, reason) {
  const row = input.closest("tr");
  const msg = row.nextElementSibling.querySelector(".msg");
  input.classList.remove("loi", "da-luu");
  msg.classList.remove("ok");
  msg.textContent = "Đang lưu…";
  msg.dataset.live = "1";
  paint.started = performance.now();
  paint.gen = Math.max(0, ...$$("#trang .trang-anh").map((i) => Number(i.dataset.gen) || 0));
  const r = await post("/api/luu", {
    period: table.dataset.period, file: table.dataset.file, sheet: table.dataset.sheet,
    code: row.dataset.code, column: input.dataset.col, value: input.value, hash: table.dataset.hash,
    ly_do: reason || null,
  });
  let again = "";
  if (r.status === 409 && !reason && (r.data.loi || "").includes("đã ban hành")) {
    // An issued period: a change is a correction and needs its reason.
    const why = prompt(r.data.loi + "\n\nLý do đính chính:");
    if (why && why.trim()) return saveNow(table, input, why.trim());
    again = " Chưa lưu: nhấn Enter trong ô để ghi lý do đính chính.";
  }
  if (r.ok) {
    table.dataset.hash = r.data.hash;
    input.dataset.saved = input.value;
    input.classList.add("da-luu");
    // What the check now says of the row (a count with decimals, a total that
    // differs from its parts ...) is shown with "Đã lưu", not only after a reload.
    const notes = (r.data.row && r.data.row.findings) || [];
    msg.textContent = [reason ? "Đã lưu (đính chính, lý do đã ghi vào nhật ký)." : "Đã lưu.", ...notes].join(" ");
    if (!notes.length) msg.classList.add("ok");
    row.classList.toggle("co-loi", notes.length > 0);
    cellHistory(table, input);
    const ss = $(".so-sanh", row);
    if (r.data.row && ss) ss.textContent = (r.data.row.computed ? "Tổng: " + r.data.row.value + " " : "") + r.data.row.comparisons.join("; ");
    paint.totals = table;
  } else {
    paint.started = null;
    input.classList.add("loi");
    msg.textContent = (r.data.loi || "") + again;
    input.focus();
  }
}

// "Còn N ô … chưa có số liệu" as in `doc`, the figures page as stored now
// (gone once every cell is filled).
function blanksNote(doc) {
  const note = $("p.con-trong"), fresh = doc.querySelector("p.con-trong");
  if (note) { if (fresh) note.replaceWith(fresh); else note.remove(); }
}

// Parents' totals change with their children: reload the comparisons of the
// table, and the values others saved meanwhile in cells not being typed in.
async function refreshTotals(table) {
  const url = location.pathname + location.search;
  const r = await fetch(url);
  if (!r.ok) return;
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  const fresh = doc.querySelector("#bang");
  if (fresh && fresh.dataset.file === table.dataset.file && fresh.dataset.hash) {
    for (const input of $$("input.o", table)) {
      const code = input.closest("tr").dataset.code;
      const f = doc.querySelector('tr[data-code="' + CSS.escape(code) + '"] input.o[data-col="' + CSS.escape(input.dataset.col) + '"]');
      const untouched = input !== document.activeElement && input.value === input.dataset.saved && !input.classList.contains("loi");
      if (f && untouched && f.value !== input.value) { input.value = f.value; input.dataset.saved = f.value; }
    }
    table.dataset.hash = fresh.dataset.hash;
    blanksNote(doc);
  }
  for (const row of $$("tbody tr[data-code]", table)) {
    const fresh = doc.querySelector('tr[data-code="' + CSS.escape(row.dataset.code) + '"] .so-sanh');
    const mine = $(".so-sanh", row);
    if (fresh && mine) mine.textContent = fresh.textContent;
    // Other rows' findings as the check now gives them (a parent's total that
    // no longer matches its parts); a row's own "Đã lưu" or error stays.
    const msg = row.nextElementSibling && $(".msg", row.nextElementSibling);
    const was = doc.querySelector('tr[data-code="' + CSS.escape(row.dataset.code) + '"]');
    const said = was && was.nextElementSibling && was.nextElementSibling.querySelector(".msg");
    if (msg && said && !msg.dataset.live) {
      const lines = Array.from(said.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent);
      msg.replaceChildren(...lines.flatMap((t, i) => (i ? [document.createElement("br"), t] : [t])));
      row.classList.toggle("co-loi", was.classList.contains("co-loi"));
    }
    const input = $('input[data-col="gia_tri"]', row);
    const fin = doc.querySelector('tr[data-code="' + CSS.escape(row.dataset.code) + '"] input[data-col="gia_tri"]');
    if (input && fin) input.placeholder = fin.placeholder;
  }
}

// ---- Upload a whole sector file, for the tab it is made from.
// An issued period asks for the reason of the correction, as a cell does.
function upload() {
  const btn = $("#tai-len");
  if (!btn) return;
  const send = async (file, reason) => {
    const out = $("#tai-len-tb");
    out.textContent = "Đang kiểm tra…";
    out.className = "";
    let url = "/api/tai-len/" + btn.dataset.period + "/" + encodeURIComponent(btn.dataset.file) + "?ten=" + encodeURIComponent(file.name);
    if (reason) url += "&ly_do=" + encodeURIComponent(reason);
    const r = await post(url, await file.arrayBuffer(), true);
    if (r.status === 409 && !reason && (r.data.loi || "").includes("đã ban hành")) {
      const why = prompt(r.data.loi + "\n\nLý do đính chính:");
      if (why && why.trim()) return send(file, why.trim());
    }
    if (!r.ok) { out.textContent = r.data.loi; out.className = "loi"; return; }
    const warn = (r.data.canh_bao || []).join(" ");
    await refreshTable();
    out.textContent = "Đã nhận " + file.name + " cho lĩnh vực " + (btn.dataset.ten || btn.dataset.sector) + (r.data.ban_cu ? " (tệp cũ vẫn giữ lại, trong thư mục ban-cu của kỳ)" : "") + ". " + (warn ? warn + " " : "") + "Bảng đã cập nhật.";
    out.className = warn ? "loi" : "";
  };
  // The table as stored now (values, blanks, the file's new hash for the next save).
  const refreshTable = async () => {
    const page = await fetch(location.pathname + location.search);
    if (!page.ok) return;
    const doc = new DOMParser().parseFromString(await page.text(), "text/html");
    const fresh = doc.getElementById("bang");
    const old = $("#bang");
    if (!fresh || !old) return;
    blanksNote(doc);
    old.replaceWith(fresh);
    bindTable(fresh);
  };
  btn.addEventListener("click", () => {
    const file = $("#tep-moi").files[0];
    if (!file) { $("#tai-len-tb").textContent = "Chọn một tệp trước."; return; }
    send(file, null);
  });
}

// ---- Fragment editor.
function fragment() {
  const form = $("#form-doan");
  if (!form) return;
  const text = $("#van-ban");
  // The text as last saved: leaving the page with more typed asks first (nothing lost by a click).
  let saved = text.value;
  window.addEventListener("beforeunload", (e) => { if (text.value !== saved) { e.preventDefault(); e.returnValue = ""; } });
  // The text cannot change while it is being saved: the answer may replace it
  // with the text put together with someone else's (nothing typed meanwhile is lost).
  const doSave = async () => {
    if (text.readOnly) return;
    text.readOnly = true;
    try {
      await saveOnce();
    } finally {
      text.readOnly = false;
    }
  };
  const saveOnce = async () => {
    const out = $("#doan-tb");
    out.textContent = "Đang lưu…";
    const sent = text.value;
    // `goc`: the text as given; an edit someone saved meanwhile on other lines is kept with this one.
    const body = { text: sent, hash: form.dataset.hash, ky: form.dataset.period, goc: saved };
    let r = await post("/api/doan/" + form.dataset.report + "/" + form.dataset.name, body);
    if (r.status === 409 && (r.data.loi || "").includes("đã ban hành")) {
      // An issued period: the change is a correction and needs its reason.
      const why = prompt(r.data.loi + "\n\nLý do đính chính:");
      if (!why || !why.trim()) { out.textContent = r.data.loi; out.className = "loi"; out.scrollIntoView({ block: "nearest" }); return; }
      r = await post("/api/doan/" + form.dataset.report + "/" + form.dataset.name, { ...body, ly_do: why.trim() });
    }
    const list = $("#loi-doan");
    list.replaceChildren();
    // A refusal is shown where the eye is (it was below the screen after a reason box).
    if (!r.ok) { out.textContent = r.data.loi; out.className = "loi"; out.scrollIntoView({ block: "nearest" }); return; }
    saved = sent;
    form.dataset.hash = r.data.hash;
    out.className = "";
    out.textContent = r.data.errors.length ? "Đã lưu, nhưng đoạn có lỗi (PDF cũ giữ nguyên):" : "Đã lưu; báo cáo đang được cập nhật.";
    if (r.data.gop !== null && r.data.gop !== undefined) {
      // Someone saved this text meanwhile, on other lines: both are kept, shown here.
      text.value = r.data.gop;
      saved = r.data.gop;
      out.textContent += " Trong lúc đó người khác đã lưu đoạn này, ở các dòng khác: đã gộp cả hai, chữ trong ô là bản đã gộp.";
    }
    for (const e of r.data.errors) {
      const li = document.createElement("li");
      li.textContent = e.message;
      li.className = "loi";
      if (e.line) { li.tabIndex = 0; li.addEventListener("click", () => goLine(text, e.line)); li.addEventListener("keydown", (k) => { if (k.key === "Enter") goLine(text, e.line); }); }
      list.appendChild(li);
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); doSave(); });
  text.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); doSave(); } });
  const m = location.hash.match(/^#dong-(\d+)$/);
  if (m) goLine(text, Number(m[1]), new URLSearchParams(location.search).get("tim"));
}

// Selects line `line` of the text; with `find` (what a task says to change on
// it), only that, so the first key typed does not erase the whole paragraph.
function goLine(text, line, find) {
  const lines = text.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const here = lines[line - 1] || "";
  const at = find ? here.toLowerCase().indexOf(find.toLowerCase()) : -1;
  text.focus();
  if (at >= 0) text.setSelectionRange(start + at, start + at + find.length);
  else text.setSelectionRange(start, start + here.length);
}

// ---- Buttons of the home and report pages.
function buttons() {
  for (const b of $$("button.tao-pdf")) {
    b.addEventListener("click", async () => {
      const r = await post(b.dataset.url, {});
      if (r.ok && !b.dataset.stay) location.href = r.data.url;
      else if (!r.ok) alert(r.data.loi);
    });
  }
  for (const b of $$("button.ban-hanh")) {
    b.addEventListener("click", async () => {
      if (!confirm("Ban hành phiên bản " + b.dataset.n + "? Sau đó số liệu và lời văn của kỳ chỉ đọc; sửa phải ghi lý do (đính chính).")) return;
      let r = await post(b.dataset.url, {});
      if (r.status === 409 && (r.data.loi || "").includes("không khớp")) {
        // Totals that do not match their parts: issued only when acknowledged with a reason.
        const why = prompt(r.data.loi.split("\nSửa số liệu")[0] + "\n\nNếu đúng như vậy, ghi lý do để vẫn ban hành (lý do được ghi vào nhật ký):");
        if (!why || !why.trim()) return;
        r = await post(b.dataset.url, { xac_nhan: why.trim() });
      }
      if (r.ok) location.reload(); else alert(r.data.loi);
    });
  }
  const k = $("#ky-moi");
  if (k) k.addEventListener("click", async () => {
    if (!confirm("Bắt đầu " + k.dataset.next + "?\n\n" + k.dataset.plan)) return;
    const r = await post("/api/ky-moi", {});
    if (r.ok) location.href = r.data.url; else $("#ky-moi-tb").textContent = r.data.loi;
  });
}

document.addEventListener("DOMContentLoaded", () => { preview(); figures(); upload(); fragment(); buttons(); });

// ---- "Tạo loại báo cáo từ tệp Word": the file goes as the body; the new type's page opens.
function wordImport() {
  const form = $("#word-form");
  if (!form) return;
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const file = $("#word-tep").files[0], out = $("#word-tb");
    if (!file) { out.textContent = "Chọn một tệp Word trước."; return; }
    out.textContent = "Đang đọc " + file.name + "…";
    out.className = "";
    let url = "/api/nhap-word?tep=" + encodeURIComponent(file.name);
    const name = $("#word-ten").value.trim();
    if (name) url += "&ten=" + encodeURIComponent(name);
    const r = await post(url, await file.arrayBuffer(), true);
    if (!r.ok) { out.textContent = r.data.loi; out.className = "loi"; return; }
    location.href = r.data.trang;
  });
}
document.addEventListener("DOMContentLoaded", wordImport);

// An error page after a form: back to the form, as it was typed.
document.addEventListener("DOMContentLoaded", () => {
  const back = $("a.quay-lai");
  if (!back || history.length < 2) return;
  back.hidden = false;
  back.addEventListener("click", ev => { ev.preventDefault(); history.back(); });
});

// Forms that ask before they act (data-hoi: the question), e.g. deleting an account.
document.querySelectorAll("form[data-hoi]").forEach(f => {
  f.addEventListener("submit", ev => { if (!confirm(f.dataset.hoi)) ev.preventDefault(); });
});
