// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Parallax",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "parallax", targets: ["parallax"]),
        .library(name: "ParallaxCore", targets: ["ParallaxCore"]),
        .library(name: "ParallaxUI", targets: ["ParallaxUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/pointfreeco/swift-tagged", from: "0.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "ParallaxCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Tagged", package: "swift-tagged"),
            ],
            resources: [
                .copy("Resources/seeds"), .copy("Resources/manifest.json"), .copy("Resources/gazetteer"),
                .copy("Resources/language"), .copy("Resources/ner"),
            ]
        ),
        .target(
            name: "ParallaxUI",
            dependencies: [
                "ParallaxCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "ParallaxTerminal",
            dependencies: ["ParallaxUI", "CNcursesw"]
        ),
        .executableTarget(
            name: "parallax",
            dependencies: [
                "ParallaxCore", "ParallaxUI", "ParallaxTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "parallax-bench",
            dependencies: ["ParallaxCore", "ParallaxUI", "ParallaxTerminal"]
        ),
        .executableTarget(
            name: "parallax-train-ner",
            dependencies: ["ParallaxCore"]
        ),
        .executableTarget(
            name: "parallax-annotate-stress",
            dependencies: ["ParallaxCore"]
        ),
        .target(
            name: "ParallaxTestSupport",
            dependencies: ["ParallaxUI"]
        ),
        .testTarget(
            name: "ParallaxCoreTests",
            dependencies: ["ParallaxCore", "parallax-annotate-stress", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ParallaxUITests",
            dependencies: [
                "ParallaxUI", "ParallaxTestSupport",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "ParallaxTerminalTests", dependencies: ["ParallaxTerminal", "CNcursesw", "ParallaxTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ParallaxTestSupport", "ParallaxCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
