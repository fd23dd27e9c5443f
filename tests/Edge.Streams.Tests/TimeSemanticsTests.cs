using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

/// <summary>STREAMS.md §3: event time, per-partition watermarks, late and future readings, idle partitions.</summary>
public class TimeSemanticsTests
{
    private static readonly TopicPartition P0 = new("traffic", 0), P1 = new("traffic", 1);

    private static EngineDriver Counting(TimeSpan lateness) => new(new Dictionary<string, RuleOptions>
    {
        ["busy"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "site", Condition = "count(occupancy) >= 3", Window = "1m" },
    }, new StreamsOptions { AllowedLateness = lateness, IdleTimeout = TimeSpan.FromSeconds(30) }, new Dictionary<string, string> { ["a"] = "lane", ["b"] = "lane" });

    [Fact]
    public void Out_of_order_readings_within_the_allowed_lateness_count_in_their_window()
    {
        var d = Counting(TimeSpan.FromSeconds(10));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 50, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 62, ("occupancy", 1)); // watermark 52: minute 0 still open
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 55, ("occupancy", 1)); // 7 s behind: in time
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 58, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 75, ("occupancy", 1)); // watermark 65 closes minute 0
        var a = Assert.Single(d.Alerts);
        Assert.Equal(3, a.Values.Single().Value);
        Assert.Equal(0, d.Engine.Late);
    }

    [Fact]
    public void A_reading_later_than_the_lateness_is_counted_per_rule_and_partition_and_left_out()
    {
        var d = Counting(TimeSpan.FromSeconds(5));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 50, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 58, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 70, ("occupancy", 1)); // watermark 65: minute 0 closes with 2
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 59, ("occupancy", 1)); // 11 s behind the newest: late
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 130, ("occupancy", 1));
        Assert.Empty(d.Alerts);
        Assert.Equal(1, d.Engine.Late);
        Assert.Equal(1, d.Engine.Statuses.Single().Late);
    }

    [Fact]
    public void The_rule_clock_waits_for_the_slowest_partition_until_it_has_been_idle_for_the_timeout()
    {
        var d = Counting(TimeSpan.Zero);
        d.FollowReadings = false; // a backlog: event time runs ahead while the gateway's clock stands
        d.Now = EngineDriver.T0.AddSeconds(1).ToUnixTimeMilliseconds();
        d.Read(P1, "b", ReadingKinds.TrafficOccupancy, 1, ("occupancy", 1));  // partition 1 speaks once, at 1 s
        for (int s = 2; s < 100; s += 10) d.Read(P0, "a", ReadingKinds.TrafficOccupancy, s, ("occupancy", 1));
        // Partition 1's watermark (1 s) holds the clock: minute 0 of lane is not closed although partition 0 is at 92 s.
        Assert.Empty(d.Alerts);
        Assert.Equal(EngineDriver.T0.AddSeconds(1).ToUnixTimeMilliseconds(), d.Engine.Clock);
        // 30 s of processing time later partition 1 counts as idle and no longer holds the clock back.
        d.Now = EngineDriver.T0.AddSeconds(1 + 31).ToUnixTimeMilliseconds();
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 102, ("occupancy", 1));
        var a = Assert.Single(d.Alerts);
        Assert.Equal(7, a.Values.Single().Value); // 1 from b and 6 from a in minute 0
    }

    [Fact]
    public void When_every_partition_is_idle_the_gateway_clock_moves_time_so_silence_is_seen()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["silent"] = new() { Type = "absence", Missed = 3, Interval = "10s" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) });
        for (int s = 0; s <= 50; s += 10) d.Read("temp-1", ReadingKinds.BodyTemperature, s, ("body", 37));
        d.Tick(70);
        Assert.Empty(d.Alerts); // 20 s idle: not yet
        d.Tick(95); // idle: the clock is now - 30 s = 65 s... the last reading + 30 s = 80 s is not passed
        Assert.Empty(d.Alerts);
        d.Tick(111);
        var a = Assert.Single(d.Alerts);
        Assert.Equal((true, 80.0), (a.Raised, EngineDriver.Seconds(a.At)));
    }

    [Fact]
    public void A_clock_stepped_into_the_future_does_not_move_time_and_is_counted()
    {
        var d = Counting(TimeSpan.FromSeconds(5));
        d.FollowReadings = false;
        d.Now = EngineDriver.T0.AddSeconds(100).ToUnixTimeMilliseconds();
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 10, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 10 + 86_400, ("occupancy", 1)); // a node's clock a day ahead
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 20, ("occupancy", 1)); // still in time: the future one moved nothing
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 30, ("occupancy", 1));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 70, ("occupancy", 1));
        Assert.Equal(1, d.Engine.Future);
        Assert.Equal(0, d.Engine.Late);
        Assert.Equal(3, Assert.Single(d.Alerts).Values.Single().Value);
    }

    [Fact]
    public void A_clock_stepped_back_makes_the_readings_late_until_it_catches_up()
    {
        var d = Counting(TimeSpan.FromSeconds(5));
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 100, ("occupancy", 1));
        for (int s = 40; s < 100; s += 10) d.Read(P0, "a", ReadingKinds.TrafficOccupancy, s, ("occupancy", 1)); // stepped back 60 s
        Assert.Equal(6, d.Engine.Late);
        d.Read(P0, "a", ReadingKinds.TrafficOccupancy, 101, ("occupancy", 1));
        Assert.Equal(6, d.Engine.Late);
    }
}
