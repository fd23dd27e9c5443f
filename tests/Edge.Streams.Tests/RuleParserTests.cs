using Edge.Streams.Configuration;
using Edge.Streams.Hosting;
using Edge.Streams.Rules;
using Edge.Streams.Tests.TestKit;
using Microsoft.Extensions.Configuration;

namespace Edge.Streams.Tests;

public class RuleParserTests
{
    private static List<string> Errors(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var rules = new RulesSettings();
        StreamsRegistration.Read(config, rules);
        return rules.Errors;
    }

    [Fact]
    public void Every_mistake_is_reported_with_the_key_that_holds_it()
    {
        var errors = Errors(
            ("Rules:spo2-low:Type", "threshold"), ("Rules:spo2-low:Kind", "health.spo2"), ("Rules:spo2-low:Condition", "spo2 < ninety"), ("Rules:spo2-low:For", "soon"),
            ("Rules:jam:Type", "aggregate"), ("Rules:jam:Kind", "traffic.occupancy"), ("Rules:jam:Condition", "occupancy > 35"), ("Rules:jam:Window", "2m"), ("Rules:jam:Hop", "45s"),
            ("Rules:quiet:Type", "absence"),
            ("Rules:Bad_Name:Type", "threshold"),
            ("Rules:typo:Type", "threshold"), ("Rules:typo:Kind", "health.spo2"), ("Rules:typo:Conditon", "spo2 < 90"),
            ("Rules:what:Type", "magic"));
        Assert.Contains(errors, e => e.StartsWith("Rules:spo2-low:Condition: 'spo2 < ninety'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:spo2-low:For: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:jam:Condition: 'occupancy > 35': a windowed rule compares aggregates", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:jam:Hop: the Window 2m must be a whole number of Hops 45s", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:quiet:Missed: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:Bad_Name: the rule name 'Bad_Name'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:typo:", StringComparison.Ordinal) && e.Contains("Conditon", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:what:Type: 'magic' is not a rule type", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_rules_are_valid_and_cover_the_lane_and_the_bed()
    {
        var rules = new RulesSettings();
        StreamsRegistration.Read(ScenarioRun.ShippedConfiguration(), rules);
        Assert.Empty(rules.Errors);
        var names = rules.Definitions.Select(r => r.Name).ToHashSet();
        foreach (var n in new[] { "spo2-low", "tachycardia-at-rest", "bradycardia", "fever", "fall-no-movement", "sensor-silent", "sensor-stuck", "lane-congestion", "stopped-vehicle" })
            Assert.Contains(n, names);
        Assert.Equal("lane1", rules.Sites["loop-lane1"]);
    }

    [Fact]
    public void A_one_term_condition_clears_at_its_negation_unless_Clear_gives_hysteresis()
    {
        var errors = new List<string>();
        var defs = RuleParser.Parse(new Dictionary<string, RuleOptions>
        {
            ["a"] = new() { Type = "threshold", Kind = "health.spo2", Condition = "spo2 < 90" },
            ["b"] = new() { Type = "threshold", Kind = "health.spo2", Condition = "spo2 < 90", Clear = "spo2 >= 92" },
        }, errors);
        Assert.Empty(errors);
        Assert.Equal("spo2 >= 90", defs[0].Clear!.ToString());
        Assert.Equal("spo2 >= 92", defs[1].Clear!.ToString());
        Assert.Equal("alert.a", defs[0].AlertKind);
        Assert.Equal(Comparison.Less, defs[0].Condition!.Terms[0].Op);
    }
}
