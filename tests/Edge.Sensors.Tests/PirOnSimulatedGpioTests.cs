using System.Device.Gpio;
using Edge.FirmwareSim.Gpio;
using Iot.Device.Hcsr501;

namespace Edge.Sensors.Tests;

public class PirOnSimulatedGpioTests
{
    [Fact]
    public void The_real_Hcsr501_binding_reports_motion_edges_from_the_simulated_pin()
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        using var pir = new Hcsr501(17, gpio, shouldDispose: false);
        var events = new List<PinValue>();
        pir.Hcsr501ValueChanged += (_, e) => events.Add(e.PinValue);

        Assert.False(pir.IsMotionDetected);
        driver.SetInput(17, PinValue.High); // HC-SR501 output goes high while it sees motion
        Assert.True(pir.IsMotionDetected);
        driver.SetInput(17, PinValue.Low);
        Assert.False(pir.IsMotionDetected);
        Assert.Equal([PinValue.High, PinValue.Low], events);
    }

    [Fact]
    public async Task Edge_waits_complete_on_the_simulated_edge_and_time_out_without_one()
    {
        var driver = new SimulatedGpioDriver();
        using var gpio = new GpioController(driver);
        gpio.OpenPin(27, PinMode.InputPullUp);
        Assert.Equal(PinValue.High, gpio.Read(27)); // pull-up idles high, as a loop detector's open-collector output does
        var wait = gpio.WaitForEventAsync(27, PinEventTypes.Falling, TimeSpan.FromSeconds(10)).AsTask();
        driver.SetInput(27, PinValue.Low);
        var result = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.TimedOut);
        Assert.Equal(PinEventTypes.Falling, result.EventTypes);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.True(gpio.WaitForEvent(27, PinEventTypes.Rising, cts.Token).TimedOut);
    }
}
