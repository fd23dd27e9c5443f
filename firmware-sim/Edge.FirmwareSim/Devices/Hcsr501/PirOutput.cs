using System.Device.Gpio;

namespace Edge.FirmwareSim.Devices.Hcsr501;

/// <summary>
/// The output of an HC-SR501 PIR module (datasheet "HC-SR501 PIR Motion Detector", jumper in retrigger mode "H"):
/// high from the first motion, held high while motion continues and for <see cref="Hold"/> after the last of it
/// (delay pot: about 2.5 s fully anticlockwise up to minutes), then low and blind for <see cref="Block"/> (the
/// datasheet's 2.5 s lock time), so motion during the block is not seen. Evaluated by <see cref="Board.GpioSignalPump"/>
/// at increasing times; thread-safe.
/// </summary>
public sealed class PirOutput(Func<DateTimeOffset, bool> motion)
{
    private readonly object _lock = new();
    private DateTimeOffset? _lastMotion;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;
    private bool _high;

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(2.5);

    public TimeSpan Block { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>A scheduled fault: while it returns true the module is unpowered and its output low.</summary>
    public Func<DateTimeOffset, bool>? DisconnectedWhen { get; init; }

    public PinValue At(DateTimeOffset t)
    {
        if (DisconnectedWhen?.Invoke(t) == true) return PinValue.Low;
        lock (_lock)
        {
            if (t >= _blockedUntil && motion(t)) _lastMotion = t;
            bool high = _lastMotion is { } last && t - last < Hold;
            if (_high && !high) _blockedUntil = t + Block;
            _high = high;
            return high ? PinValue.High : PinValue.Low;
        }
    }
}
