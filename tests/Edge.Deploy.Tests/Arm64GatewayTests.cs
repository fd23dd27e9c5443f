using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Edge.Deploy.Tests.TestKit;
using Edge.Readings;

namespace Edge.Deploy.Tests;

/// <summary>
/// The release the .deb ships for a 64-bit Raspberry Pi — `dotnet publish -r linux-arm64 --self-contained` — run
/// for real on arm64 (under qemu-user, <see cref="EmulatedArm64Gateway"/>), used with the stock Mosquitto clients:
/// the architecture-specific paths (libc calls, open flags, struct layouts) run as they will on the Pi.
/// </summary>
[Collection(PublishedGatewayCollection.Name)] // after the host publish, not beside it: both load both cores
public class Arm64GatewayTests(EmulatedArm64Gateway arm64) : IClassFixture<EmulatedArm64Gateway>
{
    // Emulated: starting takes ~10 s on an idle machine, several times that beside other tests.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private const string Ingested = "node-arm64";

    [Fact]
    public void The_published_program_is_a_native_arm64_executable()
    {
        string file = Tool.Require("file", "file");
        Assert.Contains("ELF 64-bit LSB pie executable, ARM aarch64", Tool.Run(file, "-b", arm64.Executable).Succeeded().Output);
        // Native AOT: the program is the whole runtime and the code, compiled ahead for arm64; no JIT, no IL ships.
        Assert.False(File.Exists(Path.Combine(arm64.Location, "libcoreclr.so")), "a JIT runtime was published beside the program");
        Assert.Empty(Directory.GetFiles(arm64.Location, "*.dll"));
        Assert.Contains("ARM aarch64", Tool.Run(file, "-b", Path.Combine(arm64.Location, "libSystem.IO.Ports.Native.so")).Succeeded().Output);
    }

    [Fact]
    public async Task Rolls_segments_answers_queries_stops_on_SIGTERM_and_keeps_every_reading_across_a_restart()
    {
        Tool.Require("mosquitto_rr", "mosquitto-clients");
        using var dir = new TempDir();
        string logDir = dir["log"];
        // 4 KiB segments (the smallest allowed) so a hundred readings roll several: segment creation, the directory
        // fsync after it and recovery of sealed segments all run, not only one active segment.
        string[] args = [$"--Log:Directory={logDir}", "--Gateway:StatusInterval=00:00:01",
            .. new[] { "environment", "health", "traffic" }.Select(t => $"--Log:Topics:{t}:SegmentBytes=4096")];

        var sent = Enumerable.Range(0, 100).Select(i => new Reading(Ingested, ReadingKinds.Environment, DateTimeOffset.UtcNow.AddSeconds(i - 100),
            [new ReadingValue("temperature", 20 + i / 10.0, "Cel"), new ReadingValue("humidity", 40 + i / 10.0, "%"), new ReadingValue("pressure", 1013 + i, "hPa")],
            ReadingQuality.Ok, i)).ToList();
        JsonArray healthBefore;
        int port = FreePort.Get();
        using (var gateway = await StartAsync(args, port))
        {
            // The simulated sensors' readings reach the log on arm64 (the status line counts what is stored).
            await gateway.WaitForLine(l => Regex.Match(l, @" stored .*health=(\d+)") is { Success: true } m && int.Parse(m.Groups[1].Value) >= 5, Timeout);

            // Ingest over MQTT with mosquitto_pub: QoS 1, one reading per line; it exits once every PUBACK is in, and
            // the gateway sends a PUBACK only once the reading is durable (QUERY.md).
            string lines = dir["readings.jsonl"];
            File.WriteAllLines(lines, sent.Select(ReadingJsonCodec.Encode));
            var pub = Tool.Run("bash", ["-c", $"mosquitto_pub -V 5 -h 127.0.0.1 -p {port} -q 1 -t edge/edge-dev/ingest/{Ingested} -l < '{lines}'"], Timeout);
            Assert.True(pub.ExitCode == 0 && pub.Output.Trim().Length == 0, $"mosquitto_pub: {pub.ExitCode} {pub.Output}");

            Assert.Equal(sent, Latest(port, Ingested, sent.Count));
            string partition = Path.Combine(logDir, "topics", "environment", "0");
            int segments = Directory.GetFiles(partition, "*.log").Length;
            Assert.True(segments > 1, $"{segments} segment in {partition}: {string.Join(", ", Directory.GetFiles(partition))}");

            healthBefore = Query(port, """{"op":"latest","sensor":"spo2-bed1","n":5}""")["readings"]!.AsArray();
            Assert.Equal(5, healthBefore.Count);

            gateway.Terminate();
            Assert.Equal(0, await gateway.WaitForExit(Timeout));
        }

        // A new port: the old one may still have connections in TIME_WAIT.
        port = FreePort.Get();
        using (var restarted = await StartAsync(args, port))
        {
            Assert.Equal(sent, Latest(port, Ingested, sent.Count));
            // The sensor readings of the first run are where they were (same partition, offset and content).
            string from = healthBefore[0]!["reading"]!["ts"]!.GetValue<string>(), to = healthBefore[^1]!["reading"]!["ts"]!.GetValue<string>();
            var healthAfter = Query(port, $$"""{"op":"range","sensor":"spo2-bed1","from":"{{from}}","to":"{{to}}"}""")["readings"]!.AsArray();
            Assert.Equal(healthBefore.ToJsonString(), healthAfter.ToJsonString());
        }
    }

    [Fact]
    public async Task The_start_up_check_names_the_group_of_a_bus_the_service_user_may_not_open()
    {
        // The same check as StartupCheckTests', run as arm64 code: open(2) with the flags OpenFlags picks for arm64
        // (the buses nobody may open succeed, so the flags are valid there) and statx(2)'s stx_gid (the group named).
        Tool.Require("setpriv", "util-linux");
        using var dir = Nobody.OpenDir();
        string dev = dir["dev"];
        Directory.CreateDirectory(dev);
        foreach (string node in new[] { "i2c-1", "i2c-3", "gpiochip0" }) File.WriteAllText(Path.Combine(dev, node), "");
        File.SetUnixFileMode(Path.Combine(dev, "i2c-3"), (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(Path.Combine(dev, "gpiochip0"), (UnixFileMode)0b110_110_110);
        Tool.Run("chown", $"0:{Nobody.GroupId("dialout")}", Path.Combine(dev, "i2c-1")).Succeeded();
        File.SetUnixFileMode(Path.Combine(dev, "i2c-1"), (UnixFileMode)0b110_110_000);
        string logDir = dir["log"];
        Directory.CreateDirectory(logDir);
        Tool.Run("chown", "65534", logDir).Succeeded();

        using var gateway = arm64.Start([$"--Log:Directory={logDir}", "--Hardware:Mode=real", $"--Hardware:DeviceDirectory={dev}", $"--Broker:Port={FreePort.Get()}"],
            Nobody.Home(dir), Nobody.SetprivOptions);
        Assert.Equal(3, await gateway.WaitForExit(Timeout));
        Assert.Contains($"cannot open {dev}/i2c-1: permission denied — the service user (nobody) is not in group dialout", gateway.Output);
        Assert.DoesNotContain($"cannot open {dev}/i2c-3", gateway.Output);
        Assert.DoesNotContain($"cannot open {dev}/gpiochip0", gateway.Output);
    }

    private async Task<GatewayChild> StartAsync(string[] args, int port)
    {
        var gateway = arm64.Start([.. args, $"--Broker:Port={port}"], new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "simple" });
        try
        {
            await gateway.WaitForLine(l => l.Contains("local broker listening", StringComparison.Ordinal), Timeout);
        }
        catch
        {
            gateway.Dispose();
            throw;
        }
        return gateway;
    }

    private static List<Reading> Latest(int port, string sensor, int n) =>
        Query(port, $$"""{"op":"latest","sensor":"{{sensor}}","n":{{n}}}""")["readings"]!.AsArray()
            .Select(r => ReadingJsonCodec.Decode(r!["reading"]!.ToJsonString())).ToList();

    /// <summary>A request with mosquitto_rr (MQTT 5 request/response), as QUERY.md shows; fails unless the reply is ok.</summary>
    private static JsonNode Query(int port, string request)
    {
        var rr = Tool.Run("mosquitto_rr", ["-h", "127.0.0.1", "-p", port.ToString(), "-t", "edge/edge-dev/query", "-e", "reply/arm64", "-m", request, "-W", "60"], Timeout).Succeeded();
        var reply = JsonNode.Parse(rr.Output)!;
        Assert.True(reply["ok"]!.GetValue<bool>(), $"{request} -> {rr.Output}");
        return reply;
    }
}
