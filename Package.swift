// swift-tools-version: 6.1
import PackageDescription

/// Flags that make the math fast even in a debug build: notebook programs link the kernel as it
/// was built, and `make test` builds debug.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

/// The core's flags. On x86-64 its loops (softmax's exp above all) are vectorised for AVX2, the
/// Haswell level that notebook programs already require of OpenBLAS (`OPENBLAS_CORETYPE=Haswell`):
/// 1.5× faster, and the same bits, since Swift never contracts a·b + c into an FMA.
#if arch(x86_64)
let core: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "haswell"])]
#else
let core: [SwiftSetting] = optimized
#endif

let package = Package(
    name: "notebook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "notebook", targets: ["notebook"]),
        // Linked into every generated notebook program; found next to the `notebook` binary.
        .library(name: "NotebookKernel", type: .dynamic, targets: ["NotebookKernel"]),
        .executable(name: "core-bench", targets: ["CoreBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1"),
        // `notebook serve`; without its default traits, so swift-configuration is not built.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // OpenBLAS is bound at run time through `dlsym` (see BLAS.swift), so that notebook
        // programs that import the kernel need no C module map.
        .target(
            name: "TransformerCore", exclude: ["README.md"], swiftSettings: core,
            linkerSettings: [.linkedLibrary("openblas")]),
        .target(name: "NotebookModel"),
        .target(name: "NotebookKernel", dependencies: ["TransformerCore", "NotebookModel"]),
        .target(
            name: "NotebookMarkdown",
            dependencies: [
                "NotebookModel", "CCmarkGFM", .product(name: "Yams", package: "Yams"),
            ], swiftSettings: optimized),
        .target(
            name: "NotebookRunner",
            dependencies: [
                "NotebookModel",
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftIDEUtils", package: "swift-syntax"),
            ], swiftSettings: optimized),
        .target(
            name: "NotebookSite", dependencies: ["NotebookModel"],
            resources: [.copy("Resources/latinmodern-math.woff2"), .copy("Resources/GUST-FONT-LICENSE.txt")],
            swiftSettings: optimized),
        .target(
            name: "NotebookServer",
            dependencies: [
                "NotebookModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "NotebookCLI",
            dependencies: [
                "NotebookModel", "NotebookMarkdown", "NotebookRunner", "NotebookSite", "NotebookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "notebook", dependencies: ["NotebookCLI"]),
        .executableTarget(
            name: "NotebookFuzz",
            dependencies: ["NotebookMarkdown", "NotebookModel", "NotebookSite", "TransformerCore"]),
        .executableTarget(
            name: "CoreBench", dependencies: ["TransformerCore"], path: "Benchmarks/CoreBench",
            swiftSettings: optimized),
        .testTarget(name: "TransformerCoreTests", dependencies: ["TransformerCore"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookModelTests", dependencies: ["NotebookModel"]),
        .testTarget(name: "NotebookMarkdownTests", dependencies: ["NotebookMarkdown"], exclude: ["Fixtures"]),
        .testTarget(
            name: "NotebookRunnerTests", dependencies: ["NotebookRunner", "NotebookMarkdown"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookSiteTests", dependencies: ["NotebookSite"], exclude: ["Snapshots"]),
        .testTarget(name: "NotebookServerTests", dependencies: ["NotebookServer"]),
        .testTarget(name: "NotebookCLITests"),
    ],
    swiftLanguageModes: [.v6]
)
