using Edge.Local.Status;

namespace Edge.Local.Tests.TestKit;

/// <summary>Stream rules as the gateway would show them, fixed for a test.</summary>
public sealed class FixedRulesView(string alertTopic, params RuleSnapshot[] rules) : IRulesView
{
    public string AlertTopic => alertTopic;

    public IReadOnlyList<RuleSnapshot> Rules => rules;
}
