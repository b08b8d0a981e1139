/// The interactive attention view, a progressive enhancement added by a small script: the static
/// tables and arcs are the figure; the script only highlights what a reader points at or focuses.
///
/// - Maps: the heatmap tables of one cell whose rows carry the same tokens (every head of a
///   `grid`, the scores, weights and output of `show(attention)`) are linked: pointing at a row
///   or focusing its token dims every other row in all of them, and a line under the cell says
///   which key each weights map puts most on. One tab stop per table; ↑ ↓ move between rows,
///   ← → between the maps (heads), Escape lets go.
/// - Arcs with every query's weights (`arcs(heads:…)`): each token is a button that shows its
///   arcs, in every head; ← → move between tokens.
enum AttentionView {
    /// The script's file name in the site.
    static let name = "attention.js"

    /// Whether a page needs the script: it has a heatmap table or steerable arcs.
    static func isUsed(by body: String) -> Bool {
        body.contains("<table class=\"heatmap") || body.contains("<figure class=\"plot arcs\"")
            || body.contains("<figure class=\"plot wide arcs\"")  // drawn twice, for a phone too
    }

    /// The script (ES5, no library; it reads only the page's own tables and figures).
    static let script = """
        // Attention views: pointing at or focusing a token highlights its row in every map of the
        // cell that has the same rows (every head), and shows a query's arcs. The page reads the
        // same without this script.
        (function () {
          "use strict";
          var each = function (list, f) { Array.prototype.forEach.call(list, f); };
          var label = function (e) { return e.textContent.trim(); };
          var bodyRows = function (table) {
            return Array.prototype.filter.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (r) {
              return !r.classList.contains("gap") && r.cells[0] && r.cells[0].scope === "row";
            });
          };
          var name = function (table) {
            var caption = table.closest("figure").querySelector("figcaption"), shape = caption && caption.querySelector(".shape");
            var text = caption ? caption.textContent : "";
            return (shape ? text.slice(0, text.length - shape.textContent.length) : text).trim() || "map";
          };
          var serial = 0;

          // The tables of one cell with the same row tokens, linked.
          function link(outputs, tables) {
            var readout = document.createElement("p");
            readout.className = "attention-readout";
            readout.id = "attention-readout-" + (++serial);
            readout.setAttribute("aria-live", "polite");
            var hint = "Point at a row, or focus its token (↑ ↓ rows, ← → maps), to follow it through the " + tables.length + " maps.";
            readout.textContent = hint;
            outputs.appendChild(readout);
            var current = -1;
            function show(i) {
              if (i === current) return;
              current = i;
              var parts = [];
              tables.forEach(function (t) {
                t.classList.toggle("attention-focus", i >= 0);
                bodyRows(t).forEach(function (r, k) { r.classList.toggle("attention-row", k === i); });
                if (i < 0 || t.getAttribute("data-scale") !== "sequential") return;
                var row = bodyRows(t)[i], keys = t.tHead ? t.tHead.rows[0].cells : [], best = -1, value = -Infinity;
                for (var j = 1; j < row.cells.length; j++) {
                  var v = parseFloat(row.cells[j].textContent), key = keys[j];
                  if (!key || key.scope !== "col" || key.classList.contains("sum") || row.cells[j].classList.contains("masked")) continue;
                  if (v > value) { value = v; best = j; }
                }
                if (best > 0) parts.push(name(t) + ": most on " + label(keys[best]) + " (" + label(row.cells[best]) + ")");
              });
              readout.classList.toggle("active", i >= 0);
              if (i < 0) { readout.textContent = hint; return; }
              var token = label(bodyRows(tables[0])[i].cells[0]);
              readout.textContent = token + (parts.length ? " · " + parts.join(" · ") : " highlighted in " + tables.length + " maps");
            }
            function focusRow(t, i) {
              var rows = bodyRows(t);
              i = Math.max(0, Math.min(rows.length - 1, i));
              rows.forEach(function (r, k) { r.cells[0].tabIndex = k === i ? 0 : -1; });
              rows[i].cells[0].focus();
            }
            tables.forEach(function (t, n) {
              bodyRows(t).forEach(function (r, k) {
                var head = r.cells[0];
                head.tabIndex = k === 0 ? 0 : -1;
                head.setAttribute("aria-describedby", readout.id);
                r.addEventListener("mouseenter", function () { show(k); });
                head.addEventListener("focus", function () { show(k); });
                head.addEventListener("keydown", function (e) {
                  var to = { ArrowUp: [n, k - 1], ArrowDown: [n, k + 1], ArrowLeft: [n - 1, k], ArrowRight: [n + 1, k] }[e.key];
                  if (e.key === "Escape") { head.blur(); show(-1); e.preventDefault(); return; }
                  if (!to || to[0] < 0 || to[0] >= tables.length) return;
                  e.preventDefault();
                  focusRow(tables[to[0]], to[1]);
                });
              });
              t.addEventListener("mouseleave", function () {
                var active = document.activeElement, kept = -1;
                tables.forEach(function (u) { bodyRows(u).forEach(function (r, k) { if (r.cells[0] === active) kept = k; }); });
                show(kept);
              });
              t.addEventListener("focusout", function (e) {
                if (!e.relatedTarget || !tables.some(function (u) { return u.contains(e.relatedTarget); })) show(-1);
              });
            });
          }

          each(document.querySelectorAll(".outputs"), function (outputs) {
            var groups = [], keys = [];
            each(outputs.querySelectorAll("table.heatmap"), function (t) {
              var rows = bodyRows(t);
              if (rows.length < 2) return;
              var key = rows.map(function (r) { return label(r.cells[0]); }).join("\\u0001"), at = keys.indexOf(key);
              if (at < 0) { keys.push(key); groups.push([t]); } else groups[at].push(t);
            });
            groups.forEach(function (g) { if (g.length > 1) link(outputs, g); });
          });

          // Arcs that hold every query's weights: each token shows its own arcs.
          each(document.querySelectorAll("figure.plot.arcs[data-query]"), function (figure) {
            var svg = figure.querySelector("svg"), title = svg.querySelector(".plot-title");
            var tokens = svg.querySelectorAll(".arc-token"), groups = svg.querySelectorAll(".arcs-of");
            var home = Number(figure.getAttribute("data-query")), prefix = figure.getAttribute("data-title");
            var readout = document.createElement("p");
            readout.className = "attention-readout";
            readout.setAttribute("aria-live", "polite");
            readout.textContent = "Point at a token, or focus it (← → move), to see where it looks.";
            figure.appendChild(readout);
            figure.classList.add("live");
            svg.setAttribute("role", "group");
            svg.setAttribute("aria-label", svg.querySelector("title").textContent);
            function show(i, announce) {
              each(groups, function (g) { g.classList.toggle("alt", Number(g.getAttribute("data-query")) !== i); });
              each(tokens, function (t, j) { t.classList.toggle("query", j === i); t.setAttribute("aria-pressed", String(j === i)); });
              var token = label(tokens[i]);
              title.textContent = (prefix ? prefix + ": " : "") + "where " + token + " looks";
              if (!announce) return;
              var notes = groups[i].querySelectorAll(".note"), n = tokens.length, heads = notes.length / n, parts = [];
              for (var h = 0; h < heads; h++) {
                var best = 0;
                for (var j = 1; j < n; j++) if (parseFloat(label(notes[h * n + j])) > parseFloat(label(notes[h * n + best]))) best = j;
                parts.push((heads > 1 ? "head " + h + ": " : "") + "most on " + label(tokens[best]) + " (" + label(notes[h * n + best]) + ")");
              }
              readout.classList.add("active");
              readout.textContent = token + " · " + parts.join(" · ");
            }
            each(tokens, function (t, j) {
              t.setAttribute("tabindex", j === home ? "0" : "-1");
              t.setAttribute("role", "button");
              t.setAttribute("aria-label", "where " + label(t) + " looks");
              t.setAttribute("aria-pressed", String(j === home));
              t.addEventListener("mouseenter", function () { show(j, true); });
              t.addEventListener("focus", function () { show(j, true); });
              t.addEventListener("keydown", function (e) {
                var to = { ArrowLeft: j - 1, ArrowRight: j + 1 }[e.key];
                if (to === undefined || to < 0 || to >= tokens.length) return;
                e.preventDefault();
                each(tokens, function (u, k) { u.setAttribute("tabindex", k === to ? "0" : "-1"); });
                tokens[to].focus();
              });
            });
          });
        })();

        """
}
