using System.Device.Gpio;
using Edge.FirmwareSim.Gpio;
using Edge.Sensors.Devices.InductiveLoop;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class LoopDetectorTests
{
    [Fact]
    public void Vehicles_and_occupancy_per_interval_come_out_of_bouncy_presence_pulses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var loop = new LoopDetector(gpio, 27, time, TimeSpan.FromMilliseconds(50));
        var random = new Random(6);
        double presentSeconds = 0;
        int vehicles = 0;
        for (int i = 0; i < 40; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(random.Next(400, 3000))); // gap
            double dwell = 0.2 + random.NextDouble() * 0.8;
            // Presence begins with relay bounce: a few sub-debounce flickers before the level holds.
            for (int b = 0; b < 3; b++)
            {
                driver.SetInput(27, PinValue.Low);
                time.Advance(TimeSpan.FromMilliseconds(3));
                driver.SetInput(27, PinValue.High);
                time.Advance(TimeSpan.FromMilliseconds(2));
            }
            driver.SetInput(27, PinValue.Low);
            time.Advance(TimeSpan.FromSeconds(dwell));
            driver.SetInput(27, PinValue.High);
            // A noise spike mid-gap shorter than the debounce is not a vehicle.
            time.Advance(TimeSpan.FromMilliseconds(200));
            driver.SetInput(27, PinValue.Low);
            time.Advance(TimeSpan.FromMilliseconds(10));
            driver.SetInput(27, PinValue.High);
            presentSeconds += dwell;
            vehicles++;
        }
        time.Advance(TimeSpan.FromSeconds(1));
        var interval = loop.Collect();
        Assert.Equal(vehicles, interval.Vehicles);
        double expected = 100 * presentSeconds / (interval.End - interval.Start).TotalSeconds;
        Assert.InRange(interval.OccupancyPercent, expected - 1, expected + 1);
        var next = loop.Collect();
        Assert.Equal(0, next.Vehicles);
        Assert.Equal(40, loop.Total);
    }

    [Fact]
    public void A_departure_that_settles_after_the_interval_closed_never_makes_the_next_interval_negative()
    {
        // The vehicle leaves 20 ms before the interval closes; the 50 ms debounce confirms the departure only in the
        // next interval, at the moment the level changed (which lies in the closed interval).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var loop = new LoopDetector(gpio, 27, time, TimeSpan.FromMilliseconds(50));
        time.Advance(TimeSpan.FromSeconds(1));
        driver.SetInput(27, PinValue.Low);
        time.Advance(TimeSpan.FromSeconds(2));
        driver.SetInput(27, PinValue.High);
        time.Advance(TimeSpan.FromMilliseconds(20));
        var first = loop.Collect();
        Assert.Equal(1, first.Vehicles);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = loop.Collect();
        Assert.Equal(0, second.Vehicles);
        Assert.InRange(second.OccupancyPercent, 0, 0.001);
    }
}
