using System.Diagnostics;

namespace Edge.Benchmarks;

/// <summary>
/// The gateway a footprint benchmark starts: the Release build beside the benchmark (<c>dotnet edge-gateway.dll</c>,
/// the JIT, as <c>dotnet run</c> runs it), or with <c>--published DIR</c> the program <c>dotnet publish gateway -c
/// Release -r RID --self-contained -o DIR</c> made: Native AOT, what deploy/ installs on a device.
/// </summary>
internal static class GatewayProgram
{
    public static ProcessStartInfo StartInfo(BenchOptions opt)
    {
        if (opt.Published is not { } published)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll");
            if (!File.Exists(dll)) throw new ArgumentException($"{dll} is missing: build with dotnet build -c Release tests/Edge.Benchmarks");
            return new ProcessStartInfo("dotnet") { ArgumentList = { dll }, UseShellExecute = false };
        }
        string exe = Path.Combine(published, "edge-gateway");
        if (!File.Exists(exe)) throw new ArgumentException($"--published: {exe} is missing: dotnet publish gateway -c Release -r linux-x64 --self-contained -o {published}");
        return new ProcessStartInfo(exe) { UseShellExecute = false };
    }

    /// <summary>The configuration the started gateway reads (its sensors).</summary>
    public static string AppSettings(BenchOptions opt) => Path.Combine(opt.Published ?? AppContext.BaseDirectory, "appsettings.json");

    /// <summary>What the rows' notes say was measured.</summary>
    public static string Describe(BenchOptions opt) => opt.Published is null ? "JIT build (edge-gateway.dll)" : "published Native AOT program";
}
