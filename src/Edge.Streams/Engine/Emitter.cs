using Edge.Readings;
using Edge.Streams.Alerts;
using Edge.Streams.Rules;

namespace Edge.Streams.Engine;

/// <summary>Collects what rules emit while the engine handles one reading or clock step. Not thread-safe.</summary>
internal sealed class Emitter(string alertTopic)
{
    public List<Emitted> Output { get; set; } = [];

    public void Alert(RuleDefinition rule, string key, bool raised, long at, long episodeStart, long windowStart, long windowEnd, IReadOnlyList<ReadingValue> values, long episode)
    {
        var alert = new AlertEvent(rule.Name, key, raised, at, episodeStart, windowStart, windowEnd, values, episode);
        Output.Add(new Emitted(alertTopic, alert.IdempotencyKey, alert.ToReading(rule.AlertKind), alert));
    }

    public void Summary(RuleDefinition rule, string key, string kind, long windowStart, long windowEnd, IReadOnlyList<ReadingValue> values) =>
        Output.Add(new Emitted(rule.Output!, $"{rule.Name}/{key}/{windowStart}",
            new Reading(key, kind, DateTimeOffset.FromUnixTimeMilliseconds(windowEnd), values, ReadingQuality.Ok, windowStart / Math.Max(1, rule.Window!.HopMs)), null));
}
