using Edge.Readings;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Ads1115;

/// <summary>
/// An analog pulse sensor (PulseSensor.com "Amped" or similar, 0-3.3 V) on an ADS1115 input as a sampled sensor
/// (kind health.heart_rate, values bpm and the last beat interval ibi in s). Every tick reads one voltage through the
/// real Iot.Device.Ads1115 binding in continuous mode and feeds a <see cref="PulseBeatDetector"/>; a reading is
/// produced at each beat once <see cref="MinimumBeats"/> plausible intervals (30-220 bpm) are in hand, the rate being
/// the mean of the last <see cref="AveragedBeats"/>. The first <see cref="SettlingBeats"/> intervals after the pulse
/// is (re)acquired are dropped: until the adaptive threshold has seen a full pulse it can trip on the dicrotic wave. Sample at 100 Hz or more with the ADC converting faster
/// (250 SPS by default). With no finger on the sensor there is no pulse and no reading.
/// </summary>
public sealed class AnalogPulseSensor(string id, Iot.Device.Ads1115.Ads1115 adc, TimeProvider time, double minimumAmplitudeVolts = 0.1) : ISensor
{
    public const int MinimumBeats = 4;
    public const int AveragedBeats = 8;
    public const int SettlingBeats = 2;

    private readonly PulseBeatDetector _detector = new(minimumAmplitudeVolts);
    private readonly Queue<TimeSpan> _intervals = new();
    private DateTimeOffset _lastBeat;
    private int _settling;

    public string Id { get; } = id;

    public string Kind => ReadingKinds.HeartRate;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        var now = time.GetUtcNow();
        double volts = adc.ReadVoltage().Volts;
        if (now - _lastBeat > TimeSpan.FromSeconds(2.5) && _intervals.Count + _settling > 0)
        {
            _intervals.Clear(); // the pulse was lost: start again
            _settling = 0;
        }
        if (_detector.Add(now, volts) is not { } interval) return false;
        _lastBeat = now;
        if (interval.TotalSeconds is < 60.0 / 220 or > 60.0 / 30 || _settling++ < SettlingBeats) return false;
        _intervals.Enqueue(interval);
        while (_intervals.Count > AveragedBeats) _intervals.Dequeue();
        if (_intervals.Count < MinimumBeats) return false;
        double bpm = 60 / _intervals.Average(i => i.TotalSeconds);
        values = [new("bpm", Math.Round(bpm, 1), "/min"), new("ibi", Math.Round(interval.TotalSeconds, 3), "s")];
        return true;
    }

    public void Dispose()
    {
        try
        {
            adc.Dispose();
        }
        catch (IOException)
        {
            // The binding's Dispose writes the config register (and retries for 300 ms); a device that stopped
            // answering cannot be powered down and need not be. The sampler already saw the fault that got us here.
        }
    }
}
