using System.Text;
using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Tests.TestKit;

/// <summary>Alert events written as the stream rules write them (STREAMS.md §5): a reading of kind "alert.&lt;rule&gt;", keyed by its idempotency key.</summary>
public static class StoredAlerts
{
    public static async Task AppendAsync(EdgeLog log, string rule, string key, bool raised, DateTimeOffset at, long episodeStart, long episode, string topic = "alerts")
    {
        var reading = new Reading(key, "alert." + rule.Replace('-', '_'), at,
            [new("state", raised ? 1 : 0, "1"), new("episode_start", episodeStart, "ms"), new("window_start", episodeStart, "ms"),
             new("window_end", at.ToUnixTimeMilliseconds(), "ms"), new("spo2", 87, "%")], ReadingQuality.Ok, episode);
        string idem = $"{rule}/{key}/{episodeStart}/{(raised ? "raised" : "cleared")}";
        await log.AppendAsync(topic, new Edge.Log.Record(Encoding.UTF8.GetBytes(idem), ReadingBinaryCodec.Encode(reading), at.ToUnixTimeMilliseconds()));
    }
}
