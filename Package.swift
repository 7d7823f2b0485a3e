// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

// Generated code imports Foundation and OpenAPIRuntime publicly in every file, used or not; its warnings are the
// generator's, and silencing them keeps our own targets' build free of warnings.
let generated: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-suppress-warnings"])]

let package = Package(
    name: "Custos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "custos", targets: ["custos"]),
        .executable(name: "custosctl", targets: ["custosctl"]),
        .executable(name: "custos-operator", targets: ["custos-operator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // Already resolved through async-http-client; named here for the operator's cluster CA (TLSConfiguration).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CustosCrypto", dependencies: ["CSodium"], swiftSettings: strict),
        .target(name: "CustosCore", swiftSettings: strict),
        .target(
            name: "CustosStore",
            dependencies: [
                "CustosCore",
                "CustosCrypto",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Test support: a throwaway embedded PostgreSQL for the test targets that need one.
        .target(
            name: "CustosStoreTesting",
            dependencies: [
                "CustosStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(name: "CustosLedger", dependencies: ["CustosCore", "CustosCrypto"], swiftSettings: strict),
        // Channel protocol (docs/channels.md): envelopes, epochs, keyloads, packets, the reader; pure.
        .target(name: "CustosStreams", dependencies: ["CustosCore", "CustosCrypto"], swiftSettings: strict),
        .target(name: "CustosIdentity", dependencies: ["CustosCore", "CustosCrypto", "CZlib"], swiftSettings: strict),
        // Cedar-subset policies (Policies/): parser, validator and evaluator; pure.
        .target(name: "CustosPolicy", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(
            name: "CustosAuth",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Generated from docs/openapi/ledger-worker.yaml by `make openapi` (types and client; committed).
        .target(
            name: "CustosLedgerWorkerAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        // Generated from docs/openapi/control.json by `make openapi` (types and client; committed).
        .target(
            name: "CustosControlAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        // Generated from docs/openapi/control-internal.yaml by `make openapi` (types, client and server protocol;
        // committed).
        .target(
            name: "CustosControlInternalAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        // Generated from docs/openapi/tenant.json by `make openapi` (types and client; committed).
        .target(
            name: "CustosTenantAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        // Generated from docs/openapi/ssi-worker.yaml by `make openapi` (types and client; committed).
        .target(
            name: "CustosSSIWorkerAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        // Generated from docs/openapi/streams-worker.yaml by `make openapi` (types and client; committed).
        .target(
            name: "CustosStreamsWorkerAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: generated
        ),
        .target(
            name: "CustosClients",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosLedger", "CustosLedgerWorkerAPI", "CustosControlAPI",
                "CustosControlInternalAPI",
                "CustosTenantAPI", "CustosSSIWorkerAPI", "CustosStreamsWorkerAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CustosServer",
            dependencies: [
                "CustosCore", "CustosAuth", "CustosClients", "CustosPolicy",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CustosLedgerService",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosLedger", "CustosStore", "CustosAuth", "CustosServer",
                "CustosClients", "CustosLedgerWorkerAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        // The ssi worker: identities, DID documents, credentials, status lists and trust per tenant.
        .target(
            name: "CustosIdentityService",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosIdentity", "CustosLedger", "CustosStore", "CustosAuth",
                "CustosServer", "CustosClients", "CustosSSIWorkerAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            swiftSettings: strict
        ),
        // The streams worker: audit-trail channels, subscriptions and participant keys in custody per tenant.
        .target(
            name: "CustosStreamsService",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosStreams", "CustosLedger", "CustosStore", "CustosAuth",
                "CustosServer", "CustosClients", "CustosStreamsWorkerAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CustosControl",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosStore", "CustosAuth", "CustosServer", "CustosClients",
                "CustosControlAPI", "CustosControlInternalAPI", "CustosPolicy",
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CustosGateway",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosLedger", "CustosPolicy", "CustosStore", "CustosAuth",
                "CustosServer", "CustosClients",
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CustosPlatform",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosStore", "CustosAuth", "CustosServer", "CustosClients",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "custos",
            dependencies: [
                "CustosPlatform", "CustosControl", "CustosGateway", "CustosLedgerService", "CustosIdentityService",
                "CustosStreamsService", "CustosClients",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "custosctl",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosLedger", "CustosStreams", "CustosIdentity", "CustosPolicy",
                "CustosClients",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "custos-bench",
            dependencies: [
                "CustosCore", "CustosCrypto", "CustosLedger", "CustosPolicy", "CustosClients",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // A thin Kubernetes API client: get, list, watch, create, replace, merge patch, delete (Operators/README.md).
        .target(
            name: "CustosKubernetes",
            dependencies: [
                "CustosCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Test support: the kmock Kubernetes API emulator (Emulator/kmock_server.py) on loopback, for the operator's
        // emulator tests and the end-to-end test of custos-operator against custos up.
        .target(
            name: "CustosKubernetesTesting", dependencies: ["CustosKubernetes"], exclude: ["Emulator"],
            swiftSettings: strict),
        // The operator's pure part: CustosTenant, manifests, the reconciler, tenant sync, leader election.
        .target(
            name: "CustosOperator", dependencies: ["CustosCore"], path: "Operators/CustosOperator",
            swiftSettings: strict),
        // The operator's controllers: the pure decisions above carried out through CustosKubernetes.
        .target(
            name: "CustosOperatorControllers",
            dependencies: [
                "CustosOperator", "CustosKubernetes", "CustosCore", "CustosClients",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Operators/CustosOperatorControllers",
            swiftSettings: strict
        ),
        // Test support: Integration Services documents, keys and legacy signatures for the import tests.
        .target(name: "CustosIdentityTesting", dependencies: ["CustosCore", "CustosCrypto"], swiftSettings: strict),
        .executableTarget(
            name: "custos-operator",
            dependencies: [
                "CustosOperator", "CustosOperatorControllers", "CustosKubernetes", "CustosClients", "CustosCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Operators/custos-operator",
            swiftSettings: strict
        ),
        .testTarget(name: "CustosCryptoTests", dependencies: ["CustosCrypto", "CustosCore"], swiftSettings: strict),
        .testTarget(name: "CustosCoreTests", dependencies: ["CustosCore"], swiftSettings: strict),
        .testTarget(
            name: "CustosStoreTests", dependencies: ["CustosStore", "CustosStoreTesting"], swiftSettings: strict),
        .testTarget(name: "CustosLedgerTests", dependencies: ["CustosLedger"], swiftSettings: strict),
        .testTarget(
            name: "CustosStreamsTests", dependencies: ["CustosStreams", "CustosCore", "CustosCrypto"],
            exclude: ["Interop"], swiftSettings: strict),
        .testTarget(
            name: "CustosPolicyTests", dependencies: ["CustosPolicy"], exclude: ["Interop"], swiftSettings: strict),
        .testTarget(
            name: "CustosLedgerServiceTests",
            dependencies: [
                "CustosLedgerService", "CustosServer", "CustosAuth", "CustosLedgerWorkerAPI", "CustosStoreTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CustosIdentityServiceTests",
            dependencies: [
                "CustosIdentityService", "CustosIdentity", "CustosServer", "CustosStore", "CustosStoreTesting",
                "CustosCore", "CustosCrypto",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CustosStreamsServiceTests",
            dependencies: [
                "CustosStreamsService", "CustosStreams", "CustosStore", "CustosStoreTesting", "CustosCore",
                "CustosCrypto",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CustosControlTests",
            dependencies: [
                "CustosControl", "CustosClients", "CustosAuth", "CustosPolicy", "CustosServer", "CustosStore",
                "CustosStoreTesting", .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "CustosGatewayTests",
            dependencies: [
                "CustosGateway", "CustosServer", "CustosClients", "CustosLedger", "CustosPolicy", "CustosAuth",
                "CustosStore", "CustosCrypto", .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "CustosPlatformTests", dependencies: ["CustosPlatform", "CustosClients", "CustosLedger"],
            swiftSettings: strict),
        .testTarget(
            name: "CustosIdentityTests", dependencies: ["CustosIdentity", "CustosIdentityTesting"],
            exclude: ["Interop"],
            swiftSettings: strict),
        .testTarget(
            name: "CustosServerTests",
            dependencies: [
                "CustosServer", "CustosClients", "CustosAuth", "CustosCore", "CustosCrypto",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CustosOperatorTests",
            dependencies: [
                "CustosOperator", "CustosOperatorControllers", "CustosKubernetes", "CustosKubernetesTesting",
                "CustosCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CustosEndToEndTests",
            dependencies: [
                "CustosLedger",
                "CustosIdentity", "CustosIdentityTesting",
                // Only to enumerate each process's routes from its router; requests go to the real processes.
                "CustosServer", "CustosClients", "CustosAuth", "CustosStore", "CustosCrypto", "CustosControl",
                "CustosGateway", "CustosLedgerService", "CustosIdentityService", "CustosStreamsService",
                // The generated tenant client checks that answers have the documented shapes.
                "CustosTenantAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Two ledger workers on one temporary database, and that database's epochs read back.
                "CustosStoreTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The real custos-operator against custos up and the kmock emulator, read through the real client.
                "CustosCore", "CustosKubernetes", "CustosKubernetesTesting",
            ],
            swiftSettings: strict
        ),
    ]
)
