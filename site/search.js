(function () {
  var data = window.NOTEBOOK_SEARCH, out = document.getElementById("results");
  var q = new URLSearchParams(location.search).get("q") || "";
  document.getElementById("q").value = q;
  function isCJK(c) { var v = c.codePointAt(0); return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF); }
  function terms(text) {
    var t = [], word = "", prev = null, chars = Array.from(text.toLowerCase());
    function flush() { if (word.length >= 2) t.push(word); word = ""; }
    chars.forEach(function (c) {
      if (isCJK(c)) { flush(); if (prev) t.push(prev + c); else t.push(c); prev = c; return; }
      prev = null;
      if (/[a-z0-9]/.test(c)) word += c; else flush();
    });
    flush();
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
  var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  out.textContent = "";
  var summary = document.createElement("p");
  summary.textContent = ranked.length + " sections match \u201c" + q + "\u201d.";
  out.appendChild(summary);
  var list = document.createElement("ol");
  ranked.slice(0, 30).forEach(function (d) {
    var doc = data.docs[d], li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
    a.href = doc[0]; a.textContent = doc[1]; p.textContent = doc[2];
    li.appendChild(a); li.appendChild(p); list.appendChild(li);
  });
  out.appendChild(list);
})();