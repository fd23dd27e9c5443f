using System.Diagnostics;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class KillNineTests
{
    [Fact]
    public async Task Every_acknowledged_append_survives_repeated_SIGKILL_and_no_offset_is_reused()
    {
        using var dir = new TempDir();
        var random = new Random(20261125);
        var owner = new Dictionary<(int Partition, long Offset), long>(); // every offset ever seen -> the id it holds
        var acked = new List<(int Partition, long Offset, long Id)>();
        for (int run = 0; run < 12; run++)
        {
            int killAfter = random.Next(200, 4000);
            var runAcks = await RunChildAndKill(dir.Path, firstId: run * 1_000_000_000L, killAfter);
            Assert.True(runAcks.Count >= killAfter, $"run {run}: the child acknowledged only {runAcks.Count} appends");
            acked.AddRange(runAcks);

            using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
            for (int p = 0; p < 2; p++)
            {
                foreach (var r in LogFixture.ReadAll(log, "t", p))
                {
                    long id = BitConverter.ToInt64(r.Value!.Value.Span);
                    Assert.Equal(CrashWorkload.Value(id), r.Value!.Value.ToArray()); // no garbage, exact bytes
                    if (owner.TryGetValue((p, r.Offset), out long before))
                        Assert.True(before == id, $"offset {p}/{r.Offset} held id {before} and now holds {id}: an offset was reused");
                    owner[(p, r.Offset)] = id;
                }
            }
            foreach (var (p, offset, id) in acked)
            {
                Assert.True(owner.TryGetValue((p, offset), out long stored), $"acknowledged {p}/{offset} (id {id}) is missing after kill -9 #{run}");
                Assert.Equal(id, stored);
            }
        }
    }

    private static async Task<List<(int, long, long)>> RunChildAndKill(string logDir, long firstId, int killAfter)
    {
        string child = Path.Combine(AppContext.BaseDirectory, "Edge.Log.CrashChild.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(child);
        psi.ArgumentList.Add(logDir);
        psi.ArgumentList.Add(firstId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(psi)!;
        var acks = new List<(int, long, long)>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.Equal("ready", await process.StandardOutput.ReadLineAsync(timeout.Token));
            while (acks.Count < killAfter)
            {
                string? line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("child exited early: " + await process.StandardError.ReadToEndAsync());
                var parts = line.Split(' ');
                acks.Add((int.Parse(parts[0]), long.Parse(parts[1]), long.Parse(parts[2])));
            }
        }
        finally
        {
            process.Kill(); // SIGKILL: no flush, no clean shutdown
            await process.WaitForExitAsync();
        }
        return acks;
    }
}
