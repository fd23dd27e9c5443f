using System.Device.Gpio;

namespace Edge.FirmwareSim.Gpio;

/// <summary>
/// A <see cref="GpioDriver"/> whose input pins are driven by the simulation (PIR outputs, inductive-loop detector
/// pulses, HC-SR04 echoes), so the real dotnet/iot bindings run on it through <see cref="GpioController"/>.
/// Edge callbacks run on the thread that changes the level, outside the lock (bindings such as Hcsr501 read the pin
/// inside their callback). Writes are only latched for pins in output mode, as GpioController expects.
/// </summary>
public sealed class SimulatedGpioDriver(int pinCount = 28) : GpioDriver
{
    private readonly object _lock = new();
    private readonly Pin[] _pins = Enumerable.Range(0, pinCount).Select(_ => new Pin()).ToArray();

    /// <summary>Raised when a binding writes an output pin (e.g. an HC-SR04 trigger).</summary>
    public event Action<int, PinValue>? OutputWritten;

    /// <summary>Drives an input pin from outside, raising edge callbacks and waking waiters.</summary>
    public void SetInput(int pin, PinValue value)
    {
        List<PinChangeEventHandler> handlers = [];
        List<TaskCompletionSource<WaitForEventResult>> waiters = [];
        PinEventTypes edge;
        lock (_lock)
        {
            var p = _pins[pin];
            if (p.Level == value) return;
            p.Level = value;
            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers.AddRange(p.Callbacks.Where(c => (c.Value & edge) != 0).Select(c => c.Key));
            foreach (var w in p.Waiters.Where(w => (w.Events & edge) != 0).ToList())
            {
                p.Waiters.Remove(w);
                waiters.Add(w.Completion);
            }
        }
        foreach (var h in handlers) h(this, new PinValueChangedEventArgs(edge, pin));
        foreach (var w in waiters) w.TrySetResult(new WaitForEventResult { EventTypes = edge, TimedOut = false });
    }

    protected override int PinCount => _pins.Length;

    protected override void OpenPin(int pinNumber) { }

    protected override void ClosePin(int pinNumber) { }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            var p = _pins[pinNumber];
            p.Mode = mode;
            if (mode == PinMode.InputPullUp && !p.Driven) p.Level = PinValue.High;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock) return _pins[pinNumber].Mode;
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    /// <summary>How many times bindings read <paramref name="pin"/> (tests tell a busy poll from an edge wait by it).</summary>
    public long Reads(int pin)
    {
        lock (_lock) return _pins[pin].Reads;
    }

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            var p = _pins[pinNumber];
            p.Reads++;
            return p.Level;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock) _pins[pinNumber].Level = value;
        OutputWritten?.Invoke(pinNumber, value);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        WaitForEventAsync(pinNumber, eventTypes, cancellationToken).AsTask().GetAwaiter().GetResult();

    // Registers the waiter before returning (the base class would register it later on a pool thread and miss
    // an edge raised right after the call).
    protected override ValueTask<WaitForEventResult> WaitForEventAsync(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<WaitForEventResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _pins[pinNumber].Waiters.Add((eventTypes, tcs));
        return new ValueTask<WaitForEventResult>(Wait(pinNumber, tcs, cancellationToken));
    }

    private async Task<WaitForEventResult> Wait(int pinNumber, TaskCompletionSource<WaitForEventResult> tcs, CancellationToken cancellationToken)
    {
        try
        {
            return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock) _pins[pinNumber].Waiters.RemoveAll(w => w.Completion == tcs); // timed out: forget the waiter
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            var callbacks = _pins[pinNumber].Callbacks;
            // Bindings may register the same delegate once per edge type: OR the flags.
            callbacks[callback] = callbacks.TryGetValue(callback, out var existing) ? existing | eventTypes : eventTypes;
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock) _pins[pinNumber].Callbacks.Remove(callback);
    }

    private sealed class Pin
    {
        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Level { get; set; } = PinValue.Low;

        public bool Driven { get; set; }

        public long Reads { get; set; }

        public Dictionary<PinChangeEventHandler, PinEventTypes> Callbacks { get; } = [];

        public List<(PinEventTypes Events, TaskCompletionSource<WaitForEventResult> Completion)> Waiters { get; } = [];
    }
}
