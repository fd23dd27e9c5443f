using Edge.Readings;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>
/// A scripted sensor: each read returns the script's value, throws when it says the device is gone (null), and has
/// nothing new when it says NaN.
/// </summary>
internal sealed class ScriptedSensor(Func<int, double?> script) : ISensor
{
    public int Reads { get; private set; }

    public string Id => "s1";

    public string Kind => ReadingKinds.HeartRate;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        int n = Reads++;
        double v = script(n) ?? throw new IOException("NACK from 0x57");
        values = double.IsNaN(v) ? [] : [new ReadingValue("bpm", v, "/min")];
        return !double.IsNaN(v);
    }

    public void Dispose() { }
}

/// <summary>Runs a sampler on fake time and steps it one tick at a time, waiting on its tick events.</summary>
internal sealed class SamplerHarness : IAsyncDisposable
{
    private readonly SemaphoreSlim _ticks = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public SamplerHarness(ISensor sensor, SamplerOptions options, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        Sampler = new SensorSampler(sensor, options, Time, NullLogger.Instance);
        Sampler.TickHandled += _ => _ticks.Release();
        Interval = options.Interval;
        _run = Sampler.RunAsync(_stop.Token);
    }

    public FakeTimeProvider Time { get; }

    public SensorSampler Sampler { get; }

    public TimeSpan Interval { get; }

    /// <summary>Advances one interval and waits until the sampler has handled that tick.</summary>
    public async Task Tick(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            Time.Advance(Interval);
            Assert.True(await _ticks.WaitAsync(TimeSpan.FromSeconds(10)), "the sampler did not handle a tick");
        }
    }

    public Task<bool> WaitTick(TimeSpan timeout) => _ticks.WaitAsync(timeout);

    public List<Reading> Drain()
    {
        var list = new List<Reading>();
        while (Sampler.Readings.TryRead(out var r)) list.Add(r);
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
