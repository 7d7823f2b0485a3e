// swift-tools-version: 6.2
// Builds the pinned swift-openapi-generator CLI for `make openapi`; kept out of the main package so a normal build
// never compiles the generator (it is built once into .build-openapi, about two minutes).
import PackageDescription

let package = Package(
    name: "openapi-generator-tool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")
    ],
    targets: []
)
