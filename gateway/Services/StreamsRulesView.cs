using Edge.Local.Status;
using Edge.Streams.Hosting;

namespace Edge.Gateway.Services;

/// <summary>
/// The stream rules as the local API sees them: the seam that keeps Edge.Local free of Edge.Streams (data flows from
/// the rules to the API, never back).
/// </summary>
public sealed class StreamsRulesView : IRulesView
{
    private readonly StreamsService _streams;

    public StreamsRulesView(StreamsService streams)
    {
        _streams = streams;
        // The local API is composed (and follows the alert topic from its start) before the rules service starts and
        // would create the topic: create it now, with the settings the service gives it.
        streams.EnsureTopics();
    }

    public string AlertTopic => _streams.AlertTopic;

    public IReadOnlyList<RuleSnapshot> Rules
    {
        get
        {
            // Current holds the latest event per "rule/key": the raised ones are the rule's raised keys now.
            var raised = _streams.Current.Values.Where(a => a.Raised).GroupBy(a => a.Rule, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(a => a.Key).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            return _streams.Rules.Select(r => new RuleSnapshot(r.Name, r.Type, r.Description, r.Matched, r.Late, raised.GetValueOrDefault(r.Name) ?? [])).ToList();
        }
    }
}
