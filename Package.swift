// swift-tools-version:6.2
import PackageDescription

#if arch(x86_64)
// AVX2 + FMA for our own Swift kernels (without them SIMD FMA is a libcall per lane); OpenBLAS picks its own
// kernels at run time. Release only: debug builds keep the default target.
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"], .when(configuration: .release))]
#else
let kernelFlags: [SwiftSetting] = []
#endif

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Glassbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "glassbox", targets: ["glassbox"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "JSON", swiftSettings: strict),
        .target(name: "Hashing", swiftSettings: strict),
        .target(name: "Figures", swiftSettings: strict),
        .target(name: "Tensors", dependencies: ["CBLAS"], swiftSettings: strict + kernelFlags),
        .target(name: "ModelFormats", dependencies: ["Tensors", "JSON"], swiftSettings: strict),
        .target(name: "Tokenizers", dependencies: ["JSON", "ModelFormats"], swiftSettings: strict),
        .target(
            name: "Transformer", dependencies: ["Tensors", "ModelFormats", "Tokenizers"],
            swiftSettings: strict + kernelFlags),
        .target(name: "Analysis", dependencies: ["Transformer", "Tensors"], swiftSettings: strict + kernelFlags),
        .target(name: "Benchmarks", dependencies: ["Analysis", "Transformer", "Tensors"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "ModelCatalog", dependencies: ["JSON", "ModelFormats", "Hashing"], swiftSettings: strict),
        .target(name: "HTTP", dependencies: ["JSON"], swiftSettings: strict),
        .target(
            name: "Reports", dependencies: ["Analysis", "Transformer", "Tokenizers", "JSON"],
            swiftSettings: strict),
        .target(
            name: "GlassboxServer",
            dependencies: [
                "HTTP", "JSON", "Hashing", "Analysis", "Reports", "Transformer", "Tokenizers",
                "ModelCatalog", "ModelFormats", "Store", "Tensors", "Figures"
            ],
            resources: [.embedInCode("Resources/openapi.json")],
            swiftSettings: strict),
        .executableTarget(
            name: "glassbox",
            dependencies: [
                "GlassboxServer", "HTTP", "Store", "Analysis", "Transformer", "Tokenizers", "ModelFormats", "Tensors",
                "Benchmarks", "ModelCatalog", "Reports", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            swiftSettings: strict),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"], swiftSettings: strict),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ModelFormatsTests", dependencies: ["ModelFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TokenizersTests", dependencies: ["Tokenizers", "JSON", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TransformerTests", dependencies: ["Transformer", "ModelFormats", "Tokenizers", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "AnalysisTests", dependencies: ["Analysis", "Transformer", "Tokenizers", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Analysis", "Transformer", "Tokenizers", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GlassboxServerTests",
            dependencies: [
                "GlassboxServer", "HTTP", "Store", "Analysis", "Transformer", "Reports", "Tokenizers",
                "TestSupport"
            ],
            swiftSettings: strict),
        .testTarget(name: "GlassboxCLITests", dependencies: ["TestSupport", "Hashing"], swiftSettings: strict)
    ]
)
