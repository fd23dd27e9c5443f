using CsCheck;
using Edge.Log.Consumers;

namespace Edge.Log.Tests;

/// <summary>
/// Random sequences of appends, flushes, reads, commits, clean reopens and retention run against the log and against a
/// list per partition (Vector's disk-buffer model tests). CsCheck generates the sequences; on a failure it shrinks the
/// sequence to a small one that still fails and prints its seed: set CsCheck_Seed=&lt;seed&gt; (or the seed argument
/// below) to replay exactly that case.
/// </summary>
public class ModelBasedTests
{
    private const int Partitions = 2;

    private static readonly TopicConfig Topic = new("t")
    {
        Partitions = Partitions,
        SegmentBytes = 4096,
        RetentionTime = null,
        RetentionBytes = 8192,
        Flush = new FlushPolicy(8, TimeSpan.Zero),
    };

    private abstract record Op;

    private sealed record Append(int Partition, ModelRecord[] Burst) : Op;

    private sealed record Flush : Op;

    /// <summary>Reads partition from start + FromSkew (mod the retained range plus two past the end), at most MaxBytes.</summary>
    private sealed record Read(int Partition, int FromSkew, int MaxBytes) : Op;

    private sealed record Commit(int Partition, int OffsetSkew) : Op;

    private sealed record Reopen : Op;

    private sealed record Retention : Op;

    private sealed record ModelRecord(byte[] Key, byte[] Value, long Timestamp)
    {
        public long Offset { get; init; } = -1;
    }

    private static readonly Gen<ModelRecord> RecordGen =
        Gen.Select(Gen.Byte.Array[1, 7], Gen.Byte.Array[0, 299], Gen.Long[0, 999_999], (k, v, t) => new ModelRecord(k, v, t));

    // The mix of the original seeded test: 55% appends, 5% flushes, 20% reads, 8% commits, 6% reopens, 6% retention.
    private static readonly Gen<Op[]> Operations = Gen.Frequency(
        (55, Gen.Select(Gen.Int[0, Partitions - 1], RecordGen.Array[1, 5], (p, burst) => (Op)new Append(p, burst))),
        (5, Gen.Const((Op)new Flush())),
        (20, Gen.Select(Gen.Int[0, Partitions - 1], Gen.Int[0, 10_000], Gen.Int[1, 4999], (p, from, max) => (Op)new Read(p, from, max))),
        (8, Gen.Select(Gen.Int[0, Partitions - 1], Gen.Int[0, 10_000], (p, skew) => (Op)new Commit(p, skew))),
        (6, Gen.Const((Op)new Reopen())),
        (6, Gen.Const((Op)new Retention()))).Array[1, 300];

    [Fact]
    public async Task Random_appends_flushes_reads_commits_reopens_and_retention_agree_with_an_in_memory_model()
    {
        await Operations.SampleAsync(RunAsync, iter: 24, print: Describe);
    }

    private static async Task RunAsync(Op[] operations)
    {
        using var dir = new TempDir();
        var options = new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1), IndexIntervalBytes = 256 };
        var model = new List<ModelRecord>[] { [], [] };
        var start = new long[Partitions];
        var next = new long[Partitions];
        var committed = new long?[Partitions];
        var log = EdgeLog.Open(options);
        log.CreateTopic(Topic);
        GroupMember member = log.Group("g").Join("m", "t");
        try
        {
            foreach (var op in operations)
            {
                switch (op)
                {
                    case Append(int p, var burst):
                    {
                        var tasks = burst.Select(r => log.AppendAsync("t", new Record(r.Key, r.Value, r.Timestamp), p).AsTask()).ToList();
                        var positions = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
                        for (int i = 0; i < burst.Length; i++)
                        {
                            Assert.Equal(next[p]++, positions[i].Offset);
                            model[p].Add(burst[i] with { Offset = positions[i].Offset });
                        }
                        break;
                    }
                    case Flush:
                        await log.FlushAsync("t");
                        break;
                    case Read(int p, int skew, int maxBytes):
                    {
                        long from = start[p] + skew % (next[p] - start[p] + 2);
                        var result = log.Read("t", p, from, maxBytes);
                        Assert.Equal(next[p], result.HighWatermark);
                        Assert.Equal(start[p], result.LogStartOffset);
                        var expected = model[p].Where(r => r.Offset >= from).Take(result.Records.Count).ToList();
                        Assert.Equal(expected.Count, result.Records.Count);
                        if (from < next[p]) Assert.NotEmpty(result.Records);
                        for (int i = 0; i < expected.Count; i++)
                        {
                            Assert.Equal(expected[i].Offset, result.Records[i].Offset);
                            Assert.Equal(expected[i].Key, result.Records[i].Key!.Value.ToArray());
                            Assert.Equal(expected[i].Value, result.Records[i].Value!.Value.ToArray());
                            Assert.Equal(expected[i].Timestamp, result.Records[i].Timestamp);
                        }
                        break;
                    }
                    case Commit(int p, int skew):
                    {
                        long offset = start[p] + skew % (next[p] - start[p] + 1);
                        await member.CommitAsync("t", p, offset).WaitAsync(TimeSpan.FromSeconds(30));
                        committed[p] = offset;
                        Assert.Equal(next[p] - offset, log.Group("g").Lag("t", p));
                        break;
                    }
                    case Reopen:
                        member.Dispose();
                        log.Dispose();
                        log = EdgeLog.Open(options);
                        member = log.Group("g").Join("m", "t");
                        for (int q = 0; q < Partitions; q++)
                        {
                            Assert.Equal(committed[q], log.Group("g").CommittedOffset("t", q));
                            var info = log.GetPartitionInfo("t", q);
                            Assert.Equal(next[q], info.HighWatermark);
                            Assert.Equal(start[q], info.LogStartOffset);
                        }
                        break;
                    case Retention:
                        log.RunMaintenance();
                        for (int q = 0; q < Partitions; q++)
                        {
                            var info = log.GetPartitionInfo("t", q);
                            Assert.InRange(info.LogStartOffset, start[q], next[q]);
                            Assert.True(info.SizeInBytes <= Topic.RetentionBytes + Topic.SegmentBytes + 2048, $"partition {q} keeps {info.SizeInBytes} bytes");
                            start[q] = info.LogStartOffset;
                            model[q].RemoveAll(r => r.Offset < start[q]);
                        }
                        break;
                }
            }
        }
        finally
        {
            member.Dispose();
            log.Dispose();
        }
    }

    // A failing sequence printed one operation a line, record payloads by size: what a reader needs to replay it by hand.
    private static string Describe(Op[] operations) => string.Join('\n', operations.Select(op => op switch
    {
        Append(int p, var burst) => $"append p{p} [{string.Join(", ", burst.Select(r => $"key {r.Key.Length} B, value {r.Value.Length} B, ts {r.Timestamp}"))}]",
        _ => op.ToString(),
    }));
}
