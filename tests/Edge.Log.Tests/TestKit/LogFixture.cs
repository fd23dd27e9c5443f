using System.Text;

namespace Edge.Log.Tests.TestKit;

/// <summary>Helpers shared by the storage tests: sync appends that remember where each batch landed, crash copies.</summary>
public static class LogFixture
{
    public static LogOptions Options(string dir) => new() { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1), IndexIntervalBytes = 64 };

    public static byte[] Value(int i) => Encoding.UTF8.GetBytes($"value-{i:D6}-" + new string((char)('a' + i % 26), i % 50));

    public static string PartitionDir(string root, string topic = "t", int partition = 0) => Path.Combine(root, "topics", topic, partition.ToString());

    public static string[] Segments(string root, string topic = "t", int partition = 0) =>
        Directory.GetFiles(PartitionDir(root, topic, partition), "*.log").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Appends records one by one (one batch each with FlushPolicy.Immediate) and returns each batch's start position in the active segment file.</summary>
    public static async Task<List<long>> AppendOneByOne(EdgeLog log, string root, int count, int first = 0)
    {
        var starts = new List<long>();
        for (int i = first; i < first + count; i++)
        {
            starts.Add(new FileInfo(Segments(root)[^1]).Length);
            await log.AppendAsync("t", new Record(Encoding.UTF8.GetBytes("k"), Value(i), 1_000 + i), 0);
        }
        return starts;
    }

    /// <summary>
    /// Copies a log directory while the log is open: the copy is exactly what a kill -9 leaves (durable data,
    /// no clean-shutdown index trailers).
    /// </summary>
    public static void CopyAsCrashed(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(f) == ".lock") continue;
            using var src = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var dst = File.Create(f.Replace(from, to));
            src.CopyTo(dst);
        }
    }

    public static List<LogRecord> ReadAll(EdgeLog log, string topic = "t", int partition = 0)
    {
        var all = new List<LogRecord>();
        long next = 0;
        while (true)
        {
            var r = log.Read(topic, partition, next, 1 << 16);
            all.AddRange(r.Records);
            if (r.NextOffset <= next || r.NextOffset >= r.HighWatermark && r.Records.Count == 0) break;
            next = r.NextOffset;
            if (next >= r.HighWatermark) break;
        }
        return all;
    }

    public static void FlipBit(string file, long position) => StoredBytes.Flip(file, position, 0x10);
}
