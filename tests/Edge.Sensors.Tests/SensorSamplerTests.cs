using Edge.Readings;
using Edge.Sensors.Sampling;

namespace Edge.Sensors.Tests;

public class SensorSamplerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Readings_follow_the_schedule_with_clock_timestamps_and_consecutive_sequence_numbers()
    {
        await using var h = new SamplerHarness(new ScriptedSensor(n => 60 + n), new SamplerOptions { Interval = Interval });
        var start = h.Time.GetUtcNow();
        await h.Tick(10);
        var readings = h.Drain();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), readings.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => start + Interval * i), readings.Select(r => r.Timestamp));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 60.0 + i), readings.Select(r => r["bpm"]!.Value.Value));
        Assert.All(readings, r => Assert.Equal(ReadingQuality.Ok, r.Quality));
        Assert.Equal(SensorState.Ok, h.Sampler.Status.State);
    }

    [Fact]
    public async Task A_device_that_stops_answering_is_degraded_retried_with_backoff_and_recovers_without_invented_readings()
    {
        // Reads 3..9 fail (the device is unplugged), then it answers again.
        var sensor = new ScriptedSensor(n => n is >= 3 and < 10 ? null : n);
        await using var h = new SamplerHarness(sensor, new SamplerOptions { Interval = Interval, MaxBackoffTicks = 8 });
        await h.Tick(3);
        Assert.Equal(3, h.Drain().Count);
        await h.Tick(1);
        Assert.Equal(SensorState.Degraded, h.Sampler.Status.State);
        Assert.Contains("NACK", h.Sampler.Status.LastError);
        await h.Tick(60);
        var after = h.Drain();
        Assert.Equal(SensorState.Ok, h.Sampler.Status.State);
        Assert.Equal(7, h.Sampler.Status.Failures);
        // Backoff: the 7 failed attempts came at ticks 4, 5, 7, 11, 19, 27, 35 (gaps 1, 2, 4, 8, 8, 8), the first success at 43.
        Assert.Equal(10 + after.Count, sensor.Reads);
        Assert.Equal(64 - 43 + 1, after.Count);
        // No reading was invented while the device was gone: values and sequence numbers continue where they stopped.
        Assert.Equal(10.0, after[0]["bpm"]!.Value.Value);
        Assert.Equal(Enumerable.Range(3, after.Count).Select(i => (long)i), after.Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_device_with_nothing_new_produces_no_reading_and_no_sequence_gap()
    {
        await using var h = new SamplerHarness(new ScriptedSensor(n => n % 2 == 1 ? double.NaN : n), new SamplerOptions { Interval = Interval });
        await h.Tick(10);
        var readings = h.Drain();
        Assert.Equal(new double[] { 0, 2, 4, 6, 8 }, readings.Select(r => r["bpm"]!.Value.Value));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), readings.Select(r => r.Sequence));
        Assert.Equal(5, h.Sampler.Status.NotReady);
        Assert.Equal(SensorState.Ok, h.Sampler.Status.State);
    }

    [Fact]
    public async Task Drop_oldest_keeps_memory_bounded_and_counts_what_it_dropped()
    {
        await using var h = new SamplerHarness(new ScriptedSensor(n => n), new SamplerOptions { Interval = Interval, QueueCapacity = 4, Overflow = SensorOverflow.DropOldest });
        await h.Tick(20); // nobody reads: a stalled log writer
        Assert.Equal(4, h.Sampler.Readings.Count);
        Assert.Equal(16, h.Sampler.Status.Dropped);
        Assert.Equal(new long[] { 16, 17, 18, 19 }, h.Drain().Select(r => r.Sequence));
    }

    [Fact]
    public async Task Decimate_halves_the_rate_while_the_queue_is_full_and_recovers_when_it_drains()
    {
        await using var h = new SamplerHarness(new ScriptedSensor(n => n), new SamplerOptions { Interval = Interval, QueueCapacity = 4, Overflow = SensorOverflow.Decimate });
        await h.Tick(40);
        var status = h.Sampler.Status;
        Assert.Equal(4, h.Sampler.Readings.Count);
        Assert.True(status.Decimated >= 30, $"only {status.Decimated} samples were decimated");
        Assert.True(status.Readings < 12, $"the sensor kept sampling at full rate ({status.Readings} readings)");
        Assert.Equal(0, status.Dropped);
        h.Drain();
        long before = h.Sampler.Status.Readings;
        for (int i = 0; i < 64; i++)
        {
            await h.Tick(); // the log keeps up again: it drains after every tick
            h.Drain();
        }
        Assert.True(h.Sampler.Status.Readings - before > 50, $"the rate did not recover ({h.Sampler.Status.Readings - before} readings in 64 ticks)");
    }

    [Fact]
    public async Task Block_waits_for_room_drops_nothing_and_counts_the_ticks_it_missed()
    {
        await using var h = new SamplerHarness(new ScriptedSensor(n => n), new SamplerOptions { Interval = Interval, QueueCapacity = 2, Overflow = SensorOverflow.Block });
        await h.Tick(2);
        h.Time.Advance(Interval); // the third reading waits for room: the sampler is stuck in the write
        h.Time.Advance(Interval * 5);
        var first = h.Drain(); // the log catches up
        Assert.True(await h.WaitTick(TimeSpan.FromSeconds(10)));
        await h.Tick(1);
        var rest = h.Drain();
        Assert.Equal(Enumerable.Range(0, first.Count + rest.Count).Select(i => (long)i), first.Concat(rest).Select(r => r.Sequence));
        Assert.Equal(0, h.Sampler.Status.Dropped);
        Assert.True(h.Sampler.Status.MissedTicks >= 4, $"missed ticks: {h.Sampler.Status.MissedTicks}");
    }

    [Fact]
    public void Bad_sampler_options_name_the_sensor_and_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new SensorSampler(new ScriptedSensor(n => n), new SamplerOptions { QueueCapacity = 1 }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("Sensors:s1:QueueCapacity", e.Message);
    }
}
