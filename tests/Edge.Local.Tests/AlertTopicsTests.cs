using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Edge.Local.Status;
using Edge.Local.Tests.TestKit;
using MQTTnet;

namespace Edge.Local.Tests;

/// <summary>
/// The alert topics edge/&lt;id&gt;/alerts/&lt;rule&gt;/&lt;key&gt; (QUERY.md "Alert topics", issue 12 "Over MQTT"): each
/// event stored in the alert topic is published as it becomes durable, retained, so a later subscriber gets each
/// key's current state.
/// </summary>
public class AlertTopicsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private static readonly FixedRulesView Rules = new("alerts",
        new RuleSnapshot("spo2-low", "threshold", "spo2 < 90 for 30s", 0, 0, []),
        new RuleSnapshot("fever", "threshold", "body_temperature >= 38 for 5m", 0, 0, []));

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    /// <summary>Subscribes and collects messages by topic; each topic's messages in order of arrival.</summary>
    private sealed class Watcher
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<(JsonNode Body, bool Retain)>> _got = new();

        public Watcher(Client c) => c.MessageReceived += m => _got.GetOrAdd(m.Topic, _ => new()).Enqueue((JsonNode.Parse(m.ConvertPayloadToString())!, m.Retain));

        public IReadOnlyList<(JsonNode Body, bool Retain)> On(string topic) => _got.TryGetValue(topic, out var q) ? q.ToList() : [];

        public Task UntilAsync(Func<Watcher, bool> done, string what) => Edge.TestKit.Wait.Until(() => done(this), TimeSpan.FromSeconds(10), what);
    }

    [Fact]
    public async Task A_stored_alert_is_published_live_on_its_rule_and_key_topic_and_a_later_subscriber_gets_each_key_s_current_state_retained()
    {
        await using var rig = await LocalRig.StartAsync(rules: Rules);
        await using var dash = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var live = new Watcher(dash);
        Assert.Equal(MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1, await dash.SubscribeAsync("edge/gw1/alerts/spo2-low/+"));

        long start1 = Ms(T0.AddSeconds(-30)), start2 = Ms(T0.AddSeconds(-10));
        await StoredAlerts.AppendAsync(rig.Log, "spo2-low", "spo2-bed1", raised: true, T0, start1, episode: 1);
        await StoredAlerts.AppendAsync(rig.Log, "spo2-low", "spo2-bed2", raised: true, T0.AddSeconds(5), start2, episode: 1);
        await StoredAlerts.AppendAsync(rig.Log, "spo2-low", "spo2-bed1", raised: false, T0.AddSeconds(40), start1, episode: 1);
        await StoredAlerts.AppendAsync(rig.Log, "fever", "temp-bed1", raised: true, T0.AddSeconds(50), start1, episode: 1);

        // Live: every event of the subscribed rule, in the order stored; the other rule's not.
        await live.UntilAsync(w => w.On("edge/gw1/alerts/spo2-low/spo2-bed1").Count == 2 && w.On("edge/gw1/alerts/spo2-low/spo2-bed2").Count == 1,
            "the three spo2-low events arrived");
        var bed1 = live.On("edge/gw1/alerts/spo2-low/spo2-bed1");
        Assert.Equal(["raised", "cleared"], bed1.Select(m => m.Body["state"]!.GetValue<string>()));
        Assert.Equal($"spo2-low/spo2-bed1/{start1}/cleared", bed1[1].Body["idempotencyKey"]!.GetValue<string>());
        Assert.Equal("spo2-low", bed1[0].Body["rule"]!.GetValue<string>());
        Assert.Equal("spo2-bed1", bed1[0].Body["key"]!.GetValue<string>());
        Assert.Equal(T0, bed1[0].Body["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(87, bed1[0].Body["values"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "spo2")!["value"]!.GetValue<double>());

        // A dashboard that subscribes now gets the current state of every rule and key, retained: bed1 cleared, bed2
        // and temp-bed1 raised — one message per key, not the history.
        await using var late = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var retained = new Watcher(late);
        await late.SubscribeAsync("edge/gw1/alerts/#");
        await retained.UntilAsync(w => w.On("edge/gw1/alerts/fever/temp-bed1").Count == 1 && w.On("edge/gw1/alerts/spo2-low/spo2-bed1").Count == 1
            && w.On("edge/gw1/alerts/spo2-low/spo2-bed2").Count == 1, "the three retained states arrived");
        var state1 = retained.On("edge/gw1/alerts/spo2-low/spo2-bed1").Single();
        Assert.True(state1.Retain);
        Assert.Equal("cleared", state1.Body["state"]!.GetValue<string>());
        Assert.Equal("raised", retained.On("edge/gw1/alerts/spo2-low/spo2-bed2").Single().Body["state"]!.GetValue<string>());
        Assert.Equal("raised", retained.On("edge/gw1/alerts/fever/temp-bed1").Single().Body["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task After_a_restart_the_retained_alert_topics_are_rebuilt_from_the_log()
    {
        var dir = new Edge.TestKit.TempDir();
        long start = Ms(T0.AddSeconds(-30));
        await using (var first = await LocalRig.StartAsync(rules: Rules, dir: dir, keepDirectory: true))
        {
            await StoredAlerts.AppendAsync(first.Log, "spo2-low", "spo2-bed1", raised: true, T0, start, episode: 1);
            await StoredAlerts.AppendAsync(first.Log, "spo2-low", "spo2-bed1", raised: false, T0.AddSeconds(40), start, episode: 1);
            await StoredAlerts.AppendAsync(first.Log, "spo2-low", "spo2-bed1", raised: true, T0.AddMinutes(5), Ms(T0.AddMinutes(4)), episode: 2);
        }
        // The broker keeps retained messages in memory only: a new process must rebuild them from the log.
        await using var rig = await LocalRig.StartAsync(rules: Rules, dir: dir);
        await using var c = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        var watcher = new Watcher(c);
        await c.SubscribeAsync("edge/gw1/alerts/+/+");
        await watcher.UntilAsync(w => w.On("edge/gw1/alerts/spo2-low/spo2-bed1").Count == 1, "the retained state arrived");
        var state = watcher.On("edge/gw1/alerts/spo2-low/spo2-bed1").Single();
        Assert.True(state.Retain);
        Assert.Equal("raised", state.Body["state"]!.GetValue<string>());
        Assert.Equal(2, state.Body["episode"]!.GetValue<long>());
    }
}
