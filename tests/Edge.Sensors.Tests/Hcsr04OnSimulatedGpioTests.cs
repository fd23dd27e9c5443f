using System.Device.Gpio;
using Edge.FirmwareSim.Devices.Hcsr04;
using Edge.FirmwareSim.Gpio;
using Edge.Sensors.Devices.Hcsr04;

namespace Edge.Sensors.Tests;

/// <summary>The HC-SR04 echo is timed in real time: these tests run one at a time.</summary>
[CollectionDefinition("GPIO timing", DisableParallelization = true)]
public sealed class GpioTimingCollection;

[Collection("GPIO timing")]
public class Hcsr04OnSimulatedGpioTests
{
    private const int Trigger = 23, Echo = 24;

    [Theory]
    [InlineData(137)]
    [InlineData(50)]
    [InlineData(320)]
    public void The_distance_source_times_the_simulated_echo_edges_to_the_chosen_distance(double centimeters)
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var echo = new UltrasonicEcho(driver, Trigger, Echo, () => centimeters / 100);
        using var source = new Hcsr04DistanceSource(gpio, Trigger, Echo);
        var (readings, pings) = Ping(() => source.TryReadDistance(out double? meters) ? meters!.Value * 100 : null, centimeters);
        Assert.NotEmpty(readings);
        double best = readings.MinBy(r => Math.Abs(r - centimeters));
        Assert.Equal(centimeters, best, 1.0); // 58 µs per cm; the datasheet's resolution is 0.3 cm
        Assert.Equal(pings, echo.Pings);
    }

    [Fact]
    public void The_distance_source_waits_for_the_echo_edges_instead_of_polling_the_echo_pin()
    {
        // dotnet/iot's binding reads the echo pin in a loop for the whole pulse (thousands of reads per ping, a core
        // busy for up to 38 ms); the source sleeps until the driver reports the falling edge.
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var echo = new UltrasonicEcho(driver, Trigger, Echo, () => 1.0);
        using var source = new Hcsr04DistanceSource(gpio, Trigger, Echo);
        long before = driver.Reads(Echo);
        var (readings, pings) = Ping(() => source.TryReadDistance(out double? meters) ? meters!.Value * 100 : null, 100);
        int answered = readings.Count;
        Assert.True(answered > 0, $"none of {pings} pings was answered");
        Assert.Equal(0, driver.Reads(Echo) - before);
    }

    /// <summary>
    /// Pings until one lands within 1 cm, at most 30 times: a preemption during a ping (of the echo thread or the
    /// driver's callback) lengthens, shortens or loses it. On a quiet machine every ping is exact
    /// (a preemption is rarer than the few ms a ping takes); on a loaded shared one many are disturbed, so the check is that an undisturbed ping recovers
    /// the distance.
    /// </summary>
    private static (List<double> Readings, int Pings) Ping(Func<double?> ping, double centimeters)
    {
        var readings = new List<double>();
        int pings = 0;
        while (pings < 30 && !readings.Any(r => Math.Abs(r - centimeters) <= 1.0))
        {
            pings++;
            try
            {
                if (ping() is { } cm) readings.Add(cm);
            }
            catch (IOException)
            {
                // five disturbed pings in a row: keep trying
            }
        }
        return (readings, pings);
    }

    [Fact]
    public void A_target_beyond_four_metres_gives_no_reading_and_a_silent_module_is_an_IOException()
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        double meters = 5;
        using var echo = new UltrasonicEcho(driver, Trigger, Echo, () => meters);
        using var source = new Hcsr04DistanceSource(gpio, Trigger, Echo);
        Assert.False(source.TryReadDistance(out _)); // the 38 ms "no echo" pulse is 6.5 m, beyond the module's 4 m
        meters = 1.0;
        // Within three pings (one failure so far, so no IOException yet): on a loaded machine an echo can come too late.
        Assert.True(Enumerable.Range(0, 3).Any(i => source.TryReadDistance(out _)), "a target at 1 m was not measured in three pings");
        echo.DisconnectedWhen = () => true;
        for (int i = 1; i < Hcsr04DistanceSource.FailuresBeforeFault; i++) Assert.False(source.TryReadDistance(out _));
        Assert.Throws<IOException>(() => source.TryReadDistance(out _));
    }

    [Fact]
    public async Task A_trigger_already_on_its_way_when_the_module_is_disposed_starts_no_echo_and_fails_nothing()
    {
        // The gateway disposes the board while the sonar's own sampling thread may still be inside a read: its
        // trigger's falling edge reaches the module after Dispose. An echo thread started then met the disposed token
        // and ended the whole process (exit 134) with an unhandled exception.
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Subscribed before the module: the driver raises the event through one snapshot of its handlers, so the
        // module's handler still runs for this edge after Dispose has unsubscribed it.
        driver.OutputWritten += (pin, value) =>
        {
            if (pin != Trigger || value != PinValue.Low) return;
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        var echo = new UltrasonicEcho(driver, Trigger, Echo, () => 1.0);
        gpio.OpenPin(Trigger, PinMode.Output);
        gpio.Write(Trigger, PinValue.High);
        var falling = Task.Run(() => gpio.Write(Trigger, PinValue.Low));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "the falling edge never reached the driver");
        echo.Dispose();
        release.Set();
        // The module's handler ran after Dispose: it must neither throw here (a disposed semaphore) nor start an echo
        // thread that throws where nothing catches it (that ends the test run as it ended the gateway).
        await falling.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
