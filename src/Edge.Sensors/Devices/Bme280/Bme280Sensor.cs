using Edge.Readings;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace Edge.Sensors.Devices.Bme280;

/// <summary>
/// A BME280 through the real Iot.Device.Bmxx80 binding as a sampled sensor (kind environment, values temperature in
/// °C, pressure in hPa, humidity in %). The binding's defaults (×1 oversampling, filter off) are the datasheet's
/// weather-monitoring settings (BST-BME280-DS002 §3.5.1). The chip runs in normal mode with t_standby = 1 s
/// (§3.3.4), so a read takes only the register transfers and returns a conversion at most about a second old; the
/// binding's forced-mode <c>Read()</c> would instead block the sampler thread for its fixed wait. Until the first
/// conversion has ended (the measurement time after start) the data registers hold their reset values, so nothing
/// is reported.
/// </summary>
public sealed class Bme280Sensor : ISensor
{
    private readonly Iot.Device.Bmxx80.Bme280 _binding;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _firstConversion;

    public Bme280Sensor(string id, Iot.Device.Bmxx80.Bme280 binding, TimeProvider time)
    {
        Id = id;
        _binding = binding;
        _time = time;
        _binding.StandbyTime = StandbyTime.Ms1000;
        _binding.SetPowerMode(Bmx280PowerMode.Normal);
        _firstConversion = time.GetUtcNow() + TimeSpan.FromMilliseconds(binding.GetMeasurementDuration());
    }

    public string Id { get; }

    public string Kind => ReadingKinds.Environment;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        if (_time.GetUtcNow() < _firstConversion) return false;
        if (!_binding.TryReadTemperature(out var t) || !_binding.TryReadPressure(out var p) || !_binding.TryReadHumidity(out var h)) return false;
        values =
        [
            new("temperature", Math.Round(t.DegreesCelsius, 2), "Cel"),
            new("pressure", Math.Round(p.Hectopascals, 2), "hPa"),
            new("humidity", Math.Round(h.Percent, 2), "%"),
        ];
        return true;
    }

    public void Dispose() => _binding.Dispose();
}
