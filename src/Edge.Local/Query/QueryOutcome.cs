using System.Buffers;

namespace Edge.Local.Query;

/// <summary>
/// What to send back for one request: <see cref="Reply"/> to <see cref="ReplyTopic"/>, or nothing when the request
/// named no usable reply topic (<see cref="Problem"/> says why; the broker refuses the PUBLISH with it).
/// </summary>
public sealed record QueryOutcome(string? ReplyTopic, ReadOnlySequence<byte>? Reply, string? Problem);
