using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using Edge.Log;

namespace Edge.Benchmarks;

/// <summary>
/// offset-commit: durable consumer-offset commits of 64 partitions at a time, as the uplink does.
/// `offset-commit` goes through the public API (GroupMember.CommitAsync -> one LiteDB transaction + checkpoint);
/// `offset-commit-file` is the alternative the catalog could take: a checksummed checkpoint file written to a temp
/// file, fdatasync'd, renamed over the old one and the directory fsync'd. One "op" = one durable commit of 64 offsets.
/// </summary>
internal static class OffsetCommit
{
    private const int Partitions = 64;

    public static async Task<Result> RunLiteDbAsync(BenchOptions opt)
    {
        var dir = LogAppend.Fresh(opt.Dir, "offset-commit");
        using var log = EdgeLog.Open(new LogOptions { Directory = dir, OffsetCommitInterval = TimeSpan.Zero, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("readings") { Partitions = Partitions });
        using var member = log.Group("uplink").Join("m", "readings");
        var lat = new List<long>();
        long n = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < opt.Seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => member.CommitAsync("readings", p, n)));
            lat.Add(Stopwatch.GetTimestamp() - t0);
            n++;
        }
        return Build("offset-commit", opt, n, sw.Elapsed.TotalSeconds, lat, DirBytes(dir), "LiteDB transaction + Checkpoint() per commit batch");
    }

    public static Result RunFile(BenchOptions opt)
    {
        var dir = LogAppend.Fresh(opt.Dir, "offset-commit-file");
        string path = Path.Combine(dir, "offsets.checkpoint"), tmp = path + ".tmp";
        var buffer = new byte[8 + Partitions * 12 + 4];
        var lat = new List<long>();
        long n = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < opt.Seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, 0x4B435045); // magic
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), 1);  // version
            for (int p = 0; p < Partitions; p++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8 + p * 12), p);
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(12 + p * 12), n);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(buffer.Length - 4), Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, buffer.AsSpan(0, buffer.Length - 4)));
            using (var f = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write))
            {
                RandomAccess.Write(f, buffer, 0);
                RandomAccess.FlushToDisk(f);
            }
            File.Move(tmp, path, overwrite: true);
            SyncDir(dir);
            lat.Add(Stopwatch.GetTimestamp() - t0);
            n++;
        }
        return Build("offset-commit-file", opt, n, sw.Elapsed.TotalSeconds, lat, DirBytes(dir), "temp file + fsync + rename + directory fsync per commit");
    }

    // The log's own directory fsync (libc opendir + fsync): the benchmark once kept its own open(2) with x86-64's
    // O_DIRECTORY value, which is O_DIRECT on arm64 and fails there with EINVAL.
    private static void SyncDir(string dir) => Edge.Log.IO.PhysicalFileSystem.Instance.SyncDirectory(dir);

    private static long DirBytes(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static Result Build(string name, BenchOptions opt, long n, double secs, List<long> lat, long disk, string durability) => new()
    {
        name = name, run = opt.Run, unit = "commits", ops = n, records = n * Partitions, seconds = secs, ops_per_s = n / secs,
        rec_per_s = n * Partitions / secs, disk_bytes = disk, commits = lat.Count,
        commit_p50_us = Result.Percentile(lat, 50), commit_p99_us = Result.Percentile(lat, 99), commit_max_us = Result.Percentile(lat, 100),
        peak_rss_mb = Result.PeakRssMiB(), durability = durability, note = $"{Partitions} partition offsets per commit; records = offsets committed",
    };
}
