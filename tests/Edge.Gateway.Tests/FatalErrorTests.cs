using Edge.Gateway.Tests.TestKit;
using Edge.Log;

namespace Edge.Gateway.Tests;

/// <summary>
/// A fatal error stops the host with a non-zero exit code so systemd's Restart=on-failure brings the gateway back; the
/// restarted gateway recovers the log and goes on.
/// </summary>
public class FatalErrorTests
{
    // One fast loop sensor (500 readings/s into traffic) fills a 256 KiB segment in seconds; the others are off.
    private static readonly string[] FastLoop =
    [
        "--Hardware:Mode=simulated", "--Gateway:StatusInterval=00:00:01",
        .. UplinkEndToEndTests.DefaultSensors().Where(id => id != "loop-lane1").Select(id => $"--Sensors:{id}:Enabled=false"),
        "--Sensors:loop-lane1:Interval=00:00:00.002",
    ];

    [Fact]
    public async Task A_log_write_that_fails_like_a_full_disk_exits_1_naming_the_partition_and_a_restart_recovers_and_appends_on()
    {
        using var dir = new TempDir();
        string logDir = Path.Combine(dir.Path, "log");
        using (var gateway = GatewayProcess.WithFileSizeLimit(logDir, 256, FastLoop))
        {
            Assert.Equal(1, await gateway.WaitForExit(TimeSpan.FromSeconds(90)));
            Assert.Contains("partition traffic/", gateway.Output);
            Assert.Contains("stopped after a write failure", gateway.Output);
            Assert.Contains("file too large", gateway.Output);
            Assert.Contains("stopping the gateway (exit 1)", gateway.Output);
        }
        var before = Records(logDir); // opening recovers: the valid prefix, every batch checksummed
        Assert.True(before.Values.Sum() > 0, "nothing was stored before the failure");

        using (var gateway = new GatewayProcess(logDir, FastLoop))
        {
            await gateway.WaitForLine(l => l.Contains("readings/s durable", StringComparison.Ordinal) && !l.Contains(" 0 total", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            gateway.Terminate();
            Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        }
        var after = Records(logDir);
        foreach (var (partition, count) in before)
            Assert.True(after[partition] >= count, $"traffic/{partition} had {count} readings before the restart and {after[partition]} after");
        Assert.True(after.Values.Sum() > before.Values.Sum(), "the restarted gateway appended past the point of failure");
    }

    // Readings per traffic partition, read back record by record (a corrupt batch would throw).
    private static Dictionary<int, long> Records(string logDir)
    {
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        var counts = new Dictionary<int, long>();
        for (int p = 0; p < log.GetTopic("traffic").Partitions; p++)
        {
            long n = 0;
            for (long o = log.GetPartitionInfo("traffic", p).LogStartOffset; ;)
            {
                var read = log.Read("traffic", p, o);
                if (read.Records.Count == 0) break;
                n += read.Records.Count;
                o = read.NextOffset;
            }
            counts[p] = n;
        }
        return counts;
    }
}
