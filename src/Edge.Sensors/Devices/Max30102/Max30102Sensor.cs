using Edge.Readings;

namespace Edge.Sensors.Devices.Max30102;

/// <summary>
/// A MAX30102 as a sampled sensor (kind health.spo2, values spo2 in % and bpm in /min): every read drains the FIFO
/// into a rolling window and computes both from its last <see cref="Window"/>. Until the window holds three seconds
/// of pulse — or while no finger is on the sensor — there is nothing to report (no reading is invented).
/// Sample it at least every 320 ms at 100 samples/s so the 32-sample FIFO does not overflow.
/// </summary>
public sealed class Max30102Sensor(string id, Max30102 driver) : ISensor
{
    private readonly Queue<PpgSample> _window = new();
    private readonly PpgSample[] _buffer = new PpgSample[32];

    public static TimeSpan Window { get; } = TimeSpan.FromSeconds(4);

    public string Id { get; } = id;

    public string Kind => ReadingKinds.SpO2;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        int n;
        while ((n = driver.ReadFifo(_buffer)) > 0)
        {
            for (int i = 0; i < n; i++) _window.Enqueue(_buffer[i]);
            if (n < _buffer.Length) break;
        }
        int max = (int)(Window.TotalSeconds * driver.SampleRate);
        while (_window.Count > max) _window.Dequeue();
        if (!PulseOximetry.TryCompute(_window.ToArray(), driver.SampleRate, out double bpm, out double spo2)) return false;
        values = [new("spo2", Math.Round(spo2, 1), "%"), new("bpm", Math.Round(bpm), "/min")];
        return true;
    }

    public void Dispose() => driver.Dispose();
}
