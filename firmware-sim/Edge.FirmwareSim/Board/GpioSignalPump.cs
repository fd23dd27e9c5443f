using System.Device.Gpio;
using Edge.FirmwareSim.Gpio;

namespace Edge.FirmwareSim.Board;

/// <summary>
/// Drives simulated GPIO inputs from the scenario: every <c>period</c> of (virtual) time it evaluates each attached
/// signal and sets the pin when the level changed, which raises the edge callbacks the bindings registered (a PIR's
/// output, a loop detector card's open-collector output). The period bounds the edge timing error (5 ms, well
/// below a vehicle's 0.3 s minimum dwell and a loop card's 30 ms debounce). The timer starts with the first attached
/// signal: a board without GPIO signals (no PIR, no loop card) never wakes, so an idle gateway stays idle. On the
/// system clock it runs on its own thread, named <see cref="ThreadName"/>: a 5 ms timer on the thread pool woke a
/// worker 200 times a second, and each wake spun before sleeping again (most of an idle gateway's CPU); the name
/// also lets the footprint benchmark count the simulator's CPU apart from the gateway's. Other clocks (a
/// FakeTimeProvider in tests, firmware-sim's VirtualClock) keep driving it through their timers.
/// </summary>
public sealed class GpioSignalPump : IDisposable
{
    private readonly SimulatedGpioDriver _driver;
    private readonly TimeProvider _time;
    private readonly List<(int Pin, Func<DateTimeOffset, PinValue> Signal)> _signals = [];
    private readonly TimeSpan _period;
    private readonly ITimer? _timer;
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0); // its waits time out: spinning first would only burn CPU
    private Thread? _thread;

    /// <summary>The pump thread's name on the system clock (Linux shows it in /proc/&lt;pid&gt;/task/*/comm).</summary>
    public const string ThreadName = "sim-gpio-pump";

    public GpioSignalPump(TimeProvider time, SimulatedGpioDriver driver, TimeSpan period)
    {
        _driver = driver;
        _time = time;
        _period = period;
        if (time != TimeProvider.System) _timer = time.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        if (!first) return;
        if (_timer is not null) _timer.Change(_period, _period);
        else (_thread = new Thread(Run) { IsBackground = true, Name = ThreadName }).Start();
    }

    private void Run()
    {
        while (!_stop.Wait(_period)) Pump();
    }

    private void Pump()
    {
        var now = _time.GetUtcNow();
        (int, Func<DateTimeOffset, PinValue>)[] signals;
        lock (_signals) signals = [.. _signals];
        foreach (var (pin, signal) in signals) _driver.SetInput(pin, signal(now));
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stop.Set();
        _thread?.Join();
        _stop.Dispose(); // after the join: the pump thread no longer waits on it
    }
}
