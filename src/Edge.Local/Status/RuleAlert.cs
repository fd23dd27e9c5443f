using Edge.Readings;

namespace Edge.Local.Status;

/// <summary>
/// A stream rule's raised or cleared event as the local API shows it (QUERY.md): on the alert topics live and retained,
/// and in the {"op":"alerts"} reply. Times are Unix ms; <see cref="Values"/> are the values that triggered it.
/// </summary>
public sealed record RuleAlert(string Rule, string Key, bool Raised, long At, long Episode, long EpisodeStart, long WindowStart, long WindowEnd,
    IReadOnlyList<ReadingValue> Values)
{
    /// <summary>The reading kind prefix of alerts (STREAMS.md §5): "alert.&lt;rule with '-' as '_'&gt;".</summary>
    public const string KindPrefix = "alert.";

    public string State => Raised ? "raised" : "cleared";

    /// <summary>"&lt;rule&gt;/&lt;key&gt;/&lt;episodeStart&gt;/&lt;state&gt;": the alert topic's record key, by which consumers drop duplicates.</summary>
    public string IdempotencyKey => $"{Rule}/{Key}/{EpisodeStart}/{State}";

    private static readonly string[] Bookkeeping = ["state", "episode_start", "window_start", "window_end"];

    /// <summary>The reading kind a rule's alerts carry: rule names are a-z, 0-9 and '-' (STREAMS.md §2), so the mapping is one to one.</summary>
    public static string KindOf(string rule) => KindPrefix + rule.Replace('-', '_');

    /// <summary>
    /// Reads an alert back from the reading the stream rules store (STREAMS.md §5: sensor = key, kind =
    /// "alert.&lt;rule with '-' as '_'&gt;", sequence = episode); null when the reading is not one.
    /// </summary>
    public static RuleAlert? FromReading(Reading r)
    {
        if (!r.Kind.StartsWith(KindPrefix, StringComparison.Ordinal) || r["state"] is not { } state) return null;
        long L(string n) => (long)(r[n]?.Value ?? 0);
        return new RuleAlert(r.Kind[KindPrefix.Length..].Replace('_', '-'), r.SensorId, state.Value == 1, r.Timestamp.ToUnixTimeMilliseconds(), r.Sequence,
            L("episode_start"), L("window_start"), L("window_end"), r.Values.Where(v => Array.IndexOf(Bookkeeping, v.Name) < 0).ToList());
    }
}
