// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PromiseProgress",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PromiseProgress", targets: ["PromiseProgress"]),
        .executable(name: "promise-progress", targets: ["promise-progress"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "CSQLiteLimits", linkerSettings: [.linkedLibrary("sqlite3")]),
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "PromiseProgress",
            dependencies: [
                "CGLPK",
                "CZlib",
                "CCrypto",
                "CSQLiteLimits",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Each stream's set-based checks and derived tables, as SQL files beside its declaration.
            resources: [
                .embedInCode("Streams/ChildLevel/sql"),
                .embedInCode("Streams/Experiential/sql"),
                .embedInCode("Streams/Qualitative/sql"),
            ]
        ),
        .executableTarget(
            name: "promise-progress",
            dependencies: [
                "PromiseProgress",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PromiseProgressTests",
            dependencies: ["PromiseProgress"],
            // Read by path from the tests (see Fixtures/README.md and Corpus/cases.tsv), not bundled.
            exclude: ["Fixtures", "Corpus"]
        ),
    ]
)
