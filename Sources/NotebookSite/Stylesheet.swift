/// The site's one stylesheet: system fonts, light and dark, print, phone widths.
enum Stylesheet {
    static let css = """
        :root { --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --code-bg: #f6f8fa;
          --accent: #0b62c4; --error-bg: #fff1f0; --error-line: #cf222e; --expected-bg: #f4f0ff; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --line: #30363d; --code-bg: #161b22;
            --accent: #58a6ff; --error-bg: #2d1416; --error-line: #f85149; --expected-bg: #221a36; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
          color: var(--fg); background: var(--bg); display: flex; }
        a { color: var(--accent); }
        .sidebar { position: sticky; top: 0; align-self: flex-start; width: 17rem; height: 100vh; overflow-y: auto;
          padding: 1rem; border-right: 1px solid var(--line); font-size: 0.9rem; flex: none; }
        .sidebar ol { padding-left: 1.3rem; } .sidebar li { margin: 0.3rem 0; }
        .sidebar a[aria-current="page"] { font-weight: 700; color: var(--fg); }
        main { flex: 1; min-width: 0; max-width: 60rem; padding: 1rem 2rem 4rem; margin: 0 auto; }
        /* Prose at a reading measure (about 75 Latin characters, 40 Chinese); code, tables and figures use the width. */
        article > p, article > ul, article > ol, article > blockquote, article > .callout, article header p, .index > p { max-width: 40rem; }
        .skip-link { position: absolute; left: -100vw; top: 0.5rem; padding: 0.4rem 0.8rem; background: var(--bg); border: 2px solid var(--accent); z-index: 10; }
        .skip-link:focus { left: 0.5rem; }
        .heading-link { margin-left: 0.35em; color: var(--muted); text-decoration: none; opacity: 0; }
        .heading-link::after { content: "#"; }
        h2:hover .heading-link, h3:hover .heading-link, h4:hover .heading-link, .heading-link:focus { opacity: 1; }
        .lesson-menu { display: none; } .lesson-menu summary { cursor: pointer; font-weight: 600; } .lesson-menu .here { font-weight: 400; color: var(--muted); }
        .cell-label a { color: inherit; text-decoration: none; } .cell-label a:hover { text-decoration: underline; }
        /* Chinese: no synthetic slant (CJK fonts have no italics); emphasis dots instead, as Chinese print does. */
        em [lang="zh"], [lang="zh"] em, em:lang(zh) { font-style: normal; text-emphasis: filled dot; text-emphasis-position: under right; }
        .author { color: var(--muted); }
        /* Math: the shipped Latin Modern Math (math-font.css), an OpenType MATH font: stretchy fences, large Σ in display. */
        math { font-family: "Notebook Math", "Latin Modern Math", "STIX Two Math", "Cambria Math", math; font-size: 1.1em; }
        .math-block { display: block; margin: 0.8rem 0; overflow-x: auto; }
        /* A numbered formula (\\label): the number at the right edge, as in print; under the formula when both do not fit. */
        .math-block.numbered { display: flex; flex-wrap: wrap; align-items: center; gap: 0 1rem; } .math-block.numbered math { flex: 1; }
        .eq-number { flex: none; margin-left: auto; }
        /* Display math may use the full column, not the prose measure (a wide formula is not cut). */
        article > p.display-math { max-width: none; }
        /* A script inside a script stays at the first script size (TeX's scriptscript is 8 px at this size). */
        /* (Spelled out, and font-size rather than math-depth, for the HTML checker's CSS parser.) */
        msub > :not(:first-child) msub > :not(:first-child), msub > :not(:first-child) msup > :not(:first-child), msub > :not(:first-child) msubsup > :not(:first-child), msup > :not(:first-child) msub > :not(:first-child), msup > :not(:first-child) msup > :not(:first-child), msup > :not(:first-child) msubsup > :not(:first-child), msubsup > :not(:first-child) msub > :not(:first-child), msubsup > :not(:first-child) msup > :not(:first-child), msubsup > :not(:first-child) msubsup > :not(:first-child), munder > :not(:first-child) msub > :not(:first-child), munder > :not(:first-child) msup > :not(:first-child), munder > :not(:first-child) msubsup > :not(:first-child), mover > :not(:first-child) msub > :not(:first-child), mover > :not(:first-child) msup > :not(:first-child), mover > :not(:first-child) msubsup > :not(:first-child), munderover > :not(:first-child) msub > :not(:first-child), munderover > :not(:first-child) msup > :not(:first-child), munderover > :not(:first-child) msubsup > :not(:first-child) { font-size: inherit; }
        /* aligned: right- then left-aligned columns meeting at the relation; cases: left. */
        mtd.tex-r { text-align: right; padding-right: 0; } mtd.tex-l { text-align: left; padding-left: 0; }
        .search #results p { overflow-wrap: anywhere; } mark { background: #fff3a3; color: #1b1f24; border-radius: 2px; }
        h1 { line-height: 1.25; } .description { color: var(--muted); font-size: 1.1rem; }
        .source { color: var(--muted); font-size: 0.85rem; }
        .toc { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; font-size: 0.9rem; }
        .toc p { margin: 0; font-weight: 600; } .toc ul { margin: 0.3rem 0; padding-left: 1.2rem; } .toc .level3 { margin-left: 1rem; }
        pre, code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88rem; }
        pre { background: var(--code-bg); padding: 0.7rem 0.9rem; border-radius: 6px; overflow-x: auto; }
        .cell { margin: 1.2rem 0; border-left: 3px solid var(--line); padding-left: 0.8rem; }
        .cell-label { margin: 0; font-size: 0.75rem; color: var(--muted); }
        figure.captioned { margin: 0; } figure.captioned > figcaption { margin: 0.3rem 0 0.6rem; font-size: 0.9rem; font-weight: 400; max-width: 40rem; }
        .figure-number { font-weight: 600; }
        /* A long cell folded to its first 16 lines; the summary under them unfolds it. */
        .code-fold { display: flex; flex-direction: column; } .code-fold > details { order: 1; }
        .code-fold > details:not([open]) + pre { max-height: calc(16 * 1.45em + 1.4rem); overflow-y: hidden; -webkit-mask-image: linear-gradient(#000 75%, #0003); mask-image: linear-gradient(#000 75%, #0003); }
        .code-fold > details { margin: -0.4rem 0 0.4rem; font-size: 0.85rem; } .code-fold summary { cursor: pointer; color: var(--accent); }
        .code-fold > details[open] summary::after { content: " (shown)"; color: var(--muted); }
        .copy-code { float: right; margin: 0 0 0 0.5rem; font: inherit; font-size: 0.75rem; padding: 0 0.4rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--muted); cursor: pointer; }
        .cell pre.code { margin: 0.2rem 0 0.5rem; }
        /* Each printed line a block: when it wraps (phones, print), the rest hangs two columns right of its own indentation (an indented line's style says how far). */
        pre .line { display: block; padding-left: 2ch; text-indent: -2ch; } pre .indent { white-space: pre; }
        @media (max-width: 37.5rem) { pre.code, pre.output-text { white-space: pre-wrap; overflow-wrap: anywhere; } }
        .outputs > * { margin: 0.5rem 0; }
        .output-text { --cover: var(--bg); border: 1px dashed var(--line); }
        figure { margin: 0.8rem 0; max-width: 100%; }
        figcaption { font-size: 0.9rem; font-weight: 600; margin-bottom: 0.3rem; }
        .shape { font-weight: 400; color: var(--muted); font-size: 0.8rem; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table.heatmap { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.8rem; }
        table.heatmap th, table.heatmap td { padding: 0.2rem 0.45rem; border: 1px solid var(--line); text-align: right; white-space: nowrap; }
        table.heatmap th { background: var(--code-bg); font-weight: 600; text-align: center; }
        table.heatmap td.masked { background: repeating-linear-gradient(45deg, #9993, #9993 3px, transparent 3px, transparent 7px); color: var(--muted); }
        table.heatmap td.sum { font-weight: 600; }
        table.heatmap td[style] { background: var(--c); color: var(--t); } .ramp { background: var(--ramp); }
        .hl-kw, .hl-attr { color: #8250df; } .hl-ty { color: #953800; } .hl-str { color: #0a3069; } .hl-num { color: #0550ae; }
        .hl-com { color: #59636e; font-style: italic; } .hl-pp { color: #cf222e; } .hl-lbl { color: #6639ba; }
        @media (prefers-color-scheme: dark) {
          .hl-kw, .hl-attr { color: #d2a8ff; } .hl-ty { color: #ffa657; } .hl-str { color: #a5d6ff; } .hl-num { color: #79c0ff; }
          .hl-com { color: #8b949e; } .hl-pp { color: #ff7b72; } .hl-lbl { color: #d2a8ff; } }
        @media (prefers-color-scheme: dark) { table.heatmap td[style] { background: var(--cd); color: var(--td); } .ramp { background: var(--ramp-dark); } }
        table.heatmap td.gap, tr.gap td { text-align: center; color: var(--muted); }
        .legend { font-size: 0.78rem; color: var(--muted); margin: 0.3rem 0; }
        .ramp { display: inline-block; width: 6rem; height: 0.7rem; vertical-align: middle; border: 1px solid var(--line); }
        .masked-key { padding: 0 0.3rem; background: repeating-linear-gradient(45deg, #9993, #9993 3px, transparent 3px, transparent 7px); border: 1px solid var(--line); }
        .grid .panels { display: flex; flex-wrap: wrap; gap: 1rem; }
        /* Matrices over 10 columns are drawn twice: the table, and for a phone coloured cells with the numbers folded under them. */
        .matrix-widths > .narrow { display: none; }
        @media (max-width: 37.5rem) { .matrix-widths > .wide { display: none; } .matrix-widths > .narrow { display: block; } }
        svg.cells { display: block; width: 100%; max-width: 24rem; height: auto; font-size: 12px; } svg.cells text { fill: var(--fg); }
        svg.cells rect { fill: var(--code-bg); } svg.cells rect[style] { fill: var(--c); } svg.cells rect.masked { fill: #9996; } svg.cells rect.frame { fill: none; stroke: var(--line); }
        @media (prefers-color-scheme: dark) { svg.cells rect[style] { fill: var(--cd); } }
        table.numbers { font-size: 0.75rem; font-variant-numeric: tabular-nums; } table.numbers th, table.numbers td { padding: 0.1rem 0.35rem; white-space: nowrap; }
        .plot { overflow-x: auto; }
        /* A cued scroll: a shadow at an edge with more to see, gone at the end (covers scroll with the content). */
        .scroll, .plot, .math-block, pre {
          --cover: var(--bg);
          background: linear-gradient(to right, var(--cover) 30%, transparent) left / 2rem 100% no-repeat local,
            linear-gradient(to left, var(--cover) 30%, transparent) right / 2rem 100% no-repeat local,
            radial-gradient(farthest-side at 0 50%, #0004, transparent) left / 0.8rem 100% no-repeat scroll,
            radial-gradient(farthest-side at 100% 50%, #0004, transparent) right / 0.8rem 100% no-repeat scroll;
          background-color: var(--cover);
        }
        pre { --cover: var(--code-bg); } pre.output-text { --cover: var(--bg); }
        /* the same cue, light on a dark page (a dark shadow does not show there) */
        @media (prefers-color-scheme: dark) {
          .scroll, .plot, .math-block, pre {
            background: linear-gradient(to right, var(--cover) 30%, transparent) left / 2rem 100% no-repeat local,
              linear-gradient(to left, var(--cover) 30%, transparent) right / 2rem 100% no-repeat local,
              radial-gradient(farthest-side at 0 50%, #fff5, transparent) left / 0.8rem 100% no-repeat scroll,
              radial-gradient(farthest-side at 100% 50%, #fff5, transparent) right / 0.8rem 100% no-repeat scroll;
            background-color: var(--cover);
          }
        }
        /* never narrower than 600 px: the 12-unit text of a 640-unit figure stays at 11.25 px or more;
           on a phone the figure scrolls sideways instead of shrinking to 6.5 px text */
        .plot svg { width: 100%; min-width: 37.5rem; max-width: 40rem; height: auto; font-size: 12px; fill: var(--fg); }
        .plot.square svg { min-width: 22.5rem; max-width: 24rem; }
        /* Line plots, histograms and bars are drawn twice: 640 wide, and 360 wide for a phone. */
        .plot-widths .plot.narrow { display: none; } .plot-widths .plot.narrow svg { min-width: 0; max-width: 24rem; }
        @media (max-width: 37.5rem) { .plot-widths .plot.wide { display: none; } .plot-widths .plot.narrow { display: block; } }
        .plot svg text { fill: var(--fg); } .plot .plot-title { font-weight: 600; font-size: 14px; }
        .plot .axes line, .plot .tick { stroke: var(--muted); stroke-width: 1; } .plot .axes line.grid { stroke: var(--line); stroke-width: 0.5; }
        .plot .legend-bg { fill: var(--bg); fill-opacity: 0.88; stroke: var(--line); stroke-width: 0.5; }
        .plot .unit { fill: none; stroke: var(--muted); stroke-dasharray: 3 3; }
        .plot .related { fill: #2da44e22; } .plot .opposed { fill: #cf222e1f; } .plot .perpendicular { stroke: var(--muted); stroke-dasharray: 6 4; }
        .plot .note { font-size: 11px; fill: var(--muted); } .plot .query { font-weight: 700; }
        /* The attention view (attention.js): a row pointed at or focused, in every map of its cell; a query's arcs. */
        table.heatmap.attention-focus tbody tr:not(.attention-row) td { opacity: 0.25; }
        table.heatmap tbody tr.attention-row th { background: var(--accent); color: var(--bg); }
        table.heatmap tbody th[tabindex] { cursor: pointer; } table.heatmap tbody th[tabindex]:focus-visible { outline: 3px solid var(--fg); outline-offset: -3px; }
        .attention-readout { padding: 0.2rem 0.6rem; background: var(--bg); border-left: 3px solid var(--line); font-size: 0.85rem; color: var(--muted); }
        .attention-readout.active { position: sticky; bottom: 0; z-index: 1; border-left-color: var(--accent); color: var(--fg); }
        /* Diagrams: drawn for the width they need (at most 1.25 times it), never scrolled. */
        .plot.diagram svg { min-width: 0; width: 100%; }
        .diagram .box rect { stroke-width: 1.2; } .diagram rect.matrix { fill: var(--accent); fill-opacity: 0.1; stroke: var(--accent); }
        .diagram rect.step { fill: var(--code-bg); stroke: var(--muted); } .diagram .name { font-weight: 700; font-size: 13px; }
        .diagram .shape { fill: var(--muted); } .diagram .note { font-size: 11px; fill: var(--muted); }
        .diagram .arrow polyline { fill: none; stroke: var(--muted); stroke-width: 1.3; } .diagram .arrow .head { fill: var(--muted); }
        .diagram .edge-label, .diagram .edge-halo { font-size: 11px; } .diagram .edge-halo { fill: var(--bg); stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; }
        .diagram .group rect { fill: none; stroke: var(--muted); stroke-dasharray: 4 3; } .diagram .group text { font-size: 11px; fill: var(--muted); font-style: italic; }
        .plot .arcs-of.alt { display: none; } .plot .arc-token .hit { fill: transparent; }
        .plot.arcs.live .arc-token { cursor: pointer; } .plot.arcs .arc-token:focus { outline: none; }
        .plot.arcs.live .arc-token:hover .hit, .plot.arcs .arc-token:focus .hit { fill: var(--code-bg); stroke: var(--accent); stroke-width: 2; }
        .failure { border-left: 4px solid var(--error-line); background: var(--error-bg); padding: 0.3rem 0.8rem; border-radius: 4px; }
        .failure.expected { border-left-color: #8250df; background: var(--expected-bg); }
        .failure p { margin: 0.3rem 0; } .failure pre { --cover: var(--error-bg); padding: 0; } .failure.expected pre { --cover: var(--expected-bg); }
        .pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; }
        .pager a[rel="next"] { margin-left: auto; text-align: right; }
        .search-box input { width: 100%; max-width: 22rem; padding: 0.3rem 0.5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
        .index .search-box input { width: auto; }
        .search #results li { margin: 0.6rem 0; } .search #results p { margin: 0.1rem 0; color: var(--muted); font-size: 0.9rem; }
        .report h2 { font-size: 1rem; font-weight: 600; }
        .index .lessons li { margin: 0.8rem 0; } .index .lessons p { margin: 0.1rem 0; color: var(--muted); }
        table:not(.heatmap) { border-collapse: collapse; } table:not(.heatmap) th, table:not(.heatmap) td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; }
        .callout { margin: 1rem 0; padding: 0.4rem 1rem; border-left: 4px solid var(--accent); border-radius: 4px; background: var(--code-bg); }
        .callout-title { font-weight: 700; margin: 0.2rem 0; } .callout.tip { border-left-color: #1a7f37; }
        .callout.warning, .callout.caution { border-left-color: #bf8700; } .callout.caution { border-left-color: var(--error-line); }
        .callout.important { border-left-color: #8250df; }
        blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
        .api-link { margin-top: 1rem; }
        /* Subplots: small multiples, columns as the cell asked; one column on phones. Panels are drawn 240 units wide, so their 12-unit text stays near 11 CSS px at four to a row. */
        .subplots > figcaption { font-weight: 600; font-size: 0.9rem; }
        .subplot-panels { display: grid; gap: 0.4rem 0.8rem; }
        .subplot-panels .plot { margin: 0; } .subplot-panels .plot svg { min-width: 0; max-width: 100%; }
        .subplot-panels .plot .plot-title { font-size: 13px; }
        details.data { font-size: 0.8rem; margin: 0.2rem 0; } details.data summary { cursor: pointer; color: var(--muted); }
        details.data table { margin: 0.3rem 0; } details.data td { text-align: right; font-variant-numeric: tabular-nums; }
        .plot.image .frame { stroke: var(--muted); stroke-width: 0.5; }
        .api .symbol { margin: 1.4rem 0; } .api .members { margin-left: 0.4rem; padding-left: 1rem; border-left: 2px solid var(--line); }
        .api .members .symbol { margin: 1rem 0; }
        .api h3, .api h4, .api h5, .api h6 { margin: 0.2rem 0; font-size: 1rem; } .api h3 { font-size: 1.1rem; }
        .api .symbol h3 a, .api .symbol h4 a, .api .symbol h5 a { color: var(--fg); text-decoration: none; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
        .api .kind { font-weight: 400; font-size: 0.8rem; color: var(--muted); margin-left: 0.4rem; }
        .api pre.declaration { margin: 0.3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .api .doc code { overflow-wrap: anywhere; } .api .doc p { margin: 0.3rem 0; } .api .undocumented { color: var(--muted); font-style: italic; }
        /* Wide screens: "on this page" beside the text. */
        @media (min-width: 90rem) {
          main { margin-right: 17rem; }
          .toc { position: fixed; top: 1rem; right: 1rem; width: 15rem; max-height: calc(100vh - 2rem); overflow-y: auto; margin: 0; border: 0; border-left: 1px solid var(--line); border-radius: 0; }
        }
        @media (max-width: 52rem) {
          body { display: block; } .sidebar { position: static; width: auto; height: auto; border-right: 0; border-bottom: 1px solid var(--line); padding: 0.6rem 0.8rem; }
          .sidebar .site-name { margin: 0 0 0.4rem; } .sidebar .search-box input { max-width: none; }
          .lesson-list { display: none; } .lesson-menu { display: block; margin-top: 0.5rem; }
          /* One panel to a row: 240 units shown at most 240 px, so its 12-unit text is a full figure's 12 px, not 17. */
          .subplot-panels { grid-template-columns: minmax(0, 1fr) !important; } .subplot-panels .plot svg { max-width: 15rem; }
          main { padding: 0.8rem; }
        }
        @media print {
          .sidebar, .pager, .toc, .skip-link, .heading-link, .search-box { display: none; } body { display: block; } main { max-width: none; margin: 0; padding: 0; }
          pre, pre code { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
          .scroll { overflow: visible; }
          h1, h2, h3, h4, .cell-label { break-after: avoid; } figure, table, .output-text { break-inside: avoid; }
          .math-block { overflow: visible; }
          .code-fold > pre { max-height: none !important; -webkit-mask-image: none !important; mask-image: none !important; } .code-fold > details, .copy-code { display: none; }
          .cell { break-inside: auto; } a { color: inherit; text-decoration: none; }
        }

        """
}
