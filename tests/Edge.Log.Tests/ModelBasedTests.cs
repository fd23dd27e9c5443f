using Edge.Log.Consumers;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class ModelBasedTests
{
    private sealed record ModelRecord(long Offset, byte[] Key, byte[] Value, long Timestamp);

    private static readonly TopicConfig Topic = new("t")
    {
        Partitions = 2,
        SegmentBytes = 4096,
        RetentionTime = null,
        RetentionBytes = 8192,
        Flush = new FlushPolicy(8, TimeSpan.Zero),
    };

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_appends_flushes_reads_commits_reopens_and_retention_agree_with_an_in_memory_model(int seed)
    {
        using var dir = new TempDir();
        var random = new Random(seed);
        var options = new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1), IndexIntervalBytes = 256 };
        var model = new List<ModelRecord>[] { [], [] };
        var start = new long[2];
        var next = new long[2];
        var committed = new long?[2];
        var log = EdgeLog.Open(options);
        log.CreateTopic(Topic);
        GroupMember member = log.Group("g").Join("m", "t");
        try
        {
            for (int op = 0; op < 250; op++)
            {
                int p = random.Next(2);
                switch (random.Next(100))
                {
                    case < 55: // append a burst, await all
                    {
                        var burst = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                        {
                            var key = new byte[random.Next(1, 8)];
                            var value = new byte[random.Next(0, 300)];
                            random.NextBytes(key);
                            random.NextBytes(value);
                            return new ModelRecord(-1, key, value, random.Next(1_000_000));
                        }).ToList();
                        var tasks = burst.Select(r => log.AppendAsync("t", new Record(r.Key, r.Value, r.Timestamp), p).AsTask()).ToList();
                        var positions = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
                        for (int i = 0; i < burst.Count; i++)
                        {
                            Assert.Equal(next[p]++, positions[i].Offset);
                            model[p].Add(burst[i] with { Offset = positions[i].Offset });
                        }
                        break;
                    }
                    case < 60:
                        await log.FlushAsync("t");
                        break;
                    case < 80: // read from a random offset with a random byte bound
                    {
                        long from = random.NextInt64(start[p], next[p] + 2);
                        var result = log.Read("t", p, from, random.Next(1, 5000));
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
                    case < 88: // commit a position
                    {
                        long offset = random.NextInt64(start[p], next[p] + 1);
                        await member.CommitAsync("t", p, offset).WaitAsync(TimeSpan.FromSeconds(30));
                        committed[p] = offset;
                        Assert.Equal(next[p] - offset, log.Group("g").Lag("t", p));
                        break;
                    }
                    case < 94: // clean reopen
                        member.Dispose();
                        log.Dispose();
                        log = EdgeLog.Open(options);
                        member = log.Group("g").Join("m", "t");
                        for (int q = 0; q < 2; q++)
                        {
                            Assert.Equal(committed[q], log.Group("g").CommittedOffset("t", q));
                            var info = log.GetPartitionInfo("t", q);
                            Assert.Equal(next[q], info.HighWatermark);
                            Assert.Equal(start[q], info.LogStartOffset);
                        }
                        break;
                    default: // retention by bytes
                    {
                        log.RunMaintenance();
                        for (int q = 0; q < 2; q++)
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
        }
        finally
        {
            member.Dispose();
            log.Dispose();
        }
    }
}
