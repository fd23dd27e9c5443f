namespace Edge.TestKit;

/// <summary>The at-least-once and ordering checks the cloud side relies on.</summary>
public static class Delivery
{
    /// <summary>
    /// Every stored reading arrived; per partition the first arrival of each offset is in offset order (except offsets
    /// <paramref name="mayArriveLate"/> allows: readings split out of a refused batch); duplicates repeat their key exactly.
    /// </summary>
    public static (int Unique, int Duplicates) AssertComplete(IReadOnlyList<(string Topic, int Partition, long Offset)> stored, IReadOnlyList<Received> messages,
        Func<(string Topic, int Partition, long Offset), bool>? mayArriveLate = null)
    {
        var delivered = new HashSet<(string, int, long)>();
        var firstPayload = new Dictionary<string, byte[]>();
        int duplicates = 0;
        foreach (var group in messages.GroupBy(m => (m.LogTopic, m.Partition)))
        {
            long highest = -1;
            foreach (var m in group)
            {
                if (firstPayload.TryGetValue(m.Key, out byte[]? earlier))
                {
                    duplicates++;
                    Assert.Equal(earlier, m.Payload); // a duplicate is recognisable by its key and identical
                    continue;
                }
                firstPayload[m.Key] = m.Payload;
                bool isNew = false;
                for (long o = m.First; o <= m.Last; o++) isNew |= delivered.Add((m.LogTopic, m.Partition, o));
                if (!isNew) { duplicates++; continue; } // a re-split batch: a sub-range of what arrived
                if (m.First <= highest && mayArriveLate?.Invoke((m.LogTopic, m.Partition, m.First)) == true) continue;
                Assert.True(m.First > highest, $"{m.LogTopic}/{m.Partition}: offset {m.First} arrived after {highest}");
                highest = m.Last;
            }
        }
        var missing = stored.Where(s => !delivered.Contains(s)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} stored readings never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        return (delivered.Count, duplicates);
    }

    /// <summary>True once every stored reading has arrived at least once.</summary>
    public static bool AllArrived(IReadOnlyList<(string Topic, int Partition, long Offset)> stored, IReadOnlyList<Received> messages)
    {
        var delivered = new HashSet<(string, int, long)>();
        foreach (var m in messages)
            for (long o = m.First; o <= m.Last; o++) delivered.Add((m.LogTopic, m.Partition, o));
        return stored.All(delivered.Contains);
    }
}
