using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Sensors.Tests;

public class SamplingThreadTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task All_sensors_of_a_board_are_read_on_one_named_thread_that_is_not_the_callers()
    {
        var sensors = new[] { new BoardSensor("pulse"), new BoardSensor("accel"), new BoardSensor("tof") };
        await using var h = new BoardHarness(sensors.Select(s => ((ISensor)s, new SamplerOptions { Interval = Interval })).ToArray());
        for (int i = 0; i < 5; i++) await h.Advance(Interval, ticks: 3);
        var reads = sensors.SelectMany(s => s.Reads).ToList();
        Assert.Equal(15, reads.Count);
        var thread = Assert.Single(reads.Distinct());
        Assert.Equal("edge-sampler", thread.ThreadName);
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread.ThreadId);
    }

    [Fact]
    public async Task Sensors_due_at_the_same_instant_are_handled_in_one_wake_up()
    {
        var fast = TimeSpan.FromMilliseconds(100);
        await using var h = new BoardHarness(
            (new BoardSensor("a"), new SamplerOptions { Interval = fast }),
            (new BoardSensor("b"), new SamplerOptions { Interval = fast }),
            (new BoardSensor("c"), new SamplerOptions { Interval = fast * 2 }));
        // Due: a and b at every 100 ms, c at every 200 ms: 2, 3, 2, 3 ticks at the four instants.
        foreach (int ticks in new[] { 2, 3, 2, 3 }) await h.Advance(fast, ticks);
        Assert.Equal([4L, 4L, 2L], h.Samplers.Select(s => s.Status.Readings));
        Assert.Equal(4, h.Thread.Rounds); // a timer per sensor would have woken 10 times
    }

    [Fact]
    public async Task A_device_that_stops_answering_and_a_blocking_sensor_with_a_full_queue_do_not_delay_the_others_ticks()
    {
        var gone = new BoardSensor("gone", _ => null);
        var full = new BoardSensor("full");
        var steady = new BoardSensor("steady");
        await using var h = new BoardHarness(
            (gone, new SamplerOptions { Interval = Interval }),
            (full, new SamplerOptions { Interval = Interval, QueueCapacity = 2, Overflow = SensorOverflow.Block }), // nobody reads it
            (steady, new SamplerOptions { Interval = Interval }));
        for (int i = 0; i < 10; i++) await h.Advance(Interval, ticks: 3);

        var readings = new List<Edge.Readings.Reading>();
        while (h.Samplers[2].Readings.TryRead(out var r)) readings.Add(r);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => h.Start + Interval * i), readings.Select(r => r.Timestamp));
        Assert.Equal(0, h.Samplers[2].Status.MissedTicks);
        // The blocking sensor waited for room without holding the thread: two readings queued, nothing dropped, the
        // eight ticks it could not use counted as missed, and the device was not read while there was no room.
        var blocked = h.Samplers[1].Status;
        Assert.Equal((2L, 0L, 8L), (blocked.Readings, blocked.Dropped, blocked.MissedTicks));
        Assert.Equal(2, full.Reads.Count);
        // The device that is gone backed off in its own ticks: attempts at ticks 1, 2, 4 and 8.
        Assert.Equal((SensorState.Degraded, 4L), (h.Samplers[0].Status.State, h.Samplers[0].Status.Failures));
    }

    [Fact]
    public async Task A_blocking_sensor_resumes_on_the_first_tick_after_the_log_made_room_with_no_sequence_gap()
    {
        await using var h = new BoardHarness((new BoardSensor("full"), new SamplerOptions { Interval = Interval, QueueCapacity = 2, Overflow = SensorOverflow.Block }));
        for (int i = 0; i < 3; i++) await h.Advance(Interval, ticks: 1); // the third finds the queue full
        Assert.Equal(2, h.Samplers[0].Readings.Count);
        Assert.True(h.Samplers[0].Readings.TryRead(out var first)); // the log makes room
        await h.Advance(Interval, ticks: 1);
        var rest = new List<Edge.Readings.Reading>();
        while (h.Samplers[0].Readings.TryRead(out var r)) rest.Add(r);
        Assert.Equal([0L, 1L, 2L], new[] { first! }.Concat(rest).Select(r => r.Sequence));
        Assert.Equal(h.Start + Interval * 4, rest[^1].Timestamp); // read when there was room, stamped then
        Assert.Equal(1, h.Samplers[0].Status.MissedTicks);
        Assert.Equal(0, h.Samplers[0].Status.Dropped);
    }

    [Fact]
    public async Task A_sensor_that_throws_unexpectedly_is_no_longer_sampled_and_the_others_go_on()
    {
        var buggy = new BoardSensor("buggy") { Unexpected = () => new InvalidOperationException("driver bug") };
        var steady = new BoardSensor("steady");
        var h = new BoardHarness((buggy, new SamplerOptions { Interval = Interval }), (steady, new SamplerOptions { Interval = Interval }));
        await using (h)
        {
            await h.Advance(Interval, ticks: 1); // the buggy sensor's tick throws instead of completing
            for (int i = 0; i < 5; i++) await h.Advance(Interval, ticks: 1);
            Assert.Single(buggy.Reads);
            Assert.Equal(6, steady.Reads.Count);
            Assert.Equal((SensorState.Degraded, "driver bug"), (h.Samplers[0].Status.State, h.Samplers[0].Status.LastError));
            await h.Samplers[0].Readings.Completion.WaitAsync(Timeout); // the failed sensor's channel is completed: its forwarder ends
            Assert.False(h.Samplers[1].Readings.Completion.IsCompleted);
        }
        // Once stopped, the run reports what failed (the host's exit code), as the sensor's own task did before.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Run);
        Assert.Equal("driver bug", e.Message);
    }

    [Fact]
    public async Task On_the_system_clock_one_thread_samples_every_sensor_on_its_schedule_in_shared_wake_ups()
    {
        var a = new BoardSensor("a");
        var b = new BoardSensor("b");
        var thread = new SamplingThread("edge-sampler-t", TimeProvider.System, NullLogger.Instance);
        var samplers = new[] { (a, 10), (b, 20) }.Select(x => new SensorSampler(x.Item1, new SamplerOptions { Interval = TimeSpan.FromMilliseconds(x.Item2) }, TimeProvider.System, NullLogger.Instance)).ToList();
        long ticksA = 0, ticksB = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        samplers[0].TickHandled += _ => ticksA++;
        samplers[1].TickHandled += _ => { if (++ticksB == 10) enough.TrySetResult(); };
        foreach (var s in samplers) thread.Add(s);
        using var stop = new CancellationTokenSource();
        var run = thread.RunAsync(stop.Token);
        await enough.Task.WaitAsync(Timeout);
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        var reads = a.Reads.Concat(b.Reads).ToList();
        Assert.Equal("edge-sampler-t", Assert.Single(reads.Distinct()).ThreadName);
        // b's instants are a's (both count from the thread's start): every wake-up ran a tick of a, and b's rode along.
        Assert.Equal(ticksA, thread.Rounds);
        Assert.True(ticksB >= 10);
    }

    [Fact]
    public async Task Stopping_ends_the_thread_promptly_and_completes_every_sensors_channel()
    {
        var thread = new SamplingThread("edge-sampler", TimeProvider.System, NullLogger.Instance);
        var hourly = new SensorSampler(new BoardSensor("hourly"), new SamplerOptions { Interval = TimeSpan.FromHours(1) }, TimeProvider.System, NullLogger.Instance);
        var full = new SensorSampler(new BoardSensor("full"), new SamplerOptions { Interval = TimeSpan.FromMilliseconds(5), QueueCapacity = 2, Overflow = SensorOverflow.Block }, TimeProvider.System, NullLogger.Instance);
        var filled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Full, and a tick since found no room (counted as missed): a sensor that waited for room would hold the thread here.
        full.TickHandled += _ => { if (full.Readings.Count == 2 && full.Status.MissedTicks > 0) filled.TrySetResult(); };
        thread.Add(hourly);
        thread.Add(full);
        using var stop = new CancellationTokenSource();
        var run = thread.RunAsync(stop.Token);
        await filled.Task.WaitAsync(Timeout); // nobody reads the blocking sensor's queue
        await stop.CancelAsync(); // the next tick is an hour away for one sensor; the other has no room
        await run.WaitAsync(Timeout);
        Assert.True(hourly.Readings.Completion.IsCompleted, "the idle sensor's channel was left open");
        // What was queued is still there for the forwarder to store, and then its channel ends (the forwarder with it).
        var queued = new List<Edge.Readings.Reading>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var r in full.Readings.ReadAllAsync(timeout.Token)) queued.Add(r);
        Assert.Equal([0L, 1L], queued.Select(r => r.Sequence));
        Assert.Equal(0, full.Status.Dropped);
    }
}
