namespace Edge.Benchmarks;

/// <summary>
/// The runtime environment the systemd unit gives the gateway (deploy/systemd/edge-gateway.service, copied beside the
/// benchmarks): its <c>Environment=DOTNET_*</c> lines, e.g. the GC's gen-0 budget, which has no runtimeconfig.json
/// name. Benchmarks that run the gateway as a child process apply them, so their figures are the deployed gateway's;
/// <c>--env</c> overrides any of them (<c>--env DOTNET_GCgen0size=0</c> is the runtime's default).
/// </summary>
internal static class DeployedEnvironment
{
    public static IReadOnlyDictionary<string, string> Read()
    {
        string unit = Path.Combine(AppContext.BaseDirectory, "edge-gateway.service");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(unit))
        {
            // systemd.exec(5): Environment=KEY=VALUE (one assignment per line in our unit, no quoting).
            if (!line.StartsWith("Environment=DOTNET_", StringComparison.Ordinal)) continue;
            string assignment = line["Environment=".Length..];
            int eq = assignment.IndexOf('=');
            if (eq > 0 && !assignment.StartsWith("DOTNET_ENVIRONMENT=", StringComparison.Ordinal)) result[assignment[..eq]] = assignment[(eq + 1)..];
        }
        return result;
    }

    /// <summary>The unit's runtime environment, then <paramref name="overrides"/> (the benchmark's --env) over it.</summary>
    public static void Apply(System.Diagnostics.ProcessStartInfo start, IReadOnlyDictionary<string, string> overrides)
    {
        foreach (var (k, v) in Read()) start.Environment[k] = v;
        foreach (var (k, v) in overrides) start.Environment[k] = v;
    }
}
