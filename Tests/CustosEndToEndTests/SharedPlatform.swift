import Foundation
import Synchronization
import Testing

/// One `custos up` for every test of the suite this trait is applied to, so that a suite costs one platform start
/// (initdb, PostgreSQL and five processes) however many tests it holds.
///
/// How it works: a non-recursive `SuiteTrait` that is also `TestScoping`. Swift Testing calls `provideScope` once
/// for the suite, with `function` running every selected test of it (and of its nested suites); the platform is
/// started before `function` and bound to the task-local `current`, which the tests' tasks inherit because they
/// are child tasks of `function`. When `function` returns (or throws), the platform is stopped with SIGTERM and
/// checked: a clean exit, no supervised process left behind, and none of the secrets the tests were handed (API
/// keys of `TenantFixture`s and any the tests noted, the admin and service tokens) anywhere in its log. Issues
/// recorded there belong to the suite, so they fail the run like any test's. After a clean stop with no issue in
/// the suite the platform's directory is removed (see `PlatformProcess`); otherwise it is kept, with `up.log`,
/// and its path printed. If no test of the suite is selected (a `--filter` elsewhere), Swift Testing does not run
/// the suite and nothing is started.
///
/// This is preferred to a lazily started static instance, which Swift Testing has no hook to stop at the end of
/// a suite (a process left running would outlive the test run), and to a recursive trait, which would start one
/// platform per test.
///
/// The tests of such a suite must not depend on one another: each creates its tenants with
/// `TenantFixture.uniqueID(_:)`, keeps its files in its own directory, and never assumes how many tenants exist.
/// Tests that destroy or reconfigure a platform (kill -9 of a process or PostgreSQL, a database rollback, a
/// restart, start arguments such as `--max-tenants` or short timeouts) start their own with
/// `PlatformProcess.start()` and stay outside such suites.
struct SharedPlatform: SuiteTrait, TestScoping {
    /// The platform of the innermost enclosing suite that has this trait.
    @TaskLocal static var current: PlatformProcess?

    /// The shared platform, for a test in a suite that has the trait.
    static func platform() throws -> PlatformProcess {
        guard let current else { throw E2EError("no shared platform: the suite needs the .sharedPlatform trait") }
        return current
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let platform = try await PlatformProcess.start()
        // Issues of the suite's tests pass through here unchanged; one that fails a test keeps the
        // platform's directory (and `up.log`) for a look, as a test's own platform is kept when it fails.
        let failed = Mutex(false)
        let watch = IssueHandlingTrait.compactMapIssues { issue in
            if issue.isFailure { failed.withLock { $0 = true } }
            return issue
        }
        let outcome: Result<Void, any Error>
        do {
            try await watch.provideScope(for: test, testCase: testCase) {
                try await Self.$current.withValue(platform) { try await function() }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        let status = try await platform.stop()
        let place = "(platform directory \(platform.baseDirectory.path))"
        #expect(status == 0, "the shared custos up should exit cleanly on SIGTERM \(place)")
        let orphans = platform.childPIDs(matching: "custos") + platform.supervisedPIDs()
        #expect(orphans.isEmpty, "no child may outlive the shared custos up: \(orphans) \(place)")
        let log = platform.log
        let secrets = platform.notedSecrets + [platform.adminToken, platform.serviceToken]
        let leaked = secrets.filter { !$0.isEmpty && log.contains($0) }.count
        #expect(leaked == 0, "\(leaked) of \(secrets.count) secrets appeared in the shared platform's log \(place)")
        if failed.withLock({ $0 }) || status != 0 || !orphans.isEmpty || leaked > 0 || (try? outcome.get()) == nil {
            platform.keepDirectory()
            print("shared platform of \"\(test.displayName ?? test.name)\" kept at \(platform.baseDirectory.path)")
        }
        try outcome.get()
    }
}

extension Trait where Self == SharedPlatform {
    /// One platform shared by the tests of this suite; see `SharedPlatform`.
    static var sharedPlatform: Self { Self() }
}

extension Platforms {
    /// The end-to-end suites that leave their platform as they found it (apart from tenants of their own), nested
    /// here to share one platform: adding such a suite adds no platform start.
    @Suite("Shared platform", .sharedPlatform)
    enum Shared {}
}
