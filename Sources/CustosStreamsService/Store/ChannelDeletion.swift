/// What closing a channel found.
enum ChannelDeletion: Sendable, Equatable {
    /// The channel is closed.
    case deleted
    /// The tenant has no such channel.
    case missing
    /// The channel has envelopes recorded but not on the ledger yet, so it stays until they are anchored.
    case pending
}
