using System.Text.Json.Nodes;

namespace Edge.Gateway.Cli;

/// <summary>The parsed command line of <see cref="QueryCommand"/>: the request JSON and where to send it.</summary>
public sealed class QueryArgs
{
    public required JsonObject Request { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public string Gateway { get; init; } = "edge-dev";

    public string? Username { get; init; }

    public string? Password { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool Json { get; init; }

    public bool All { get; init; }
}
