/// The `time` of a tenant API request's context (Policies/schema.cedarschema `RequestTime`), in UTC.
public enum RequestTime {
    /// `{unix, hour, weekday}` of `unixSeconds`: hour 0-23, weekday 1 (Monday) to 7 (Sunday).
    public static func value(unixSeconds: Int) -> Value {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = unixSeconds - days * 86_400
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let weekday = ((days % 7) + 7 + 3) % 7 + 1
        return .record([
            "unix": .long(Int64(unixSeconds)), "hour": .long(Int64(secondOfDay / 3600)),
            "weekday": .long(Int64(weekday)),
        ])
    }
}
