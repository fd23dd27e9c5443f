namespace Edge.Local.Query;

/// <summary>A request the gateway refuses, with its documented <see cref="QueryErrorCode"/>.</summary>
public sealed class QueryException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
