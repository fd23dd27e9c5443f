namespace Edge.Log;

/// <summary>A topic name that was never created.</summary>
public sealed class UnknownTopicException : LogException
{
    public UnknownTopicException(string topic, IEnumerable<string> known)
        : base($"unknown topic '{topic}'; known topics: {string.Join(", ", known.DefaultIfEmpty("(none)"))}")
        => Topic = topic;

    public string Topic { get; }
}
