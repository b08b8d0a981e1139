/// How a heatmap colours its values.
public enum ColorScale: String, Sendable, Codable {
    /// Light to dark: weights and probabilities (0…max).
    case sequential
    /// Blue below 0, red above, white at 0: signed scores.
    case diverging
    /// No colour: a plain table.
    case none
    /// Viridis, dark purple to yellow: perceptually even and readable in grey, for image heatmaps.
    case viridis
}

/// A matrix with its labels, shown as a heatmap table.
public struct MatrixFigure: Sendable, Equatable, Codable {
    /// A title above the table.
    public var title: String?
    /// The full shape (the values may be a summary of a larger matrix).
    public var rows: Int, cols: Int
    /// The values, one array per row; when `summarized`, the first and last rows and columns only.
    public var values: [[Double]]
    /// One label per shown row (tokens), or nil for indices.
    public var rowLabels: [String]?
    /// One label per shown column, or nil for indices.
    public var colLabels: [String]?
    /// The colour scale.
    public var scale: ColorScale
    /// Entries the mask forbade (marked on the page), same layout as `values`.
    public var masked: [[Bool]]?
    /// Show each row's sum in an extra column.
    public var rowSums: Bool
    /// When the matrix was too large to keep whole: how many leading rows/columns are kept
    /// (the same number of trailing ones follow).
    public var summarized: Summary?
    /// Drawn as an image (one coloured pixel per entry, no numbers), with axis names: for matrices
    /// too large to read entry by entry (`heatmap(…)`).
    ///
    /// Nil in older recordings: a table.
    public var image: Bool?
    /// The names of the image's axes (along the columns, along the rows).
    public var xLabel: String?, yLabel: String?

    /// Where a summarised matrix was cut.
    public struct Summary: Sendable, Equatable, Codable {
        /// Rows kept at the top (and at the bottom).
        public var headRows: Int
        /// Columns kept at the left (and at the right).
        public var headCols: Int
        public init(headRows: Int, headCols: Int) {
            self.headRows = headRows
            self.headCols = headCols
        }
    }

    /// A matrix figure.
    public init(
        title: String? = nil, rows: Int, cols: Int, values: [[Double]], rowLabels: [String]? = nil,
        colLabels: [String]? = nil, scale: ColorScale = .sequential, masked: [[Bool]]? = nil,
        rowSums: Bool = false, summarized: Summary? = nil
    ) {
        self.title = title
        self.rows = rows
        self.cols = cols
        self.values = values
        self.rowLabels = rowLabels
        self.colLabels = colLabels
        self.scale = scale
        self.masked = masked
        self.rowSums = rowSums
        self.summarized = summarized
    }
}

/// Several matrices drawn side by side with one shared colour scale.
public struct GridFigure: Sendable, Equatable, Codable {
    /// A title above the grid.
    public var title: String?
    /// The panels, each with its own title.
    public var panels: [MatrixFigure]
    public init(title: String? = nil, panels: [MatrixFigure]) {
        self.title = title
        self.panels = panels
    }
}

/// One named series of points.
public struct Series: Sendable, Equatable, Codable {
    /// The legend entry.
    public var name: String
    /// The x coordinates.
    public var x: [Double]
    /// The y coordinates.
    public var y: [Double]
    /// Drawn dashed, as a reference curve.
    public var reference: Bool
    /// Drawn as markers only, with no line (a scatter plot); nil is a line.
    ///
    /// Optional so that recordings made before it still decode, and unchanged.
    public var markers: Bool?
    public init(name: String, x: [Double], y: [Double], reference: Bool = false, markers: Bool? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.reference = reference
        self.markers = markers
    }
}

/// A line plot.
public struct LinePlot: Sendable, Equatable, Codable {
    /// Title, axis labels.
    public var title: String, xLabel: String, yLabel: String
    /// Logarithmic axes.
    public var xLog: Bool, yLog: Bool
    /// The series, drawn in order.
    public var series: [Series]
    /// A line plot.
    public init(title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false, series: [Series])
    {
        (self.title, self.xLabel, self.yLabel, self.xLog, self.yLog, self.series) = (
            title, xLabel, yLabel, xLog, yLog, series
        )
    }
}

/// A histogram of one or more series over shared bins.
public struct Histogram: Sendable, Equatable, Codable {
    /// Title and x-axis label.
    public var title: String, xLabel: String
    /// The bin edges (one more than the counts).
    public var edges: [Double]
    /// Counts per bin, per series.
    public var series: [NamedValues]
    public init(title: String, xLabel: String, edges: [Double], series: [NamedValues]) {
        (self.title, self.xLabel, self.edges, self.series) = (title, xLabel, edges, series)
    }
}

/// A name and its numbers.
public struct NamedValues: Sendable, Equatable, Codable {
    /// The label of the series, point or row.
    public var name: String
    /// The numbers, in the order they are drawn.
    public var values: [Double]
    /// Named values.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// Grouped bars: one group per category, one bar per series.
public struct BarChart: Sendable, Equatable, Codable {
    /// Title and y-axis label.
    public var title: String, yLabel: String
    /// The categories along x.
    public var categories: [String]
    /// One value per category, per series.
    public var series: [NamedValues]
    /// A bar chart.
    public init(title: String, yLabel: String, categories: [String], series: [NamedValues]) {
        (self.title, self.yLabel, self.categories, self.series) = (title, yLabel, categories, series)
    }
}

/// A labelled 2-D arrow from the origin.
public struct Arrow: Sendable, Equatable, Codable {
    /// The label at the tip.
    public var label: String
    /// Where the arrow points, from the origin.
    public var x: Double, y: Double
    public init(label: String, x: Double, y: Double) {
        (self.label, self.x, self.y) = (label, x, y)
    }
}

/// Arrows in the plane, with an optional unit circle and the regions relative to the first arrow
/// (related: within 90°, opposed: beyond 90°) shaded.
public struct VectorPlot: Sendable, Equatable, Codable {
    /// The caption drawn above the figure.
    public var title: String
    /// The arrows; the first is the reference (the query).
    public var arrows: [Arrow]
    /// Draw the unit circle.
    public var unitCircle: Bool
    /// Shade the half-planes of positive and negative inner product with the first arrow.
    public var regions: Bool
    /// A vector plot.
    public init(title: String, arrows: [Arrow], unitCircle: Bool = true, regions: Bool = true) {
        (self.title, self.arrows, self.unitCircle, self.regions) = (title, arrows, unitCircle, regions)
    }
}

/// Labelled points on a line.
public struct NumberLine: Sendable, Equatable, Codable {
    /// The caption drawn above the figure.
    public var title: String
    /// Each point's label and position (its one value).
    public var points: [NamedValues]
    /// A number line; each point's `values` holds its one coordinate.
    public init(title: String, points: [NamedValues]) {
        self.title = title
        self.points = points
    }
}

/// One query's attention to each key, as arcs whose strength is the weight.
public struct ArcView: Sendable, Equatable, Codable {
    /// The caption drawn above the figure.
    public var title: String
    /// The tokens (keys), in order.
    public var tokens: [String]
    /// The index of the query among the tokens' positions (its row in the weights).
    public var query: Int
    /// The query's label.
    public var queryLabel: String
    /// The weight to each key.
    public var weights: [Double]
    /// Every query's weights, per head: `heads[h][i][j]` is head h, query i, key j.
    ///
    /// With them a reader can pick another query on the page; the figure drawn without script is
    /// `query`'s row of each head, and `weights` is head 0's row of `query`. Nil for one row only
    /// (and in older recordings).
    public var heads: [[[Double]]]?
    /// The most heads one view draws, each in its own colour.
    public static let maxHeads = 6
    /// An arc view.
    public init(
        title: String, tokens: [String], query: Int, queryLabel: String, weights: [Double],
        heads: [[[Double]]]? = nil
    ) {
        (self.title, self.tokens, self.query, self.queryLabel, self.weights, self.heads) = (
            title, tokens, query, queryLabel, weights, heads
        )
    }
}

/// Vectors drawn as rows of cells coloured by sign (q, k and q⊙k).
public struct VectorStrip: Sendable, Equatable, Codable {
    /// The caption drawn above the figure.
    public var title: String
    /// The vectors, one row of cells each, top to bottom.
    public var rows: [NamedValues]
    public init(title: String, rows: [NamedValues]) {
        self.title = title
        self.rows = rows
    }
}

/// Figures in a grid (subplots): any figure kinds, `columns` to a row, line plots optionally on
/// one shared y range.
public struct FigureGrid: Sendable, Equatable, Codable {
    /// A title above the grid.
    public var title: String?
    /// Panels per row.
    public var columns: Int
    /// Line plots and histograms share one y range.
    public var sharedY: Bool
    /// The panels, row after row.
    public var panels: [Output]
    /// A grid of figures.
    public init(title: String? = nil, columns: Int, sharedY: Bool = false, panels: [Output]) {
        (self.title, self.columns, self.sharedY, self.panels) = (title, columns, sharedY, panels)
    }
}
