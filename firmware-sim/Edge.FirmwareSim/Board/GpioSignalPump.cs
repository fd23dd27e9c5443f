using System.Device.Gpio;
using Edge.FirmwareSim.Gpio;

namespace Edge.FirmwareSim.Board;

/// <summary>
/// Drives simulated GPIO inputs from the scenario: every <c>period</c> of (virtual) time it evaluates each attached
/// signal and sets the pin when the level changed, which raises the edge callbacks the bindings registered (a PIR's
/// output, a loop detector card's open-collector output). The period bounds the edge timing error (5 ms, well
/// below a vehicle's 0.3 s minimum dwell and a loop card's 30 ms debounce).
/// </summary>
public sealed class GpioSignalPump : IDisposable
{
    private readonly SimulatedGpioDriver _driver;
    private readonly TimeProvider _time;
    private readonly List<(int Pin, Func<DateTimeOffset, PinValue> Signal)> _signals = [];
    private readonly ITimer _timer;

    public GpioSignalPump(TimeProvider time, SimulatedGpioDriver driver, TimeSpan period)
    {
        _driver = driver;
        _time = time;
        _timer = time.CreateTimer(_ => Pump(), null, period, period);
    }

    public void Attach(int pin, Func<DateTimeOffset, PinValue> signal)
    {
        lock (_signals) _signals.Add((pin, signal));
        _driver.SetInput(pin, signal(_time.GetUtcNow()));
    }

    private void Pump()
    {
        var now = _time.GetUtcNow();
        (int, Func<DateTimeOffset, PinValue>)[] signals;
        lock (_signals) signals = [.. _signals];
        foreach (var (pin, signal) in signals) _driver.SetInput(pin, signal(now));
    }

    public void Dispose() => _timer.Dispose();
}
