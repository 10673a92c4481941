// jixiao review pages. One script for both the web app (data-mode="server": decisions are
// POSTed and stored at once) and the static file (data-mode="static": read-only, views are
// pre-rendered fragments shown on demand through hash routes, so file:// works offline).
(function () {
  "use strict";
  var mode = document.body.dataset.mode;
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var STATUS_ZH = { unreviewed: "待复核", confirmed: "已确认", dismissed: "已排除" };

  // ---- small helpers
  var toastTimer = null;
  function toast(message, kind) {
    var box = $("#toast");
    box.textContent = message;
    box.className = kind || "";
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, kind === "error" ? 6000 : 2500);
  }
  function toggleHelp(show) {
    var help = $("#help");
    help.hidden = show === undefined ? !help.hidden : !show;
  }
  function visible(el) { return el && !el.hidden && !el.closest("[hidden]"); }
  function follow(link) { if (link && link.getAttribute("href")) link.click(); }

  // ---- report view: selection, highlighting, decisions
  var report = null; // {root, cards, current}

  function marksOf(fp) { return $$('mark[data-f~="' + fp + '"]', report.root); }

  function initReport(root, wantedFp) {
    var cards = $$(".finding", root);
    report = { root: root, cards: cards, current: -1 };
    cards.forEach(function (card, i) {
      card.addEventListener("click", function (ev) {
        if (ev.target.closest("a, textarea, button, summary")) return;
        select(i);
      });
      $$(".quote", card).forEach(function (q) {
        q.addEventListener("click", function () { select(i, false); scrollToEvidence(card.dataset.fp, +q.dataset.start, +q.dataset.end); });
      });
      $$(".actions button", card).forEach(function (b) {
        b.addEventListener("click", function () { select(i, false); decide(b.dataset.decision); });
      });
      var note = $(".note", card);
      if (note) {
        note.dataset.saved = note.value;
        restoreDraft(card, note);
        note.addEventListener("focus", function () { if (report.current !== i) select(i, false); });
        note.addEventListener("input", function () { keepDraft(card, note); });
        note.addEventListener("keydown", function (ev) {
          if (ev.key === "Escape") { ev.preventDefault(); note.blur(); }
          else if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); note.blur(); saveNote(card, note); }
        });
      }
    });
    $$("mark.ev", root).forEach(function (mark) {
      mark.addEventListener("click", function () {
        // a piece shared by several findings: step through them on repeated clicks
        var fps = mark.dataset.f.split(" ");
        var at = report.current >= 0 ? fps.indexOf(report.cards[report.current].dataset.fp) : -1;
        var fp = fps[(at + 1) % fps.length];
        select(cards.findIndex(function (c) { return c.dataset.fp === fp; }), false);
      });
    });
    var start = cards.findIndex(function (c) { return c.dataset.fp === wantedFp; });
    if (start < 0) start = cards.findIndex(function (c) { return c.dataset.status === "unreviewed"; });
    if (cards.length) select(Math.max(start, 0));
  }

  function select(i, scrollText) {
    if (!report || i < 0 || i >= report.cards.length) return;
    var old = report.cards[report.current];
    if (old) {
      old.classList.remove("active");
      marksOf(old.dataset.fp).forEach(function (m) { m.classList.remove("active"); });
    }
    report.current = i;
    var card = report.cards[i];
    card.classList.add("active");
    var marks = marksOf(card.dataset.fp);
    marks.forEach(function (m) { m.classList.add("active"); });
    card.scrollIntoView({ block: "nearest" });
    if (scrollText !== false && marks.length) marks[0].scrollIntoView({ block: "center" });
    var hash = mode === "static" ? "#report/" + report.root.dataset.sha + "/" + card.dataset.fp : "#f-" + card.dataset.fp;
    history.replaceState(null, "", hash);
  }

  function scrollToEvidence(fp, start, end) {
    var mark = marksOf(fp).find(function (m) { return +m.dataset.s >= start && +m.dataset.s < end; });
    if (mark) mark.scrollIntoView({ block: "center" });
  }

  function markStatus(mark) {
    // dim a highlight only when every finding that shares it was dismissed
    var all = mark.dataset.f.split(" ").every(function (fp) {
      var card = document.getElementById("f-" + fp);
      return card && card.dataset.status === "dismissed";
    });
    mark.classList.toggle("dismissed", all);
  }

  // ---- notes: a note typed and not yet saved is a draft kept in the browser (localStorage),
  // so leaving the report (], [, i, a link) loses nothing; Enter saves it on its own, c/d
  // save it with the decision.
  function draftKey(card) { return "jixiao-note-draft:" + card.dataset.fp; }
  function storage() { try { return window.localStorage; } catch (e) { return null; } }
  function keepDraft(card, note) {
    var store = storage();
    var changed = note.value !== note.dataset.saved;
    card.classList.toggle("note-draft", changed);
    if (!store) return;
    try {
      if (changed) store.setItem(draftKey(card), note.value); else store.removeItem(draftKey(card));
    } catch (e) { /* storage full or refused: the note stays in the page */ }
  }
  function restoreDraft(card, note) {
    var store = storage();
    var draft = store ? store.getItem(draftKey(card)) : null;
    if (draft !== null && draft !== note.value) {
      note.value = draft;
      card.classList.add("note-draft");
    }
  }
  function noteSaved(card, note) {
    note.dataset.saved = note.value;
    keepDraft(card, note);
  }

  function post(card, decision, note) {
    return fetch("/api/decisions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ fingerprint: card.dataset.fp, decision: decision, note: note ? note.value : "" }),
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) throw new Error(data.error || resp.status + " " + resp.statusText);
        return data;
      });
    });
  }

  function saveNote(card, note) {
    if (mode !== "server" || note.value === note.dataset.saved) return;
    if (!note.value.trim()) { toast("备注为空：草稿已清除；要删除已保存的备注，请在记录结论时留空", "error"); return; }
    post(card, null, note)
      .then(function (data) { noteSaved(card, note); applyDecision(card, data.review); toast("备注已保存"); })
      .catch(function (err) { toast("备注未能保存（草稿仍在本浏览器中）：" + err.message, "error"); });
  }

  function applyDecision(card, review) {
    var status = review.decision || "unreviewed";
    card.dataset.status = status;
    card.classList.remove("status-unreviewed", "status-confirmed", "status-dismissed");
    card.classList.add("status-" + status);
    $(".status-badge", card).textContent = STATUS_ZH[status];
    var decided = $(".decided", card);
    $(".decided-what", decided).textContent = review.decision ? STATUS_ZH[status] : "备注";
    $(".decided-who", decided).textContent = review.reviewer;
    $(".decided-when", decided).textContent = review.decided_at.replace("T", " ");
    decided.hidden = false;
    marksOf(card.dataset.fp).forEach(markStatus);
    var done = report.cards.filter(function (c) { return c.dataset.status !== "unreviewed"; }).length;
    var counter = $('[data-count="report-reviewed"]', report.root);
    if (counter) counter.textContent = done;
    return done;
  }

  function decide(decision) {
    if (!report || report.current < 0) return;
    if (mode !== "server") { toast("这是只读副本：复核结论请在 jixiao serve 中记录", "error"); return; }
    var index = report.current;
    var card = report.cards[index];
    var note = $(".note", card);
    post(card, decision, note)
      .then(function (data) {
        if (note) noteSaved(card, note);
        var done = applyDecision(card, data.review);
        if (done === report.cards.length) {
          toast("已保存。本报告的发现已全部复核" + ($(".next-report[href]", report.root) ? "，按 ] 打开下一份" : ""));
        } else {
          toast("已保存：" + STATUS_ZH[decision]);
        }
        if (report.current === index && index + 1 < report.cards.length) select(index + 1);
      })
      .catch(function (err) { toast("未能保存：" + err.message, "error"); });
  }

  function focusNote() {
    if (!report || report.current < 0) return;
    var note = $(".note", report.cards[report.current]);
    if (note) note.focus();
    else toast("这是只读副本：不能填写备注", "error");
  }

  // ---- index view: keyboard row selection; in the static file also the filters
  var rowCursor = -1;
  function indexRows() { return $$("tr.report-row").filter(function (r) { return !r.hidden; }); }
  function moveRow(step) {
    var rows = indexRows();
    if (!rows.length) return;
    $$("tr.report-row.selected").forEach(function (r) { r.classList.remove("selected"); });
    rowCursor = Math.min(Math.max(rowCursor + step, 0), rows.length - 1);
    rows[rowCursor].classList.add("selected");
    rows[rowCursor].scrollIntoView({ block: "nearest" });
  }

  function staticFilter() {
    var form = $("form.filters");
    var want = {};
    $$("select", form).forEach(function (s) { want[s.name] = s.value; });
    var sums = { reports: 0, findings: 0, error: 0, warning: 0, info: 0, confirmed: 0, dismissed: 0 };
    $$("tr.report-row").forEach(function (row) {
      var d = row.dataset;
      var has = function (list, v) { return !v || (" " + list + " ").indexOf(" " + v + " ") >= 0; };
      var ok = has(d.checks, want.check) && has(d.severities, want.severity) && has(d.statuses, want.status) &&
        (!want.department || d.department === want.department) && (!want.year || d.year === want.year) &&
        (!want.kind || d.kind === want.kind);
      row.hidden = !ok;
      if (ok) Object.keys(sums).forEach(function (k) { sums[k] += k === "reports" ? 1 : +d[k]; });
    });
    sums.reviewed = sums.confirmed + sums.dismissed;
    Object.keys(sums).forEach(function (k) { var el = $('[data-count="' + k + '"]'); if (el) el.textContent = sums[k]; });
    $(".index .empty").hidden = sums.reports > 0;
    rowCursor = -1;
  }

  function initIndex() {
    var form = $("form.filters");
    if (!form) return;
    form.addEventListener("change", function () {
      if (mode === "static") staticFilter();
      else form.submit();
    });
    form.addEventListener("submit", function (ev) { if (mode === "static") { ev.preventDefault(); staticFilter(); } });
    var clear = $('[data-action="clear-filters"]');
    if (clear && mode === "static") {
      clear.addEventListener("click", function (ev) {
        ev.preventDefault();
        $$("select", form).forEach(function (s) { s.value = ""; });
        staticFilter();
      });
    }
  }

  // ---- static file: hash routes #report/<sha>[/<fp>] and #checks/<id>
  function neighbours(sha) {
    // step through the filtered list; a report outside the filter steps through all
    var isIt = function (r) { return r.dataset.sha === sha; };
    var rows = indexRows();
    if (!rows.some(isIt)) rows = $$("tr.report-row");
    var at = rows.findIndex(isIt);
    return { prev: rows[at - 1], next: rows[at + 1] };
  }

  function route() {
    var hash = "";
    try { hash = decodeURIComponent(location.hash.replace(/^#/, "")); } catch (e) { /* a mangled link: show the index */ }
    var parts = hash.split("/");
    var views = { index: $("#index-view"), report: $("#report-view"), catalogue: $("#catalogue-view") };
    var show = function (name) { Object.keys(views).forEach(function (k) { views[k].hidden = k !== name; }); };
    if (parts[0] === "report" && document.getElementById("r-" + parts[1])) {
      if (!report || report.root.dataset.sha !== parts[1] || !visible(views.report)) {
        views.report.innerHTML = document.getElementById("r-" + parts[1]).textContent;
        var near = neighbours(parts[1]);
        if (near.prev) $(".prev-report", views.report).setAttribute("href", "#report/" + near.prev.dataset.sha);
        if (near.next) $(".next-report", views.report).setAttribute("href", "#report/" + near.next.dataset.sha);
        show("report");
        initReport($(".report", views.report), parts[2]);
      }
    } else if (parts[0] === "checks") {
      show("catalogue");
      report = null;
      $$(".targeted", views.catalogue).forEach(function (a) { a.classList.remove("targeted"); });
      var anchor = document.getElementById(parts.slice(1).join("/"));
      if (anchor) { anchor.classList.add("targeted"); anchor.scrollIntoView({ block: "start" }); }
    } else {
      show("index");
      report = null;
    }
  }

  // ---- keyboard
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
    var key = ev.key;
    if (key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (key === "Escape") { toggleHelp(false); return; }
    if (report && visible(report.root)) {
      var actions = {
        j: function () { select(report.current + 1); },
        k: function () { select(report.current - 1); },
        c: function () { decide("confirmed"); },
        d: function () { decide("dismissed"); },
        n: focusNote,
        "]": function () { follow($(".next-report", report.root)); },
        "[": function () { follow($(".prev-report", report.root)); },
        i: function () { follow($(".back", report.root)); },
      };
      if (actions[key]) { ev.preventDefault(); actions[key](); }
    } else if (visible($("#index-view"))) {
      if (key === "j") { ev.preventDefault(); moveRow(1); }
      else if (key === "k") { ev.preventDefault(); moveRow(-1); }
      else if (key === "Enter" && rowCursor >= 0) { ev.preventDefault(); follow($("a", indexRows()[rowCursor])); }
    }
  });

  $$('[data-action="help"]').forEach(function (b) { b.addEventListener("click", function () { toggleHelp(); }); });
  $("#help").addEventListener("click", function (ev) { if (ev.target.id === "help") toggleHelp(false); });
  initIndex();
  if (mode === "static") {
    window.addEventListener("hashchange", route);
    route();
  } else {
    var root = $(".report");
    if (root) initReport(root, location.hash.replace(/^#f-/, ""));
  }
})();
