import CustosCore
import CustosStore
import CustosStreams
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// SQL access for the streams worker; every statement names its tenant.
///
/// Every operation runs under a `DatabaseDeadline`, so an outage is a 503 and never a hang. Everything that adds
/// envelopes to a channel runs under the channel row's lock (``withChannel(_:_:_:)``), which orders a channel's
/// envelopes even with several workers on one database.
struct StreamsStore: Sendable {
    let custody: CustodyDatabase
    var client: PostgresClient { custody.client }
    var logger: Logger { custody.logger }
    var database: DatabaseDeadline { custody.database }
    /// Holds each tenant's streams data key, which seals the participant keys held in custody.
    var keyring: TenantKeyring { custody.keyring }

    init(
        client: PostgresClient, masterKey: MasterKey, logger: Logger,
        queryTimeout: Duration = DatabaseConfiguration.Options().queryTimeout
    ) {
        custody = CustodyDatabase(client: client, masterKey: masterKey, logger: logger, queryTimeout: queryTimeout)
    }

    /// Deletes everything of a deleted tenant in the streams schema and destroys its streams data key (participant
    /// keys); safe to repeat. Topics and subscriptions before their channels. Returns the rows deleted now.
    func erase(_ tenant: TenantID) async throws -> Int {
        try await custody.erase(
            tenant, schema: "streams",
            tables: ["anchors", "anchoring", "envelopes", "subscriptions", "topics", "channels"], component: .streams)
    }

    func migrate() async throws { try await custody.migrate(StreamsMigrations.set) }

    // MARK: Channels

    static let channelColumns = """
        channel_id, name, description, channel_type, hidden, visibility, author_did, peer_public_key, sealed_psk,
        created_at, latest_message, epoch, epoch_anchor, next_position, rekey_pending
        """

    private static let qualifiedChannelColumns = channelColumns.split(separator: ",")
        .map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    typealias ChannelColumns = (
        ByteBuffer, String?, String?, String, Bool, [String], String, String?, ByteBuffer?, Date, Date?, Int32,
        ByteBuffer, Int64, Bool
    )

    static func channel(_ tenant: TenantID, _ c: ChannelColumns, topics: [TopicRow]) throws -> ChannelRow {
        ChannelRow(
            tenant: tenant, channelID: try Digest32(bytes: c.0.bytes), name: c.1, description: c.2,
            type: ChannelType(name: c.3) ?? .private, hidden: c.4, visibility: c.5, author: c.6, peerPublicKey: c.7,
            sealedPSK: c.8?.bytes, created: c.9, latestMessage: c.10, topics: topics, epoch: UInt32(c.11),
            epochAnchor: try Digest32(bytes: c.12.bytes), nextPosition: c.13, rekeyPending: c.14)
    }

    private func topics(_ tenant: TenantID, _ ids: [Digest32], on connection: PostgresConnection) async throws
        -> [Digest32: [TopicRow]]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT channel_id, topic_type, topic_source FROM streams.topics
            WHERE tenant_id = \(tenant.rawValue) AND channel_id = ANY(\(ids.map { $0.bytes.byteBuffer }))
            ORDER BY channel_id, ordinal
            """, logger: logger)
        var topics: [Digest32: [TopicRow]] = [:]
        for try await (id, type, source) in rows.decode((ByteBuffer, String, String).self) {
            topics[try Digest32(bytes: id.bytes), default: []].append(TopicRow(type: type, source: source))
        }
        return topics
    }

    /// A channel of the tenant, or nil.
    func channel(_ tenant: TenantID, _ channelID: Digest32) async throws -> ChannelRow? {
        try await database.run {
            try await client.withConnection { connection in
                try await channel(tenant, channelID, on: connection)
            }
        }
    }

    private func channel(_ tenant: TenantID, _ channelID: Digest32, on connection: PostgresConnection) async throws
        -> ChannelRow?
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.channelColumns) FROM streams.channels
            WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
            """, logger: logger)
        var found: ChannelColumns?
        for try await columns in rows.decode(ChannelColumns.self) { found = columns }
        guard let found else { return nil }
        let topics = try await topics(tenant, [channelID], on: connection)
        return try Self.channel(tenant, found, topics: topics[channelID] ?? [])
    }

    /// How long a transaction may hold a channel's lock (signing and recording a batch; the ledger comes after the
    /// commit): long enough for a batch of 500 entries on a loaded machine, short enough that a database that went away mid-transaction gives a 503
    /// within seconds rather than holding the channel's writers.
    static let lockedTransactionTimeout: Duration = .seconds(5)

    /// Runs `body` in a transaction that holds the channel's row lock; a 404 when the tenant has no such channel.
    func withChannel<Value: Sendable>(
        _ tenant: TenantID, _ channelID: Digest32,
        _ body: @escaping @Sendable (PostgresConnection, ChannelRow) async throws -> Value
    ) async throws -> Value {
        try await database.run(timeout: Self.lockedTransactionTimeout) {
            try await client.transaction(logger: logger) { connection in
                var locked: ChannelRow?
                let statement = LockedChannelStatement(tenant: tenant, channelID: channelID)
                // The row is read to the end before the body runs its own statements on the connection.
                for try await columns in try await connection.execute(statement, logger: logger) {
                    // Writers under the lock never change topics; only channel info reads and updates them.
                    locked = try Self.channel(tenant, columns, topics: [])
                }
                guard let locked else {
                    throw RequestError(.notFound, "this tenant has no channel \(ChannelAddress(channelID: channelID))")
                }
                return try await body(connection, locked)
            }
        }
    }

    /// Inserts a new channel with its author's subscription and first envelopes; false when the name is taken.
    func insertChannel(
        _ row: ChannelRow, author: SubscriptionRow, envelopes: [EnvelopeRow]
    ) async throws -> Bool {
        do {
            try await database.run {
                try await client.transaction(logger: logger) { connection in
                    try await connection.query(
                        """
                        INSERT INTO streams.channels (tenant_id, channel_id, address, name, name_key, description,
                            channel_type, hidden, visibility, author_did, peer_public_key, sealed_psk, created_at,
                            latest_message, epoch, epoch_anchor, next_position)
                        VALUES (\(row.tenant.rawValue), \(row.channelID.bytes.byteBuffer), \(row.address.description),
                            \(row.name), \(row.name?.lowercased()), \(row.description), \(row.type.description),
                            \(row.hidden), \(row.visibility), \(row.author), \(row.peerPublicKey),
                            \(row.sealedPSK?.byteBuffer), \(row.created), \(row.latestMessage), \(Int32(row.epoch)),
                            \(row.epochAnchor.bytes.byteBuffer), \(row.nextPosition))
                        """, logger: logger)
                    try await replaceTopics(row.tenant, row.channelID, row.topics, on: connection)
                    try await insertSubscription(row.tenant, author, on: connection)
                    try await recordEnvelopes(row, envelopes, chains: [], on: connection)
                }
            }
            return true
        } catch  where UniqueViolation.matches(error, constraint: "channels_tenant_id_name_key_key") {
            return false
        }
    }

    func replaceTopics(
        _ tenant: TenantID, _ channelID: Digest32, _ topics: [TopicRow], on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            DELETE FROM streams.topics WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
            """, logger: logger)
        guard !topics.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO streams.topics (tenant_id, channel_id, ordinal, topic_type, topic_source)
            SELECT \(tenant.rawValue), \(channelID.bytes.byteBuffer), ordinality::integer, t, s
            FROM unnest(\(topics.map(\.type))::text[], \(topics.map(\.source))::text[]) WITH ORDINALITY AS u(t, s, ordinality)
            """, logger: logger)
    }

    /// Whether the tenant has a channel of this name, in any case.
    func nameTaken(_ tenant: TenantID, _ name: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT 1 FROM streams.channels WHERE tenant_id = \(tenant.rawValue) AND name_key = \(name.lowercased())
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    /// Sets what A4 may change: description, topics, hidden and the visibility list.
    func updateChannelInfo(_ row: ChannelRow) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                try await connection.query(
                    """
                    UPDATE streams.channels SET description = \(row.description), hidden = \(row.hidden),
                        visibility = \(row.visibility)
                    WHERE tenant_id = \(row.tenant.rawValue) AND channel_id = \(row.channelID.bytes.byteBuffer)
                    """, logger: logger)
                try await replaceTopics(row.tenant, row.channelID, row.topics, on: connection)
            }
        }
    }

    /// Closes a channel: its info, topics and subscriptions (with the keys held for them) go; its envelopes stay.
    /// A channel with envelopes not on the ledger yet stays too (``ChannelDeletion/pending``): once its row is gone
    /// no round would look for them.
    func deleteChannel(_ tenant: TenantID, _ channelID: Digest32) async throws -> ChannelDeletion {
        try await database.run {
            // A writer that holds the row commits first, and its envelopes then count as pending; an anchoring
            // prefix that moved since this statement's snapshot reads as pending too, never the other way.
            let rows = try await client.query(
                """
                DELETE FROM streams.channels c
                WHERE c.tenant_id = \(tenant.rawValue) AND c.channel_id = \(channelID.bytes.byteBuffer)
                    AND c.next_position <= COALESCE((SELECT a.next_position FROM streams.anchoring a
                        WHERE a.tenant_id = c.tenant_id AND a.channel_id = c.channel_id), 0)
                RETURNING 1
                """, logger: logger)
            for try await _ in rows { return .deleted }
            let left = try await client.query(
                """
                SELECT 1 FROM streams.channels
                WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                """, logger: logger)
            for try await _ in left { return .pending }
            return .missing
        }
    }

    /// Records that a channel grew: its next position, epoch and latest message time.
    func advance(_ row: ChannelRow, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE streams.channels SET next_position = \(row.nextPosition), epoch = \(Int32(row.epoch)),
                epoch_anchor = \(row.epochAnchor.bytes.byteBuffer), latest_message = \(row.latestMessage),
                rekey_pending = \(row.rekeyPending)
            WHERE tenant_id = \(row.tenant.rawValue) AND channel_id = \(row.channelID.bytes.byteBuffer)
            """, logger: logger)
    }

    /// Channel info matching a search (is-api.md A1): the author terms OR'ed, the channel terms OR'ed, the two
    /// groups AND'ed, then dates and `hidden`; hidden channels only for their author, visibility list and Admins.
    func search(_ tenant: TenantID, _ search: ChannelSearch) async throws -> [ChannelRow] {
        try await database.run {
            try await client.withConnection { connection in
                var bindings = PostgresBindings()
                func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
                    bindings.append(value)
                    return "$\(bindings.count)"
                }
                var conditions = ["c.tenant_id = \(bind(tenant.rawValue))"]
                var authorTerms: [String] = []
                if let author = search.authorID { authorTerms.append("c.author_did = \(bind(author))") }
                for (did, authorized) in [(search.subscriberID, true), (search.requestedSubscriptionID, false)] {
                    guard let did else { continue }
                    authorTerms.append(
                        """
                        EXISTS (SELECT 1 FROM streams.subscriptions s WHERE s.tenant_id = c.tenant_id
                            AND s.channel_id = c.channel_id AND s.kind = 'Subscriber'
                            AND s.subscriber_did = \(bind(did)) AND s.is_authorized = \(authorized))
                        """)
                }
                var channelTerms: [String] = []
                if let prefix = search.namePrefix {
                    channelTerms.append("c.name_key LIKE \(bind(Self.likePrefix(prefix.lowercased()))) ESCAPE '\\'")
                }
                for (column, value) in [("topic_type", search.topicType), ("topic_source", search.topicSource)] {
                    guard let value else { continue }
                    channelTerms.append(
                        """
                        EXISTS (SELECT 1 FROM streams.topics t WHERE t.tenant_id = c.tenant_id
                            AND t.channel_id = c.channel_id AND t.\(column) = \(bind(value)))
                        """)
                }
                for group in [authorTerms, channelTerms] where !group.isEmpty {
                    conditions.append("(" + group.joined(separator: " OR ") + ")")
                }
                if let from = search.createdFrom { conditions.append("c.created_at >= \(bind(from))") }
                if let from = search.latestMessageFrom { conditions.append("c.latest_message >= \(bind(from))") }
                if let hidden = search.hidden { conditions.append("c.hidden = \(bind(hidden))") }
                if !search.viewerIsAdmin {
                    let viewer = bind(search.viewer ?? "")
                    conditions.append("(NOT c.hidden OR c.author_did = \(viewer) OR \(viewer) = ANY(c.visibility))")
                }
                let order = search.ascending == false ? "DESC" : "ASC"
                let sql = """
                    SELECT \(Self.qualifiedChannelColumns) FROM streams.channels c WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY c.created_at \(order), c.channel_id LIMIT \(bind(Int64(search.limit)))
                    OFFSET \(bind(Int64(search.offset)))
                    """
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                var found: [ChannelColumns] = []
                for try await columns in rows.decode(ChannelColumns.self) { found.append(columns) }
                let ids = try found.map { try Digest32(bytes: $0.0.bytes) }
                let topics = try await topics(tenant, ids, on: connection)
                return try zip(found, ids).map { try Self.channel(tenant, $0, topics: topics[$1] ?? []) }
            }
        }
    }

    /// `text` as a LIKE pattern matching itself as a prefix.
    static func likePrefix(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }

    /// What the policies need about a request on a channel, in one statement: the channel's author, type, hidden
    /// flag and visibility list, and the subscriptions of `subscribers`. Nil when the tenant has no such channel.
    func policyFacts(_ tenant: TenantID, _ channelID: Digest32, subscribers: [String]) async throws
        -> (channel: ChannelPolicyFacts, subscriptions: [String: (rights: String, authorized: Bool)])?
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT c.author_did, c.channel_type, c.hidden, c.visibility, s.subscriber_did, s.access_rights,
                    s.is_authorized
                FROM streams.channels c LEFT JOIN streams.subscriptions s ON s.tenant_id = c.tenant_id
                    AND s.channel_id = c.channel_id AND s.subscriber_did = ANY(\(subscribers))
                WHERE c.tenant_id = \(tenant.rawValue) AND c.channel_id = \(channelID.bytes.byteBuffer)
                """, logger: logger)
            var channel: ChannelPolicyFacts?
            var subscriptions: [String: (rights: String, authorized: Bool)] = [:]
            for try await (author, type, hidden, visibility, did, rights, authorized) in rows.decode(
                (String, String, Bool, [String], String?, String?, Bool?).self)
            {
                channel = ChannelPolicyFacts(author: author, type: type, hidden: hidden, visibility: visibility)
                if let did, let rights, let authorized { subscriptions[did] = (rights, authorized) }
            }
            return channel.map { ($0, subscriptions) }
        }
    }

    // MARK: Subscriptions

    static let subscriptionColumns = """
        channel_id, subscriber_did, kind, access_rights, is_authorized, public_key, key_agreement_key, sealed_keys,
        sealed_psk, psk_id, subscribe_id, keyload_id, first_position, next_sequence, previous,
        created_at, last_modified
        """

    typealias SubscriptionColumns = (
        ByteBuffer, String, String, String, Bool, ByteBuffer, ByteBuffer?, ByteBuffer?, ByteBuffer?,
        ByteBuffer?, ByteBuffer?, ByteBuffer?, Int64?, Int64, ByteBuffer, Date, Date?
    )

    static func subscription(_ c: SubscriptionColumns) throws -> SubscriptionRow {
        SubscriptionRow(
            channelID: try Digest32(bytes: c.0.bytes), subscriber: c.1,
            kind: SubscriptionRow.Kind(rawValue: c.2)
                ?? .subscriber,
            rights: AccessRights(name: c.3) ?? .read, isAuthorized: c.4, publicKey: c.5.bytes,
            keyAgreementKey: c.6?.bytes, sealedKeys: c.7?.bytes, sealedPSK: c.8?.bytes, pskID: c.9?.bytes,
            subscribeID: try c.10.map { try Digest32(bytes: $0.bytes) },
            keyloadID: try c.11.map { try Digest32(bytes: $0.bytes) }, firstPosition: c.12,
            nextSequence: UInt64(c.13), previous: try Digest32(bytes: c.14.bytes), created: c.15, lastModified: c.16)
    }

    /// The subscriptions of a channel, in the order they were made.
    func subscriptions(_ tenant: TenantID, _ channelID: Digest32, on connection: PostgresConnection? = nil)
        async throws -> [SubscriptionRow]
    {
        let statement = ChannelSubscriptionsStatement(tenant: tenant, channelID: channelID)
        let read: @Sendable (PostgresConnection) async throws -> [SubscriptionRow] = { [logger] connection in
            var found: [SubscriptionRow] = []
            for try await columns in try await connection.execute(statement, logger: logger) {
                found.append(try Self.subscription(columns))
            }
            return found
        }
        if let connection { return try await read(connection) }
        return try await database.run { try await client.withConnection(read) }
    }

    /// One subscription, or nil.
    func subscription(_ tenant: TenantID, _ channelID: Digest32, subscriber: String) async throws -> SubscriptionRow? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.subscriptionColumns) FROM streams.subscriptions
                WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                    AND subscriber_did = \(subscriber)
                """, logger: logger)
            for try await columns in rows.decode(SubscriptionColumns.self) { return try Self.subscription(columns) }
            return nil
        }
    }

    func insertSubscription(_ tenant: TenantID, _ row: SubscriptionRow, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO streams.subscriptions (tenant_id, channel_id, subscriber_did, kind, access_rights, is_authorized,
                public_key, key_agreement_key, sealed_keys, sealed_psk, psk_id, subscribe_id, keyload_id,
                first_position, next_sequence, previous, created_at, last_modified)
            VALUES (\(tenant.rawValue), \(row.channelID.bytes.byteBuffer), \(row.subscriber), \(row.kind.rawValue),
                \(row.rights.description), \(row.isAuthorized), \(row.publicKey.byteBuffer),
                \(row.keyAgreementKey?.byteBuffer), \(row.sealedKeys?.byteBuffer), \(row.sealedPSK?.byteBuffer), \(row.pskID?.byteBuffer), \(row.subscribeID?.bytes.byteBuffer),
                \(row.keyloadID?.bytes.byteBuffer), \(row.firstPosition), \(Int64(row.nextSequence)),
                \(row.previous.bytes.byteBuffer), \(row.created), \(row.lastModified))
            """, logger: logger)
    }

    /// Writes what changes in a subscription: rights, authorization, keyload, reading start and chain.
    func updateSubscription(_ tenant: TenantID, _ row: SubscriptionRow, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            UPDATE streams.subscriptions SET access_rights = \(row.rights.description),
                is_authorized = \(row.isAuthorized), keyload_id = \(row.keyloadID?.bytes.byteBuffer),
                first_position = \(row.firstPosition), next_sequence = \(Int64(row.nextSequence)),
                previous = \(row.previous.bytes.byteBuffer), last_modified = \(row.lastModified)
            WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(row.channelID.bytes.byteBuffer)
                AND subscriber_did = \(row.subscriber)
            """, logger: logger)
    }

    func deleteSubscription(
        _ tenant: TenantID, _ channelID: Digest32, subscriber: String, on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            DELETE FROM streams.subscriptions
            WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                AND subscriber_did = \(subscriber)
            """, logger: logger)
    }

    // MARK: Envelopes

    /// Records envelopes in one statement: the envelopes, the channel's new position and epoch, and the
    /// publishers' new chain heads (`chains`: subscriber, next sequence number, previous envelope id; empty when the
    /// caller writes the subscriptions itself). One round trip instead of three, inside the transaction that holds
    /// the channel's lock or creates the channel.
    func recordEnvelopes(
        _ channel: ChannelRow, _ rows: [EnvelopeRow], chains: [(subscriber: String, next: UInt64, previous: Digest32)],
        on connection: PostgresConnection
    ) async throws {
        _ = try await connection.execute(
            EnvelopeRecordStatement(channel: channel, rows: rows, chains: chains), logger: logger)
    }

    private typealias EnvelopeColumns = (Int64, ByteBuffer?, Date, ByteBuffer)

    /// An envelope's message id, NULL while it is pending. A subquery per row, not a join: the planner cannot
    /// misjudge it into a scan of the channel's anchors for every envelope. Reads that want anchored envelopes only
    /// bound their positions by the channel's anchored prefix (`streams.anchoring`).
    private static let messageIDColumn = """
        (SELECT message_id FROM streams.anchors a WHERE a.tenant_id = e.tenant_id AND a.channel_id = e.channel_id
            AND a.position = e.position)
        """

    private static func envelope(_ c: EnvelopeColumns) throws -> EnvelopeRow {
        EnvelopeRow(
            position: c.0, messageID: try c.1.map { try Digest32(bytes: $0.bytes) }, written: c.2,
            envelope: try Envelope(bytes: c.3.bytes))
    }

    /// One envelope by id, anchored or not (a keyload counts for writers from the moment it is recorded).
    func envelope(_ tenant: TenantID, _ channelID: Digest32, id: Digest32) async throws -> EnvelopeRow? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT e.position, \(unescaped: Self.messageIDColumn), e.written_at, e.envelope FROM streams.envelopes e
                WHERE e.tenant_id = \(tenant.rawValue) AND e.channel_id = \(channelID.bytes.byteBuffer)
                    AND e.envelope_id = \(id.bytes.byteBuffer)
                """, logger: logger)
            for try await columns in rows.decode(EnvelopeColumns.self) { return try Self.envelope(columns) }
            return nil
        }
    }

    /// The keyloads of some epochs of a channel, by epoch number.
    func keyloads(_ tenant: TenantID, _ channelID: Digest32, epochs: Set<UInt32>) async throws -> [UInt32: Envelope] {
        guard !epochs.isEmpty else { return [:] }
        return try await database.run {
            let rows = try await client.query(
                """
                SELECT e.position, \(unescaped: Self.messageIDColumn), e.written_at, e.envelope FROM streams.envelopes e
                WHERE e.tenant_id = \(tenant.rawValue) AND e.channel_id = \(channelID.bytes.byteBuffer) AND e.kind = 2
                    AND e.epoch = ANY(\(epochs.map { Int32($0) })::integer[])
                """, logger: logger)
            var found: [UInt32: Envelope] = [:]
            for try await columns in rows.decode(EnvelopeColumns.self) {
                let row = try Self.envelope(columns)
                found[row.envelope.epoch] = row.envelope
            }
            return found
        }
    }

    /// A page of a channel's packets from `fromPosition` on, written within the dates, in ledger order; anchored
    /// ones only, which are all before any pending one (anchoring goes in position order).
    ///
    /// The dates become a range of positions first (written_at grows with position), so a page costs what it
    /// reads, however long the channel; message ids are looked up for the page's rows only, not for those it skips.
    func packets(
        _ tenant: TenantID, _ channelID: Digest32, fromPosition: Int64, start: Date?, end: Date?, ascending: Bool,
        limit: Int, offset: Int
    ) async throws -> [EnvelopeRow] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT e.position, \(unescaped: Self.messageIDColumn), e.written_at, e.envelope FROM (
                SELECT e.tenant_id, e.channel_id, e.position, e.written_at, e.envelope FROM streams.envelopes e
                WHERE e.tenant_id = \(tenant.rawValue) AND e.channel_id = \(channelID.bytes.byteBuffer)
                    AND e.kind IN (3, 4)
                    AND e.position >= GREATEST(\(fromPosition), COALESCE((SELECT position FROM streams.envelopes
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                            AND written_at >= \(start ?? .distantPast)
                        ORDER BY written_at, position LIMIT 1), 9223372036854775807))
                    AND e.position <= COALESCE((SELECT position FROM streams.envelopes
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer)
                            AND written_at <= \(end ?? .distantFuture)
                        ORDER BY written_at DESC, position DESC LIMIT 1), -1)
                    AND e.position < (SELECT next_position FROM streams.anchoring
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer))
                ORDER BY e.position \(unescaped: ascending ? "ASC" : "DESC") LIMIT \(Int64(limit))
                OFFSET \(Int64(offset))) e
                ORDER BY e.position \(unescaped: ascending ? "ASC" : "DESC")
                """, logger: logger)
            var found: [EnvelopeRow] = []
            for try await columns in rows.decode(EnvelopeColumns.self) { found.append(try Self.envelope(columns)) }
            return found
        }
    }

    /// Every anchored envelope of a channel from `position` on, at most `limit`, in ledger order (re-import,
    /// export).
    func envelopes(_ tenant: TenantID, _ channelID: Digest32, from position: Int64, limit: Int) async throws
        -> [EnvelopeRow]
    {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT e.position, \(unescaped: Self.messageIDColumn), e.written_at, e.envelope FROM streams.envelopes e
                WHERE e.tenant_id = \(tenant.rawValue) AND e.channel_id = \(channelID.bytes.byteBuffer)
                    AND e.position >= \(position) AND e.position < (SELECT next_position FROM streams.anchoring
                        WHERE tenant_id = \(tenant.rawValue) AND channel_id = \(channelID.bytes.byteBuffer))
                ORDER BY e.position LIMIT \(Int64(limit))
                """, logger: logger)
            var found: [EnvelopeRow] = []
            for try await columns in rows.decode(EnvelopeColumns.self) { found.append(try Self.envelope(columns)) }
            return found
        }
    }
}
