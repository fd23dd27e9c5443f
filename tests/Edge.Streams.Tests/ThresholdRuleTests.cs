using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

public class ThresholdRuleTests
{
    private static EngineDriver Spo2() => new(new Dictionary<string, RuleOptions>
    {
        ["spo2-low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 90", For = "30s", Clear = "spo2 >= 92" },
    });

    [Fact]
    public void A_value_held_under_the_threshold_for_the_duration_raises_once_and_clears_past_the_hysteresis_band()
    {
        var d = Spo2();
        for (int s = 0; s < 20; s++) d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", 97));
        // 89/91 hovering around the threshold: under 90 for 29 s, one reading at 90.5 breaks the run.
        for (int s = 20; s < 50; s++) d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", s == 40 ? 90.5 : 89));
        Assert.Empty(d.Alerts);
        for (int s = 50; s <= 80; s++) d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", s % 2 == 0 ? 89 : 88.5));
        var raised = Assert.Single(d.Alerts);
        Assert.True(raised.Raised);
        Assert.Equal(71, EngineDriver.Seconds(raised.At)); // run began at 41 s: the 90.5 at 40 s restarted it
        Assert.Equal(41, EngineDriver.Seconds(raised.EpisodeStart));
        // Back to 91: above the threshold but inside the band, nothing; 92 clears.
        for (int s = 81; s < 100; s++) d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", s % 3 == 0 ? 89.5 : 91));
        Assert.Single(d.Alerts);
        d.Read("spo2-bed1", ReadingKinds.SpO2, 100, ("spo2", 92));
        Assert.Equal(2, d.Alerts.Count());
        var cleared = d.Alerts.Last();
        Assert.False(cleared.Raised);
        Assert.Equal(raised.EpisodeStart, cleared.EpisodeStart);
        Assert.Equal("spo2-low/spo2-bed1/" + raised.EpisodeStart + "/cleared", cleared.IdempotencyKey);
    }

    [Fact]
    public void Keys_are_independent_and_a_reading_without_the_field_changes_nothing()
    {
        var d = Spo2();
        for (int s = 0; s <= 30; s++)
        {
            d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", 85));
            d.Read("spo2-bed2", ReadingKinds.SpO2, s, ("spo2", s == 15 ? 95 : 85));
            d.Read("spo2-bed1", ReadingKinds.SpO2, s + 0.5, ("bpm", 70)); // no spo2 value: neither breaks nor extends the run
        }
        var a = Assert.Single(d.Alerts);
        Assert.Equal("spo2-bed1", a.Key);
    }

    [Fact]
    public void An_alert_is_a_reading_the_log_and_the_uplink_carry_like_any_other()
    {
        var d = Spo2();
        for (int s = 0; s <= 30; s++) d.Read("spo2-bed1", ReadingKinds.SpO2, s, ("spo2", 88));
        var e = Assert.Single(d.Output);
        Assert.Equal("alerts", e.Topic);
        Assert.Equal("alert.spo2_low", e.Reading.Kind);
        Assert.Equal("spo2-bed1", e.Reading.SensorId);
        Assert.Equal(1, e.Reading["state"]!.Value.Value);
        Assert.Equal(88, e.Reading["spo2"]!.Value.Value);
        var decoded = ReadingBinaryCodec.Decode(ReadingBinaryCodec.Encode(e.Reading));
        var back = Edge.Streams.Alerts.AlertEvent.FromReading(decoded);
        Assert.NotNull(back);
        Assert.Equal(e.Alert, back with { Values = e.Alert!.Values });
        Assert.Equal(e.Alert.IdempotencyKey, back.IdempotencyKey);
    }
}
