using Edge.Readings;
using Iot.Device.Bmxx80.ReadResult;

namespace Edge.Sensors.Devices.Bme280;

/// <summary>
/// A BME280 through the real Iot.Device.Bmxx80 binding as a sampled sensor (kind environment, values temperature in
/// °C, pressure in hPa, humidity in %). The binding's defaults are the datasheet's "weather monitoring" settings
/// (BST-BME280-DS002 §3.5.1: ×1 oversampling, filter off, forced mode): each read triggers one conversion and the
/// binding sleeps the measurement time (about 21 ms) before reading it. A channel the chip did not convert gives
/// no reading rather than a partial one.
/// </summary>
public sealed class Bme280Sensor(string id, Iot.Device.Bmxx80.Bme280 binding) : ISensor
{
    public string Id { get; } = id;

    public string Kind => ReadingKinds.Environment;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        Bme280ReadResult r = binding.Read();
        if (r.Temperature is not { } t || r.Pressure is not { } p || r.Humidity is not { } h) return false;
        values =
        [
            new("temperature", Math.Round(t.DegreesCelsius, 2), "Cel"),
            new("pressure", Math.Round(p.Hectopascals, 2), "hPa"),
            new("humidity", Math.Round(h.Percent, 2), "%"),
        ];
        return true;
    }

    public void Dispose() => binding.Dispose();
}
