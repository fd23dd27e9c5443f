using Edge.Sensors.Devices.Ads1115;
using Edge.Sensors.Devices.Hcsr04;
using Edge.Sensors.Devices.Mpu6050;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class BoardSamplerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_sensor_whose_read_blocks_gets_a_thread_of_its_own_and_cannot_hold_the_boards_shared_thread()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        using var echo = new ManualResetEventSlim(false);
        var sonar = new BoardSensor("sonar") { Gate = echo }; // an HC-SR04 waiting for an echo that does not come
        var pulse = new BoardSensor("pulse");
        var accel = new BoardSensor("accel");
        var board = new BoardSampler(time, NullLogger.Instance);
        using var ticks = new SemaphoreSlim(0);
        var threads = new[] { (sonar, Hcsr04Type.Descriptor), (pulse, Ads1115PulseType.Descriptor), (accel, Mpu6050Type.Descriptor) }.Select(x =>
        {
            var sampler = new SensorSampler(x.Item1, new SamplerOptions { Interval = Interval }, time, NullLogger.Instance);
            if (x.Item1 != sonar) sampler.TickHandled += _ => ticks.Release();
            return board.Add(sampler, x.Item2);
        }).ToList();
        Assert.Equal(["edge-sampler-sonar", "edge-sampler", "edge-sampler"], threads.Select(t => t.Name));
        Assert.Same(threads[1], threads[2]);

        using var stop = new CancellationTokenSource();
        var run = board.RunAsync(stop.Token);
        for (int i = 0; i < 5; i++)
        {
            time.Advance(Interval);
            for (int k = 0; k < 2; k++) Assert.True(await ticks.WaitAsync(Timeout), $"the shared thread stalled at tick {i + 1}");
        }
        // Its own thread may be scheduled after the shared one has run all five ticks; its first read begins whenever it
        // runs (the schedule counts from RunAsync), and then waits for an echo that does not come.
        Assert.True(await sonar.ReadsBegun.WaitAsync(Timeout), "the sonar's thread never read");
        Assert.Single(sonar.Reads); // still waiting for its first echo
        Assert.Equal((5, 5), (pulse.Reads.Count, accel.Reads.Count));
        echo.Set();
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }
}
