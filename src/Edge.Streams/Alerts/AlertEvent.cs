using Edge.Readings;

namespace Edge.Streams.Alerts;

/// <summary>
/// A rule's state change for one key (STREAMS.md §5): raised, or cleared. <see cref="EpisodeStart"/> — the event time
/// the condition began to hold (threshold), the silence began (absence), the first event happened (sequence) — is
/// fixed by the readings alone, so a replay of the same readings yields the same <see cref="IdempotencyKey"/>.
/// </summary>
public sealed record AlertEvent(string Rule, string Key, bool Raised, long At, long EpisodeStart, long WindowStart, long WindowEnd,
    IReadOnlyList<ReadingValue> Values, long Episode)
{
    public const string RaisedText = "raised";
    public const string ClearedText = "cleared";

    public string State => Raised ? RaisedText : ClearedText;

    /// <summary>"spo2-low/spo2-bed1/1764028860000/raised": the alert topic's record key and the cloud's dedup key.</summary>
    public string IdempotencyKey => $"{Rule}/{Key}/{EpisodeStart}/{State}";

    /// <summary>
    /// The alert as a reading (READINGS.md), so the log, the uplink, the query API and the dashboard carry it as they
    /// carry any reading: sensor = the key, kind = "alert.&lt;rule&gt;", time = when it changed, sequence = the episode number
    /// of this rule and key, values = state (1 raised, 0 cleared), the episode and window bounds (Unix ms) and the values
    /// that triggered it.
    /// </summary>
    public Reading ToReading(string alertKind)
    {
        var values = new List<ReadingValue>(Values.Count + 4)
        {
            new("state", Raised ? 1 : 0, "1"),
            new("episode_start", EpisodeStart, "ms"),
            new("window_start", WindowStart, "ms"),
            new("window_end", WindowEnd, "ms"),
        };
        foreach (var v in Values)
            if (values.Count < Reading.MaxValues && !Has(values, v.Name)) values.Add(v);
        return new Reading(Key, alertKind, DateTimeOffset.FromUnixTimeMilliseconds(At), values, ReadingQuality.Ok, Episode);
    }

    private static bool Has(List<ReadingValue> values, string name)
    {
        foreach (var v in values)
            if (v.Name == name) return true;
        return false;
    }

    /// <summary>Reads an alert back from its reading form; null when the reading is not an alert.</summary>
    public static AlertEvent? FromReading(Reading r)
    {
        if (!r.Kind.StartsWith("alert.", StringComparison.Ordinal) || r["state"] is not { } state) return null;
        long L(string n) => (long)(r[n]?.Value ?? 0);
        var rest = r.Values.Where(v => v.Name is not ("state" or "episode_start" or "window_start" or "window_end")).ToList();
        return new AlertEvent(r.Kind["alert.".Length..].Replace('_', '-'), r.SensorId, state.Value == 1, r.Timestamp.ToUnixTimeMilliseconds(),
            L("episode_start"), L("window_start"), L("window_end"), rest, r.Sequence);
    }
}
