using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Devices.Mpu6050;
using Edge.FirmwareSim.Scenarios;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Mpu6050;
using Iot.Device.Imu;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>
/// The health and environment sensors built from the catalog on firmware-sim's board — real bindings on register
/// models driven by the scenario's patient and weather — against the scenario's ground truth.
/// </summary>
public class HealthScenarioTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan M = TimeSpan.FromMinutes(1);

    private static (SimulatedBoard Board, FakeTimeProvider Time) Board(Scenario scenario, DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? Midnight);
        var world = new ScenarioWorld(scenario, 42, time.GetUtcNow());
        time.SetUtcNow(world.Start);
        return (new SimulatedBoard(time, world), time);
    }

    private static Scenario Named(string name)
    {
        Assert.True(ScenarioCatalog.TryGet(name, out var s));
        return s;
    }

    private static List<(DateTimeOffset At, IReadOnlyList<ReadingValue> Values)> Run(ISensor sensor, FakeTimeProvider time, TimeSpan interval, TimeSpan duration)
    {
        var readings = new List<(DateTimeOffset, IReadOnlyList<ReadingValue>)>();
        for (long i = 0, n = duration.Ticks / interval.Ticks; i < n; i++)
        {
            time.Advance(interval);
            if (sensor.TryRead(out var values)) readings.Add((time.GetUtcNow(), values));
        }
        return readings;
    }

    private static DateTimeOffset Impact(IReadOnlyList<ReadingValue> values) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)values.Single(v => v.Name == "impact_unix_ms").Value);

    [Theory]
    [InlineData("fall", 3)]
    [InlineData("default", 125)]
    public void Every_fall_of_the_scenario_is_detected_once_through_the_MPU6050_model_and_the_real_binding(string scenario, int minutes)
    {
        var (board, time) = Board(Named(scenario));
        var spec = ScenarioTests.Spec("fall-bed1", new SensorDefinition { Type = "mpu6050", Site = "bed1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var falls = Run(sensor, time, spec.Sampling.Interval, TimeSpan.FromMinutes(minutes));
        var truth = board.World.Patient("bed1").FallsUntil(time.GetUtcNow() - TimeSpan.FromSeconds(5)).ToList();
        Assert.NotEmpty(truth);
        Assert.Equal(truth.Count, falls.Count);
        foreach (var (fall, impact) in falls.Zip(truth))
        {
            Assert.InRange((Impact(fall.Values) - impact).TotalSeconds, -0.05, 0.05);
            Assert.InRange(fall.Values.Single(v => v.Name == "peak").Value, 3.4, 3.6);
            Assert.InRange((fall.At - impact).TotalSeconds, 2, 4.5); // reported once the patient has lain still for 2 s
        }
        Assert.Equal(ReadingKinds.Fall, sensor.Kind);
    }

    [Fact]
    public void A_simulated_day_of_normal_activity_raises_no_fall_alarm_through_the_MPU6050()
    {
        // A day on the ward: rest, a 10-minute walk every hour and a 30-minute brisk walk twice a day; no falls.
        var walks = Enumerable.Range(0, 24).Select(h => (TimeSpan.FromHours(h) + 20 * M, 10 * M, 95.0))
            .Concat([(TimeSpan.FromHours(9.5), 30 * M, 120.0), (TimeSpan.FromHours(16.5), 30 * M, 120.0)]).ToList();
        var scenario = new Scenario { Name = "ward-day", Description = "normal activity", Health = new HealthProfile { Exercise = walks } };
        // Four six-hour quarters in parallel (2 cores; ~4.3 M samples), each its own chip and binding on the same
        // patient. The model is wired as SimulatedBoard wires it, but without the board: its GPIO pump's 5 ms timer
        // would fire four times a sample on the fake clock.
        var alarms = Enumerable.Range(0, 4).AsParallel().SelectMany(quarter =>
        {
            var world = new ScenarioWorld(scenario, 42, Midnight);
            var time = new ManualClock(world.Start + TimeSpan.FromHours(6 * quarter));
            var chip = new Mpu6050Simulator(time) { AccelerationModel = world.Patient("bed1").Acceleration };
            using var sensor = new FallDetectionSensor("fall-bed1", new Mpu6050AccelerationSource(new Mpu6050(chip)), new FallDetectorOptions(), time);
            var falls = new List<DateTimeOffset>();
            for (int i = 0; i < 6 * 3600 * 50; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                if (sensor.TryRead(out _)) falls.Add(time.GetUtcNow());
            }
            return falls;
        }).ToList();
        Assert.Empty(alarms);
    }

    [Fact]
    public void The_ADS1115_pulse_sensor_follows_the_patients_heart_rate_through_exercise_within_3_bpm()
    {
        var (board, time) = Board(Named("exercise"));
        var spec = ScenarioTests.Spec("pulse-bed1", new SensorDefinition { Type = "ads1115-pulse", Site = "bed1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var patient = board.World.Patient("bed1");
        var readings = Run(sensor, time, spec.Sampling.Interval, 11 * M);
        foreach (var at in new[] { board.World.Start + 1.5 * M, board.World.Start + 10.5 * M }) // rest, then steady exercise
        {
            var (t, values) = readings.Last(r => r.At <= at);
            double truth = patient.HeartRate(t - TimeSpan.FromSeconds(3)); // the mean of the last 8 beats
            Assert.InRange(values.Single(v => v.Name == "bpm").Value, truth - 3, truth + 3);
        }
        Assert.True(readings.Count > 800, $"{readings.Count} beats reported");
    }

    [Fact]
    public void The_MLX90614_reports_the_fever_of_the_fever_scenario_within_0_1_degree()
    {
        var (board, time) = Board(Named("fever"));
        var spec = ScenarioTests.Spec("temp-bed1", new SensorDefinition { Type = "mlx90614", Site = "bed1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var patient = board.World.Patient("bed1");
        var body = new List<double>();
        foreach (var after in new[] { 5 * M, 60 * M, 4 * 60 * M, 8 * 60 * M + 30 * M })
        {
            time.SetUtcNow(board.World.Start + after);
            Assert.True(sensor.TryRead(out var values));
            body.Add(values.Single(v => v.Name == "body").Value);
            Assert.Equal(patient.BodyTemperature(time.GetUtcNow()), body[^1], 0.1);
            Assert.Equal(board.World.Weather.IndoorCelsius(time.GetUtcNow()), values.Single(v => v.Name == "ambient").Value, 0.02);
        }
        Assert.InRange(body[2], 39.1, 39.7); // the fever's plateau: peak 39.4 ± 0.2 through the day, read within 0.1
        Assert.InRange(body[0], 36.5, 37.2);
    }

    [Fact]
    public void The_BME280_reports_the_scenarios_weather()
    {
        var (board, time) = Board(Named("stopped-vehicle"));
        var spec = ScenarioTests.Spec("env-1", new SensorDefinition { Type = "bme280" });
        using var sensor = spec.Type.Create(spec, board, time);
        var readings = Run(sensor, time, spec.Sampling.Interval, 5 * M);
        Assert.Equal(30, readings.Count);
        var weather = board.World.Weather;
        foreach (var (at, values) in readings)
        {
            Assert.Equal(weather.TemperatureCelsius(at), values.Single(v => v.Name == "temperature").Value, 0.02);
            Assert.Equal(weather.PressurePascals(at) / 100, values.Single(v => v.Name == "pressure").Value, 0.04);
            Assert.Equal(weather.HumidityPercent(at), values.Single(v => v.Name == "humidity").Value, 0.05);
        }
    }

    [Theory]
    [InlineData("mlx90614", 10_000)]
    [InlineData("mpu6050", 20)]
    [InlineData("ads1115-pulse", 8)]
    [InlineData("bme280", 10_000)]
    public void A_scenario_disconnect_makes_the_sensor_throw_IOException_until_it_ends(string type, int intervalMs)
    {
        var scenario = new Scenario { Name = "unplugged", Description = "the sensor disconnects for a minute", Faults = [new Fault("s-1", FaultKind.Disconnect, M, M)] };
        var (board, time) = Board(scenario);
        var spec = ScenarioTests.Spec("s-1", new SensorDefinition { Type = type, Site = "bed1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var interval = TimeSpan.FromMilliseconds(intervalMs);
        var before = Run(sensor, time, interval, M - interval);
        time.SetUtcNow(board.World.Start + 1.5 * M);
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
        time.SetUtcNow(board.World.Start + 2.5 * M);
        // The same driver answers again once the fault ends: it gives readings as before the fault (no exception
        // alone would also pass for a sensor that returns false forever).
        var after = Run(sensor, time, interval, M - interval);
        if (type == "mpu6050") return; // reports falls only, none in this scenario: reading without IOException is all there is to see
        Assert.True(before.Count > 0, $"{type}: no readings before the fault");
        Assert.InRange(after.Count, before.Count * 0.8, before.Count * 1.2 + 1);
        Assert.Equal(before.SelectMany(r => r.Values.Select(v => (v.Name, v.Unit))).Distinct().Order(), after.SelectMany(r => r.Values.Select(v => (v.Name, v.Unit))).Distinct().Order());
    }
}
