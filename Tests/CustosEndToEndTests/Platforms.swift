import Testing

/// Every test that starts a whole platform runs inside this suite, one at a time: two cores cannot host
/// several platforms and still honour the restart deadlines the tests check.
///
/// A new suite that leaves its platform as it found it (tenants of its own aside) goes into `Platforms.Shared`
/// and uses `SharedPlatform.platform()`: it then costs no platform start. One that kills, stops, restarts or
/// rolls back part of a platform, or needs start arguments of its own, stays directly in here and starts its own
/// with `PlatformProcess.start()`.
@Suite("Platforms", .serialized)
enum Platforms {}
