using System.Device.Gpio;
using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Gpio;

namespace Edge.Sensors.Tests;

/// <summary>firmware-sim's GPIO pump on the system clock: its own named thread (the footprint benchmark counts the simulator by it).</summary>
public class GpioSignalPumpTests
{
    private static bool PumpThreadRuns() =>
        Directory.EnumerateDirectories("/proc/self/task").Any(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == GpioSignalPump.ThreadName);

    [Fact]
    public async Task A_signal_on_the_system_clock_drives_its_pin_from_the_named_pump_thread()
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var pump = new GpioSignalPump(TimeProvider.System, driver, TimeSpan.FromMilliseconds(5));
        gpio.OpenPin(22, PinMode.Input);
        var rising = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gpio.RegisterCallbackForPinValueChangedEvent(22, PinEventTypes.Rising, (_, _) => rising.TrySetResult());
        // Low when attached; high from 50 ms later: only the pump can raise the edge.
        var attached = DateTimeOffset.UtcNow;
        pump.Attach(22, t => t - attached >= TimeSpan.FromMilliseconds(50) ? PinValue.High : PinValue.Low);
        Assert.Equal(PinValue.Low, gpio.Read(22));
        await rising.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PinValue.High, gpio.Read(22));
        Assert.True(PumpThreadRuns(), $"no thread named {GpioSignalPump.ThreadName}");
    }
}
