using Edge.Readings;

namespace Edge.Sensors.Tests;

/// <summary>
/// A sensor of a simulated board that notes which thread read it: each read returns its script's value (the read
/// count by default) or throws <see cref="IOException"/> when the script says the device is gone (null), or throws
/// <see cref="Unexpected"/>'s exception (a driver bug); with a <see cref="Gate"/>, a read waits for it.
/// </summary>
internal sealed class BoardSensor(string id, Func<int, double?>? script = null) : ISensor
{
    private readonly List<(int ThreadId, string? ThreadName)> _reads = [];

    public string Id => id;

    public string Kind => ReadingKinds.HeartRate;

    public Func<Exception>? Unexpected { get; init; }

    /// <summary>When set, each read waits for it (a device that takes its time answering, like an HC-SR04's echo).</summary>
    public ManualResetEventSlim? Gate { get; init; }

    /// <summary>Released as each read begins, before any gate: tests wait on it rather than on time.</summary>
    public SemaphoreSlim ReadsBegun { get; } = new(0);

    /// <summary>The thread of every read so far, in order.</summary>
    public IReadOnlyList<(int ThreadId, string? ThreadName)> Reads
    {
        get { lock (_reads) return [.. _reads]; }
    }

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        int n;
        lock (_reads)
        {
            n = _reads.Count;
            _reads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
        }
        ReadsBegun.Release();
        if (Unexpected is { } unexpected) throw unexpected();
        if (Gate is { } gate && !gate.Wait(TimeSpan.FromSeconds(30))) throw new IOException($"{id}: the test never opened the gate");
        double v = (script is null ? n : script(n)) ?? throw new IOException($"NACK from {id}");
        values = [new ReadingValue("v", v, "")];
        return true;
    }

    public void Dispose() { }
}
