import NotebookModel

/// The static search index: one document per section of a lesson (the text under a `##` or
/// `###` heading, prose and code, as `Notebook.sections` holds it), terms from English words
/// (plurals folded: `masks` is `mask`) and, for Chinese, single characters and character
/// bigrams, so that 注意力 and 美女 are found without a word segmenter.
struct SearchIndex {
    /// A section, figure or API symbol: where it is, its title, the prose a snippet quotes, and
    /// code that is searched but never quoted.
    struct Document: Equatable {
        var page: String, anchor: String, title: String, text: String
        var code = ""
        /// An entry of the API reference, which the page ranks below the lessons for a plain word.
        var api = false
    }

    var documents: [Document] = []

    /// The documents of `notebooks` (one per section of their text, as the parser read it from
    /// cmark's tree) and of the API reference.
    init(_ notebooks: [RenderedNotebook], api: APIReference? = nil) {
        for item in notebooks {
            let n = item.notebook
            let lesson = (notebooks.firstIndex { $0.notebook.path == n.path } ?? 0) + 1
            for section in n.sections {
                let text = n.referencesSaid(
                    section.text.split(whereSeparator: \.isWhitespace).joined(separator: " "), lesson: lesson)
                let code = section.code.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                guard !text.isEmpty || !code.isEmpty else { continue }
                documents.append(
                    Document(
                        page: SiteRenderer.pageLink(n), anchor: section.heading?.anchor ?? "",
                        title: section.heading.map { "\(n.title) › \($0.text)" } ?? n.title, text: text, code: code))
            }
            // Each figure's caption, found by its words and linked to the figure.
            for (k, cell) in n.cells.filter({ $0.options.caption != nil }).enumerated() {
                let position = notebooks.firstIndex { $0.notebook.path == n.path } ?? 0
                let label = "Figure \(position + 1).\(k + 1)"
                documents.append(
                    Document(
                        page: SiteRenderer.pageLink(n),
                        anchor: cell.options.id.map { "fig-" + $0 } ?? "fig-\(position + 1)-\(k + 1)",
                        title: "\(n.title) › \(label)", text: "\(label): \(cell.options.caption ?? "")"))
            }
        }
        documents += api?.searchDocuments ?? []
    }

    /// Text without tags, entities decoded for the five escaped characters.
    ///
    /// Works on UTF-8 bytes: `<` and `>` never occur inside a multi-byte character.
    static func plainText<S: StringProtocol>(_ html: S) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count)
        var inTag = false
        for b in html.utf8 {
            if b == UInt8(ascii: "<") {
                inTag = true
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: ">") {
                inTag = false
            } else if !inTag {
                out.append(b)
            }
        }
        var text = String(decoding: out, as: UTF8.self)
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacing(entity, with: ch)
        }
        return text
    }

    /// The terms of a text: lowercased ASCII words (2+ letters or digits), CJK characters and CJK
    /// bigrams; every other character separates.
    ///
    /// By Unicode scalar, as the page's script reads a query (`Array.from`).
    static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var word: [UInt8] = []
        var previousCJK: Unicode.Scalar?
        func flush() {
            while word.last == 0x5F { word.removeLast() }
            if word.count >= 2 { terms.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                flush()
                terms.append(String(scalar))
                if let p = previousCJK { terms.append(String(p) + String(scalar)) }
                previousCJK = scalar
                continue
            }
            previousCJK = nil
            switch scalar.value {
            case 0x30...0x39, 0x61...0x7A: word.append(UInt8(scalar.value))
            case 0x41...0x5A: word.append(UInt8(scalar.value + 0x20))
            case 0x5F where !word.isEmpty: word.append(0x5F)  // W_Q, d_model: one word
            case 0x221A:
                flush()
                word += Array("√".utf8)  // √d
            default: flush()
            }
        }
        flush()
        return terms.map(singular)
    }

    /// An English plural folded to its singular, the same rules as the page's script: `masks` →
    /// `mask`, `queries` → `query`, `boxes` → `box`, `classes` → `class`, `matrices` → `matrix`;
    /// words under 4 letters, with a digit, `_` or `√`, or ending in `ss`, `us`, `is`, `as` stay.
    static func singular(_ w: String) -> String {
        if let irregular = ["matrices": "matrix", "indices": "index", "vertices": "vertex"][w] { return irregular }
        guard w.utf8.count >= 4, w.hasSuffix("s"), w.utf8.allSatisfy({ (0x61...0x7A).contains($0) }),
            !["ss", "us", "is", "as"].contains(where: { w.hasSuffix($0) })
        else { return w }
        if w.hasSuffix("ies") { return String(w.dropLast(3)) + "y" }
        if ["sses", "xes", "ches", "shes"].contains(where: { w.hasSuffix($0) }) { return String(w.dropLast(2)) }
        return String(w.dropLast())
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
    }

    /// `search-index.js`: documents and, per term, the documents holding it with a count; sorted,
    /// so the file is the same on every build.
    var javascript: String {
        var postings: [String: [Int: Int]] = [:]
        for (d, doc) in documents.enumerated() {
            for t in Self.terms(doc.title + " " + doc.title + " " + doc.text + " " + doc.code) {
                postings[t, default: [:]][d, default: 0] += 1
            }
        }
        var js = "window.NOTEBOOK_SEARCH = {\"docs\": [\n"
        js += documents.map { doc in
            // The whole text: the page cuts the snippet around the match.
            let text = doc.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return
                "[\(Self.json(doc.page + (doc.anchor.isEmpty ? "" : "#" + doc.anchor))), \(Self.json(doc.title)), \(Self.json(text)), \(doc.api ? 1 : 0)]"
        }.joined(separator: ",\n")
        js += "\n], \"terms\": {\n"
        js += postings.keys.sorted().map { t in
            "\(Self.json(t)): ["
                + postings[t]!.keys.sorted().map { "[\($0), \(postings[t]![$0]!)]" }.joined(separator: ", ") + "]"
        }.joined(separator: ",\n")
        return js + "\n}};\n"
    }

    static func json(_ s: String) -> String { jsonString(s, forScript: true) }
}

/// The search page: a form, and a small script that reads `?q=` and ranks sections by the
/// query's terms (all terms must match; score = Σ counts, more when the title holds the query),
/// showing the text around the first match with the terms in `<mark>`.
///
/// Works from `file://`.
enum SearchPage {
    static let script = """
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
              else if (c === "\\u221a") { flush(); word = c; }
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
            + (ranked.length === 1 ? " section matches" : " sections match") + " \\u201c" + q + "\\u201d"
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
            return (start > 0 ? "\\u2026" : "") + text.slice(start, end).trim() + (end < text.length ? "\\u2026" : "");
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
        """

    static func html(_ lessons: [Notebook] = [], course: Course = Course()) -> String {
        SiteRenderer.document(
            title: "Search · \(course.title)",
            body: NotebookPage.sidebar(lessons, current: nil, api: false, course: course) + """
                <main id="content" class="search"><h1>Search</h1>
                <form action="search.html" method="get" role="search"><label for="q">Search the lessons</label>
                <input id="q" name="q" type="search" placeholder="注意力, 美女, softmax"> <button type="submit">Search</button></form>
                <div id="results" aria-live="polite"><noscript><p>Search needs JavaScript; every lesson is listed on the <a href="index.html">contents page</a>.</p></noscript></div>
                <script src="search-index.js"></script><script src="search.js"></script></main>
                """, course: course)
    }
}
