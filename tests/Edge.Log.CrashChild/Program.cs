using System.Text;
using Edge.Log;

// The kill -9 test's child: appends at full speed from several tasks and prints "partition offset id" for every
// acknowledged (durable) append. The test kills it with SIGKILL at a random moment and checks the log.
//   Edge.Log.CrashChild <log dir> <first id>
if (args.Length != 2 || !long.TryParse(args[1], out long firstId))
{
    Console.Error.WriteLine("usage: Edge.Log.CrashChild <log dir> <first id>");
    return 2;
}
using var log = EdgeLog.Open(new LogOptions { Directory = args[0], MaintenanceInterval = TimeSpan.FromHours(1) });
log.CreateTopic(CrashWorkload.Topic);
var output = new object();
long next = firstId;
Console.WriteLine("ready");
await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
{
    var pending = new List<(long Id, Task<RecordPosition> Ack)>();
    while (true)
    {
        for (int i = 0; i < 50; i++)
        {
            long id = Interlocked.Increment(ref next);
            pending.Add((id, log.AppendAsync("t", new Record(CrashWorkload.Key(id), CrashWorkload.Value(id), id)).AsTask()));
        }
        var sb = new StringBuilder();
        foreach (var (id, ack) in pending)
        {
            var pos = await ack;
            sb.Append(pos.Partition).Append(' ').Append(pos.Offset).Append(' ').Append(id).Append('\n');
        }
        pending.Clear();
        lock (output)
        {
            Console.Out.Write(sb.ToString());
            Console.Out.Flush();
        }
    }
})));
return 0;

/// <summary>Deterministic record content derived from an id, so the test can verify exact bytes.</summary>
public static class CrashWorkload
{
    public static TopicConfig Topic { get; } = new("t") { Partitions = 2, SegmentBytes = 256 * 1024, Flush = FlushPolicy.GroupCommit };

    public static byte[] Key(long id) => Encoding.ASCII.GetBytes($"k{id % 8}");

    public static byte[] Value(long id)
    {
        var value = new byte[8 + (int)(id % 200)];
        BitConverter.TryWriteBytes(value, id);
        ulong x = (ulong)id * 0x9E3779B97F4A7C15UL;
        for (int i = 8; i < value.Length; i++)
        {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            value[i] = (byte)x;
        }
        return value;
    }
}
