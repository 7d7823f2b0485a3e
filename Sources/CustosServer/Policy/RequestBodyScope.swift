import CustosCore

/// What a route's policy facts already found out, for the handler after them: a body is parsed once per request,
/// and a role looked up once, not once for the policies and again for the handler.
public enum RequestBodyScope {
    /// The parsed body of the request the current task serves, if its facts read it.
    @TaskLocal public static var json: JSONValue?
    /// The current role of the request's identity, if its facts looked it up.
    @TaskLocal public static var role: String?
}
