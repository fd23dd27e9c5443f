using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Devices.Hcsr501;
using Edge.FirmwareSim.Gpio;
using Edge.Readings;
using Edge.Sensors.Devices.Hcsr501;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class Hcsr501SensorTests
{
    [Fact]
    public void Motion_events_and_active_share_follow_the_PIR_hold_and_block_times()
    {
        var start = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var driver = new SimulatedGpioDriver();
        using var gpio = new System.Device.Gpio.GpioController(driver);
        using var pump = new GpioSignalPump(time, driver, TimeSpan.FromMilliseconds(5));
        bool Between(DateTimeOffset t, double from, double to) => t >= start.AddSeconds(from) && t < start.AddSeconds(to);
        // Motion at 1.0-1.5 s and 2.0-2.2 s (one episode: retriggered within the hold), 5.0 s (inside the 2.5 s block
        // after the output falls at 4.7 s: not seen), 10.0-10.5 s (a second episode).
        var pir = new PirOutput(t => Between(t, 1.0, 1.5) || Between(t, 2.0, 2.2) || Between(t, 5.0, 5.1) || Between(t, 10.0, 10.5));
        pump.Attach(17, pir.At);
        using var sensor = new Hcsr501Sensor("pir-1", gpio, 17, time);
        for (int i = 0; i < 4000; i++) time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.True(sensor.TryRead(out var values));
        Assert.Equal(ReadingKinds.TrafficMotion, sensor.Kind);
        double V(string name) => values.Single(v => v.Name == name).Value;
        Assert.Equal(2, V("count"));
        // High 1.0-4.7 s (last motion 2.2 s + 2.5 s hold) and 10.0-13.0 s: 6.7 s of 20 s.
        Assert.Equal(100 * 6.7 / 20, V("active"), 0.2);
        Assert.Equal(0, V("motion"));
        Assert.Equal(20, V("interval"), 0.01);
        Assert.Equal(2, sensor.Total);
    }
}
