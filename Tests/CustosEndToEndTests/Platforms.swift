import Testing

/// Every test that starts a whole platform runs inside this suite, one at a time: two cores cannot host
/// several platforms and still honour the restart deadlines the tests check.
@Suite("Platforms", .serialized)
enum Platforms {}
