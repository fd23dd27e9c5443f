using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>
/// Several samplers on one <see cref="SamplingThread"/> on fake time: steps time and waits on their tick events.
/// </summary>
internal sealed class BoardHarness : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _ticks = new(0);
    private readonly CancellationTokenSource _stop = new();

    public BoardHarness(params (ISensor Sensor, SamplerOptions Options)[] sensors)
    {
        Thread = new SamplingThread("edge-sampler", Time, NullLogger.Instance);
        foreach (var (sensor, options) in sensors)
        {
            var sampler = new SensorSampler(sensor, options, Time, NullLogger.Instance);
            sampler.TickHandled += _ => _ticks.Release();
            Thread.Add(sampler);
            Samplers.Add(sampler);
        }
        Start = Time.GetUtcNow();
        Run = Thread.RunAsync(_stop.Token);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));

    public DateTimeOffset Start { get; }

    public SamplingThread Thread { get; }

    public List<SensorSampler> Samplers { get; } = [];

    public Task Run { get; }

    /// <summary>Advances fake time and waits until the samplers have handled <paramref name="ticks"/> ticks in all.</summary>
    public async Task Advance(TimeSpan by, int ticks)
    {
        Time.Advance(by);
        for (int i = 0; i < ticks; i++) Assert.True(await _ticks.WaitAsync(Timeout), $"only {i} of {ticks} ticks were handled");
    }

    /// <summary>Stops the thread and waits for it; the task may be faulted (a sensor that failed).</summary>
    public async Task<Task> Stop()
    {
        _stop.Cancel();
        await ((Task)Run).WaitAsync(Timeout).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.True(Run.IsCompleted, "the sampling thread did not stop");
        return Run;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _stop.Dispose();
        _ticks.Dispose();
    }
}
