namespace Edge.Log;

/// <summary>A record header: a UTF-8 name and an optional byte value.</summary>
public sealed record RecordHeader(string Key, ReadOnlyMemory<byte>? Value);
