import CustosCore

/// The body a route's policy facts already parsed strictly, for the handler after them: a body is parsed once
/// per request, not once for the policies and again for the handler.
public enum RequestBodyScope {
    /// The parsed body of the request the current task serves, if its facts read it.
    @TaskLocal public static var json: JSONValue?
}
