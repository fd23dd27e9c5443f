using System.Text.Json;
using Edge.Local.Live;
using Edge.Local.Status;

namespace Edge.Local.Query;

/// <summary>The JSON of the <c>rules</c> reply and of one event in the <c>alerts</c> reply (QUERY.md).</summary>
internal static class RuleReplies
{
    public static void WriteRules(Utf8JsonWriter w, IRulesView view)
    {
        w.WriteString("alertTopic", view.AlertTopic);
        w.WriteStartArray("rules");
        foreach (var rule in view.Rules)
        {
            w.WriteStartObject();
            w.WriteString("name", rule.Name);
            w.WriteString("type", rule.Type);
            w.WriteString("kind", RuleAlert.KindOf(rule.Name));
            w.WriteString("description", rule.Description);
            w.WriteNumber("matched", rule.Matched);
            w.WriteNumber("late", rule.Late);
            w.WriteNumber("raised", rule.RaisedKeys.Count);
            w.WriteStartArray("raisedKeys");
            foreach (var key in rule.RaisedKeys) w.WriteStringValue(key);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // An alert is stored as a reading (STREAMS.md §5): sensor = the key, kind = "alert.<rule with '-' as '_'>",
    // sequence = the episode, values = state, episode_start, window_start, window_end and the triggering values.
    public static void WriteAlert(Utf8JsonWriter w, FoundReading f, RuleAlert alert)
    {
        w.WriteStartObject();
        w.WriteString("topic", f.Topic);
        w.WriteNumber("partition", f.Partition);
        w.WriteNumber("offset", f.Offset);
        AlertJson.WriteFields(w, alert);
        w.WriteEndObject();
    }
}
