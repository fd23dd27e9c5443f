using System.Text.RegularExpressions;
using Edge.Gateway.Tests.TestKit;
using Edge.Log;
using Edge.Readings;

namespace Edge.Gateway.Tests;

/// <summary>What `dotnet run --project gateway` does on a laptop with no configuration and no hardware.</summary>
public partial class NewcomerRunTests
{
    [Fact]
    public async Task With_no_configuration_simulated_traffic_and_health_readings_flow_into_the_log_and_SIGTERM_stops_cleanly()
    {
        using var dir = new TempDir();
        string logDir = Path.Combine(dir.Path, "log");
        using (var gateway = new GatewayProcess(logDir, "--Gateway:StatusInterval=00:00:01", "--Sensors:loop-lane1:Interval=00:00:01"))
        {
            await gateway.WaitForLine(l => l.Contains("using firmware-sim", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await gateway.WaitForLine(l => Stored().Match(l) is { Success: true } m && long.Parse(m.Groups["h"].Value) > 0 && long.Parse(m.Groups["t"].Value) >= 3, TimeSpan.FromSeconds(60));
            // The sensors are sampled on the gateway's own sampling thread, not by a timer per sensor and the thread pool.
            Assert.Contains("edge-sampler", ThreadNames(gateway.Pid));
            gateway.Terminate();
            Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        var readings = log.UserTopics.ToDictionary(t => t.Name, t => Enumerable.Range(0, t.Partitions)
            .SelectMany(p => log.Read(t.Name, p, log.GetPartitionInfo(t.Name, p).LogStartOffset).Records)
            .Select(r => ReadingBinaryCodec.Decode(r.Value!.Value.Span)).ToList());
        var oximetry = readings["health"].Where(r => r.Kind == ReadingKinds.SpO2).ToList();
        Assert.NotEmpty(oximetry);
        Assert.All(oximetry, r =>
        {
            Assert.Equal(ReadingQuality.Simulated, r.Quality);
            Assert.InRange(r.Values.Single(v => v.Name == "bpm").Value, 40, 180);
            Assert.InRange(r.Values.Single(v => v.Name == "spo2").Value, 85, 100);
        });
        var loop = readings["traffic"].Where(r => r.SensorId == "loop-lane1").ToList();
        Assert.NotEmpty(loop);
        Assert.All(loop, r => Assert.InRange(r.Values.Single(v => v.Name == "occupancy").Value, 0, 100));
        // Per sensor, sequence numbers increase by one: nothing dropped on the way to the log.
        foreach (var sensor in readings.Values.SelectMany(r => r).GroupBy(r => r.SensorId))
            Assert.Equal(Enumerable.Range(0, sensor.Count()).Select(i => (long)i), sensor.Select(r => r.Sequence));
    }

    // Names of the process's threads (/proc/<pid>/task/<tid>/comm, proc(5)); a thread may end while they are listed.
    private static List<string> ThreadNames(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task").Select(t => { try { return File.ReadAllText(Path.Combine(t, "comm")).Trim(); } catch (IOException) { return ""; } })];

    [GeneratedRegex(@"stored (?:\S+=\d+ )*health=(?<h>\d+) traffic=(?<t>\d+)")]
    private static partial Regex Stored();
}
