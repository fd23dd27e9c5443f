using Edge.FirmwareSim.Scenarios;

namespace Edge.FirmwareSim.Cli;

/// <summary>What <c>firmware-sim run</c> plays: the parsed command line of <see cref="RunCommand"/>.</summary>
public sealed record RunOptions(Scenario Scenario)
{
    public int Seed { get; init; } = 42;

    /// <summary>Virtual seconds per real second.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Virtual time to play; null for the scenario's suggested duration.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>One JSON reading per line (READINGS.md) instead of a table.</summary>
    public bool Json { get; init; }
}
