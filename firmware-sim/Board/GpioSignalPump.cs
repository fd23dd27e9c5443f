using System.Device.Gpio;
using Edge.FirmwareSim.Gpio;

namespace Edge.FirmwareSim.Board;

/// <summary>
/// Drives simulated GPIO inputs from the scenario: every <c>period</c> of (virtual) time it evaluates each attached
/// signal and sets the pin when the level changed, which raises the edge callbacks the bindings registered (a PIR's
/// output, a loop detector card's open-collector output). The period bounds the edge timing error (5 ms, well
/// below a vehicle's 0.3 s minimum dwell and a loop card's 30 ms debounce). The timer starts with the first attached
/// signal: a board without GPIO signals (no PIR, no loop card) never wakes, so an idle gateway stays idle.
/// </summary>
public sealed class GpioSignalPump : IDisposable
{
    private readonly SimulatedGpioDriver _driver;
    private readonly TimeProvider _time;
    private readonly List<(int Pin, Func<DateTimeOffset, PinValue> Signal)> _signals = [];
    private readonly TimeSpan _period;
    private readonly ITimer _timer;

    public GpioSignalPump(SimulatedGpioDriver driver, TimeProvider time, TimeSpan period)
    {
        _driver = driver;
        _time = time;
        _period = period;
        _timer = time.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Attach(int pin, Func<DateTimeOffset, PinValue> signal)
    {
        bool first;
        lock (_signals)
        {
            _signals.Add((pin, signal));
            first = _signals.Count == 1;
        }
        _driver.SetInput(pin, signal(_time.GetUtcNow()));
        if (first) _timer.Change(_period, _period);
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
