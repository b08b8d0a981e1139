import Testing

@testable import NotebookServer

@Test func requestPathsResolveToSiteFiles() {
    let files: Set = ["index.html", "01-one-hot.html", "style.css", "notes/index.html", "a b.html"]
    #expect(LiveReload.resolve("/", in: files) == "index.html")
    #expect(LiveReload.resolve("/01-one-hot.html", in: files) == "01-one-hot.html")
    #expect(LiveReload.resolve("/01-one-hot", in: files) == "01-one-hot.html")
    #expect(LiveReload.resolve("/notes/", in: files) == "notes/index.html")
    #expect(LiveReload.resolve("/a%20b.html", in: files) == "a b.html")
    #expect(LiveReload.resolve("/missing.html", in: files) == nil)
    #expect(LiveReload.resolve("/../index.html", in: files) == nil)
    #expect(LiveReload.resolve("/%zz", in: files) == nil)
    #expect(LiveReload.resolve("/%ff.html", in: files) == nil)
}

@Test func contentTypesFollowTheExtension() {
    #expect(LiveReload.contentType("index.html") == "text/html; charset=utf-8")
    #expect(LiveReload.contentType("style.css") == "text/css; charset=utf-8")
    #expect(LiveReload.contentType("search-index.js") == "text/javascript; charset=utf-8")
    #expect(LiveReload.contentType("figure.SVG") == "image/svg+xml")
    #expect(LiveReload.contentType("LICENSE") == "application/octet-stream")
}

@Test func theScriptGoesBeforeTheLastClosingBodyTag() {
    let page = Array("<html><body><p>&lt;/body&gt;</p></body></html>\n".utf8)
    let served = String(decoding: LiveReload.inject(into: page, version: 7), as: UTF8.self)
    #expect(served.hasPrefix("<html><body><p>&lt;/body&gt;</p><script>"))
    #expect(served.hasSuffix("</script>\n</body></html>\n"))
    #expect(served.contains("const loaded = 7;"))
    #expect(served.contains("new EventSource('/__notebook/events')"))
    let bare = String(decoding: LiveReload.inject(into: Array("<p>hi</p>".utf8), version: 1), as: UTF8.self)
    #expect(bare.hasPrefix("<p>hi</p><script>") && bare.hasSuffix("</script>\n"))
}

@Test func theNotFoundPageEscapesThePathAndReloads() {
    let page = String(decoding: LiveReload.notFoundPage("/<x>", version: 3), as: UTF8.self)
    #expect(page.contains("<code>/&lt;x&gt;</code>"))
    #expect(page.contains("const loaded = 3;"))
}

@Test func publishingCountsVersionsAndNamesTheChangedFiles() async {
    let site = LiveSite()
    let first = await site.publish(["index.html": [1], "a.html": [2], "style.css": [3]])
    #expect(first == ["a.html", "index.html", "style.css"])
    let second = await site.publish(["index.html": [1], "a.html": [9], "b.html": [4]])
    #expect(second == ["a.html", "b.html", "style.css"])
    let state = await site.state
    #expect(state.version == 2)
    // style.css is gone, so it is not listed; index.html last changed in version 1.
    #expect(state.changedIn == ["index.html": 1, "a.html": 2, "b.html": 2])
    #expect(
        state.event
            == "event: site\ndata: {\"version\":2,\"changedIn\":{\"a.html\":2,\"b.html\":2,\"index.html\":1},\"problem\":null}\n\n"
    )
}

@Test func watchersGetTheStateNowThenEveryChangeAndProblemsInOneDataLine() async {
    let site = LiveSite()
    await site.publish(["index.html": [1]])
    let (stream, id) = await site.watch()
    var states = stream.makeAsyncIterator()
    #expect(await states.next()?.version == 1)
    await site.report(problem: "notebooks/a.md:4:14: error: cannot convert\n  let x: Int = \"no\"")
    let reported = await states.next()
    #expect(reported?.version == 1)
    #expect(reported?.event.split(separator: "\n").count == 2)
    #expect(
        reported?.event.contains(#""problem":"notebooks/a.md:4:14: error: cannot convert\n  let x: Int = \"no\"""#)
            == true)
    await site.publish(["index.html": [2]])
    let published = await states.next()
    #expect(published?.version == 2 && published?.problem == nil)
    #expect(await site.watcherCount == 1)
    await site.stopWatching(id)
    #expect(await states.next() == nil)
    #expect(await site.watcherCount == 0)
}

@Test func onlyLoopbackHostsAreAnswered() {
    for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1", nil] as [String?] {
        #expect(SiteResponder.isLoopback(authority: host), "\(host ?? "none")")
    }
    for host in ["evil.example:8000", "127.0.0.1.evil.example", "localhost.evil:80", "10.0.0.1:8000"] {
        #expect(!SiteResponder.isLoopback(authority: host), "\(host)")
    }
}
