(function () {
  var data = window.NOTEBOOK_SEARCH, out = document.getElementById("results");
  var q = new URLSearchParams(location.search).get("q") || "";
  document.getElementById("q").value = q;
  function isCJK(c) { var v = c.codePointAt(0); return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF); }
  // The index's plural folding (SearchIndex.singular): masks → mask, queries → query.
  function singular(w) {
    var irregular = { matrices: "matrix", indices: "index", vertices: "vertex" };
    if (irregular[w]) return irregular[w];
    if (w.length < 4 || !/^[a-z]+s$/.test(w) || /(ss|us|is|as)$/.test(w)) return w;
    if (/ies$/.test(w)) return w.slice(0, -3) + "y";
    if (/(sses|xes|ches|shes)$/.test(w)) return w.slice(0, -2);
    return w.slice(0, -1);
  }
  function terms(text) {
    var t = [], word = "", prev = null, chars = Array.from(text.toLowerCase());
    function flush() { word = word.replace(/_+$/, ""); if (word.length >= 2) t.push(word); word = ""; }
    chars.forEach(function (c) {
      if (isCJK(c)) { flush(); if (prev) t.push(prev + c); else t.push(c); prev = c; return; }
      prev = null;
      if (/[a-z0-9]/.test(c) || (c === "_" && word)) word += c;
      else if (c === "\u221a") { flush(); word = c; }
      else flush();
    });
    flush();
    t = t.map(singular);
    var cjkOnly = chars.filter(isCJK);
    if (cjkOnly.length === 1) t = [cjkOnly[0]].concat(t.filter(function (x) { return !isCJK(x[0]); }));
    return t;
  }
  var qt = terms(q);
  if (!qt.length) { out.textContent = q ? "No searchable words in the query." : ""; return; }
  var scores = null;
  qt.forEach(function (term) {
    var posting = data.terms[term] || [], next = {};
    posting.forEach(function (p) { if (scores === null || p[0] in scores) next[p[0]] = (scores ? scores[p[0]] : 0) + p[1]; });
    scores = next;
  });
  // A title that holds the query as typed ranks first, one that starts with it before those.
  var phrase = q.toLowerCase().trim();
  Object.keys(scores).forEach(function (d) {
    var title = data.docs[d][1].toLowerCase(), at = title.indexOf(phrase);
    if (at === 0) scores[d] += 50; else if (at > 0) scores[d] += 10;
  });
  // A plain word ranks the lessons before the API reference; a name as code is written
  // (softmaxRows, Mask.causal, attention(…)) keeps the API's entries where they score.
  var code = /[a-z][A-Z]|[.(]/.test(q);
  var ranked = Object.keys(scores).sort(function (a, b) {
    return (code ? 0 : data.docs[a][3] - data.docs[b][3]) || scores[b] - scores[a] || a - b;
  });
  out.textContent = "";
  var summary = document.createElement("p"), shown = Math.min(30, ranked.length);
  summary.textContent = (ranked.length > shown ? shown + " of " + ranked.length : ranked.length)
    + (ranked.length === 1 ? " section matches" : " sections match") + " \u201c" + q + "\u201d"
    + (ranked.length > shown ? " (the best " + shown + " shown)." : ".");
  out.appendChild(summary);
  // What to mark: the query as typed (a Chinese phrase) and each of its terms; the longest wins.
  var marks = [q.toLowerCase().trim()].concat(qt).filter(function (t) { return t.length > 0; });
  function next(lower, from) {
    var at = -1, len = 0;
    marks.forEach(function (t) { var k = lower.indexOf(t, from); if (k >= 0 && (at < 0 || k < at || (k === at && t.length > len))) { at = k; len = t.length; } });
    return [at, len];
  }
  function snippet(text) {
    var at = next(text.toLowerCase(), 0)[0], start = 0, end = Math.min(text.length, 180);
    if (at > 60) { start = text.lastIndexOf(" ", at - 50); if (start < at - 80) start = at - 60; end = Math.min(text.length, start + 180); }
    return (start > 0 ? "\u2026" : "") + text.slice(start, end).trim() + (end < text.length ? "\u2026" : "");
  }
  function marked(p, piece) {
    var lower = piece.toLowerCase(), i = 0;
    while (i < piece.length) {
      var m = next(lower, i);
      if (m[0] < 0) { p.appendChild(document.createTextNode(piece.slice(i))); break; }
      if (m[0] > i) p.appendChild(document.createTextNode(piece.slice(i, m[0])));
      var mark = document.createElement("mark"); mark.textContent = piece.slice(m[0], m[0] + m[1]); p.appendChild(mark);
      i = m[0] + m[1];
    }
  }
  var list = document.createElement("ol");
  ranked.slice(0, 30).forEach(function (d) {
    var doc = data.docs[d], li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
    a.href = doc[0]; a.textContent = doc[1]; marked(p, snippet(doc[2]));
    li.appendChild(a); li.appendChild(p); list.appendChild(li);
  });
  out.appendChild(list);
})();