import NotebookModel

/// What the preview server adds to the static site: path resolution, content types, and the
/// live-reload script put into every HTML page it serves (never into the files on disk).
public enum LiveReload {
    /// The server-sent events stream pages listen to.
    public static let eventsPath = "/__notebook/events"

    /// The site file a request path names: `/` and `/folder/` give their `index.html`, `/page`
    /// gives `page.html` when there is no file `page`.
    ///
    /// Percent escapes are decoded; nil when nothing matches or the path is malformed.
    public static func resolve(_ requestPath: String, in files: some Collection<String>) -> String? {
        guard let decoded = percentDecoded(requestPath) else { return nil }
        var path = String(decoded.drop { $0 == "/" })
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        if files.contains(path) { return path }
        if files.contains(path + ".html") { return path + ".html" }
        return nil
    }

    /// The `Content-Type` of a site file, by its extension.
    public static func contentType(_ path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// `html` with the live-reload script before its last `</body>` (at its end when it has none).
    ///
    /// `version` is the site version the page is served from.
    public static func inject(into html: [UInt8], version: Int) -> [UInt8] {
        let script = Array(scriptTag(version: version).utf8)
        let marker = Array("</body>".utf8)
        var i = html.count - marker.count
        while i >= 0 {
            if html[i..<(i + marker.count)].elementsEqual(marker) {
                return Array(html[..<i]) + script + Array(html[i...])
            }
            i -= 1
        }
        return html + script
    }

    /// The page for a path with no file; it reloads itself when the site changes.
    public static func notFoundPage(_ requestPath: String, version: Int) -> [UInt8] {
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Not found</title><link rel="stylesheet" href="/style.css"></head>
            <body><main><h1>Not found</h1><p>No page at <code>\(escapeHTML(requestPath))</code> in this site. \
            <a href="/">The index</a> lists the lessons.</p></main></body></html>

            """
        return inject(into: Array(page.utf8), version: version)
    }

    /// The script: listens to the events; reloads when the page or a file it links (style
    /// sheet, script) changed after the version it was served from; shows the build's problem
    /// in a banner at the foot of the page, and clears it when the build is clean again.
    static func scriptTag(version: Int) -> String {
        """
        <script>/* notebook serve: live reload */(() => {
          const loaded = \(version);
          const here = decodeURIComponent(location.pathname.replace(/^\\/+/, ''));
          const file = here === '' || here.endsWith('/') ? here + 'index.html' : (/\\.[A-Za-z0-9]+$/.test(here) ? here : here + '.html');
          const uses = new Set([file]);
          for (const e of document.querySelectorAll('link[rel=stylesheet][href], script[src]')) {
            uses.add(decodeURIComponent(new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).pathname.replace(/^\\/+/, '')));
          }
          let banner = null;
          function show(problem) {
            if (!problem) { if (banner) { banner.remove(); banner = null; } return; }
            if (!banner) {
              banner = document.createElement('pre');
              banner.setAttribute('role', 'alert');
              banner.id = 'notebook-serve-problem';
              banner.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;margin:0;padding:.75em 1em;'
                + 'background:#fff1f0;color:#5c0000;border-top:3px solid #c00;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;z-index:1000';
              document.body.appendChild(banner);
            }
            banner.textContent = problem;
          }
          const source = new EventSource('\(eventsPath)');
          source.addEventListener('site', (event) => {
            const site = JSON.parse(event.data);
            const changed = Object.entries(site.changedIn).some(([path, v]) => v > loaded && uses.has(path));
            const appeared = !(file in site.changedIn) && site.version > loaded;
            if (changed || appeared) { source.close(); location.reload(); return; }
            show(site.problem);
          });
        })();</script>

        """
    }

    private static func percentDecoded(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var utf8 = s.utf8.makeIterator()
        while let b = utf8.next() {
            guard b == UInt8(ascii: "%") else {
                bytes.append(b)
                continue
            }
            guard let h = utf8.next().flatMap(hexValue), let l = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(h << 4 | l)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
