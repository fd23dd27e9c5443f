using System.Diagnostics;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// log-recovery: builds a log of about --gib GiB (48-byte readings, 64 MiB segments), lets a child process append
/// to it and kills the child with SIGKILL mid-append, then measures in this process the time from EdgeLog.Open to
/// the first durable append (reported in `seconds`). The child's active segment has no clean-shutdown trailer, so
/// this is the real crash-recovery path.
/// </summary>
internal static class LogRecovery
{
    private static readonly TopicConfig Topic = new("readings") { Flush = new FlushPolicy(1000, TimeSpan.FromMilliseconds(5)), RetentionTime = null };

    public static async Task<Result> RunAsync(BenchOptions opt)
    {
        var dir = LogAppend.Fresh(opt.Dir, "log-recovery");
        long records = (long)(opt.GiB * (1L << 30) / 64);
        using (var log = EdgeLog.Open(Options(dir)))
        {
            log.CreateTopic(Topic with { Flush = new FlushPolicy(32767, TimeSpan.Zero) });
            await LogRead.Fill(log, records);
            log.CreateTopic(Topic);
        }
        KillChildMidAppend(dir);

        var sw = Stopwatch.StartNew();
        long disk;
        using (var log = EdgeLog.Open(Options(dir)))
        {
            log.CreateTopic(Topic);
            var value = new byte[Workload.PayloadSize];
            Workload.Encode(value, 0);
            await log.AppendAsync("readings", new Record(Workload.SensorIds[0], value, Workload.Timestamp(0)), 0);
            sw.Stop();
            disk = log.DiskBytes;
        }
        Directory.Delete(dir, true);
        return new Result
        {
            name = "log-recovery", unit = "open", run = opt.Run, ops = 1, records = 1, seconds = sw.Elapsed.TotalSeconds,
            ops_per_s = 1 / sw.Elapsed.TotalSeconds, disk_bytes = disk, peak_rss_mb = Result.PeakRssMiB(),
            durability = "open after SIGKILL -> first durable append",
            note = $"{disk / (double)(1L << 30):F2} GiB log, 64 MiB segments; child killed with SIGKILL mid-append",
        };
    }

    /// <summary>The child: appends durably until killed (prints "appending" once the first append is durable).</summary>
    public static async Task ChildAsync(string dir)
    {
        using var log = EdgeLog.Open(Options(dir));
        log.CreateTopic(Topic);
        var value = new byte[Workload.PayloadSize];
        for (long n = 0; ; n++)
        {
            Workload.Encode(value, n);
            var t = log.AppendAsync("readings", new Record(Workload.SensorIds[n & 63], value, Workload.Timestamp(n)), 0);
            if (n % 1000 == 999)
            {
                await t;
                if (n == 999) Console.WriteLine("appending");
            }
        }
    }

    private static LogOptions Options(string dir) => new() { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) };

    private static void KillChildMidAppend(string dir)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(LogRecovery).Assembly.Location);
        psi.ArgumentList.Add("log-recovery-child");
        psi.ArgumentList.Add(dir);
        using var child = Process.Start(psi)!;
        if (child.StandardOutput.ReadLine() != "appending") throw new InvalidOperationException("the recovery child did not start appending");
        // Let it run a little so its active segment has unflushed and torn-in-progress data, then SIGKILL.
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(1000);
        child.Kill();
        child.WaitForExit();
    }
}
