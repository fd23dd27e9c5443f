using Edge.FirmwareSim.Devices.Max30102;
using Edge.FirmwareSim.Devices.Qmc5883l;
using Edge.Readings;
using Edge.Sensors.Devices.Max30102;
using Edge.Sensors.Devices.Qmc5883l;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class DeviceSensorTests
{
    [Fact]
    public async Task A_sampled_MAX30102_reports_heart_rate_and_SpO2_once_it_has_three_seconds_of_pulse()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var chip = new Max30102Simulator(time);
        chip.SetSubject(64, 96);
        var sensor = new Max30102Sensor("spo2-bed1", new Max30102(chip, sampleRate: 100));
        await using var h = new SamplerHarness(sensor, new SamplerOptions { Interval = TimeSpan.FromMilliseconds(250) }, time);
        await h.Tick(40); // 10 s
        var readings = h.Drain();
        Assert.InRange(h.Sampler.Status.NotReady, 10, 12); // the first ~3 s: not enough signal, no reading
        Assert.Equal(40 - h.Sampler.Status.NotReady, readings.Count);
        Assert.All(readings, r =>
        {
            Assert.Equal(ReadingKinds.SpO2, r.Kind);
            Assert.InRange(r["bpm"]!.Value.Value, 61, 67);
            Assert.InRange(r["spo2"]!.Value.Value, 94, 98);
        });

        chip.FingerOff = true; // the patient takes the clip off: readings stop instead of being invented
        await h.Tick(20);
        h.Drain();
        await h.Tick(8);
        Assert.Empty(h.Drain());
    }

    [Fact]
    public async Task A_sampled_QMC5883L_reports_the_field_and_a_NACK_marks_it_degraded()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var chip = new Qmc5883lSimulator(time);
        chip.SetField(0.2, 0.05, 0.4);
        var sensor = new Qmc5883lSensor("mag-n1", new Qmc5883l(chip));
        await using var h = new SamplerHarness(sensor, new SamplerOptions { Interval = TimeSpan.FromMilliseconds(40) }, time);
        await h.Tick(5);
        var r = h.Drain();
        Assert.Equal(5, r.Count);
        Assert.All(r, x => Assert.Equal(Math.Sqrt(0.2 * 0.2 + 0.05 * 0.05 + 0.4 * 0.4), x["magnitude"]!.Value.Value, 0.002));
        chip.Disconnected = true;
        await h.Tick(3);
        Assert.Equal(SensorState.Degraded, h.Sampler.Status.State);
        chip.Disconnected = false;
        await h.Tick(8);
        Assert.Equal(SensorState.Ok, h.Sampler.Status.State);
        Assert.NotEmpty(h.Drain());
    }
}
