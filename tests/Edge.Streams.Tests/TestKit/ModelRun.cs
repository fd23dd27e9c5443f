using Edge.FirmwareSim.Scenarios;
using Edge.Readings;

namespace Edge.Streams.Tests.TestKit;

/// <summary>
/// Readings straight from a scenario's physical model (the patient, the lane, the weather), at the shipped sensors'
/// report rates and roundings, for spans the register models cannot cover in a test's time (they simulate a few
/// hundred reads a second: a day of them would take hours on CI). The bindings are tested against the same models in
/// Edge.Sensors.Tests; here the question is only what the rules make of the signals.
/// </summary>
internal static class ModelRun
{
    /// <summary>Readings (topic, reading) in time order: SpO2 and pulse every second, body and room temperature every 10 s,
    /// lane occupancy and presence every 10 s (from 20 Hz samples, as the VL53L0X presence detector reports), falls when they happen.</summary>
    public static IEnumerable<(string Topic, Reading Reading)> Readings(ScenarioWorld world, TimeSpan duration)
    {
        var patient = world.Patient("bed1");
        var lane = world.Lane("lane1");
        var falls = new Queue<DateTimeOffset>(patient.FallsUntil(world.Start + duration));
        int occupiedSamples = 0, samples = 0;
        for (long ms = 50; ms <= duration.TotalMilliseconds; ms += 50)
        {
            var t = world.Start.AddMilliseconds(ms);
            samples++;
            if (lane.Occupied(t)) occupiedSamples++;
            while (falls.Count > 0 && falls.Peek().AddSeconds(3) <= t) // reported once the patient lay still for 2 s
            {
                var f = falls.Dequeue();
                yield return ("health", new Reading("fall-bed1", ReadingKinds.Fall, t, [new("count", 1, "{fall}"), new("impact_unix_ms", f.ToUnixTimeMilliseconds(), "ms")]));
            }
            if (ms % 1000 == 0)
                yield return ("health", new Reading("spo2-bed1", ReadingKinds.SpO2, t, [new("spo2", Math.Round(patient.SpO2(t), 1), "%"), new("bpm", Math.Round(patient.HeartRate(t)), "/min")]));
            if (ms % 10_000 == 0)
            {
                yield return ("health", new Reading("temp-bed1", ReadingKinds.BodyTemperature, t, [new("body", Math.Round(patient.BodyTemperature(t), 2), "Cel")]));
                var weather = world.Faults.InputTime("env-1", t);
                yield return ("environment", new Reading("env-1", ReadingKinds.Environment, t,
                    [new("temperature", Math.Round(world.Weather.TemperatureCelsius(weather), 2), "Cel"), new("pressure", Math.Round(world.Weather.PressurePascals(weather) / 100, 2), "hPa"), new("humidity", Math.Round(world.Weather.HumidityPercent(weather), 2), "%")]));
                yield return ("traffic", new Reading("tof-lane1", ReadingKinds.TrafficOccupancy, t,
                    [new("occupancy", Math.Round(100.0 * occupiedSamples / samples, 2), "%"), new("present", lane.Occupied(t) ? 1 : 0, "1")]));
                occupiedSamples = samples = 0;
            }
        }
    }
}
