using System.Device.Gpio;
using System.Diagnostics;
using Edge.Sensors.Detection;
using UnitsNet;

namespace Edge.Sensors.Devices.Hcsr04;

/// <summary>
/// The real dotnet/iot HC-SR04 binding as a distance source. Pings are paced at least <see cref="MinPingSpacing"/>
/// apart: the binding's 100 ms give-up budget starts before its own 60 ms wait between pings, so back-to-back calls
/// fail about a third of the time (see platform notes §2). A failed ping (no echo, or one longer than the 4 m range)
/// yields no reading; <see cref="FailuresBeforeFault"/> in a row mean the module does not answer (unplugged, or an
/// echo line without its level divider) and throw <see cref="IOException"/> so the sampler marks it degraded.
/// The binding busy-polls the echo pin for up to ~25 ms per ping. The caller owns the <see cref="GpioController"/>.
/// </summary>
public sealed class Hcsr04DistanceSource : IDistanceSource
{
    /// <summary>Minimum time between two pings.</summary>
    public static readonly TimeSpan MinPingSpacing = TimeSpan.FromMilliseconds(100);

    /// <summary>Consecutive failed pings after which the module is reported as not answering.</summary>
    public const int FailuresBeforeFault = 5;

    private readonly Iot.Device.Hcsr04.Hcsr04 _binding;
    private readonly Stopwatch _sinceLastPing = new();
    private int _failures;

    public Hcsr04DistanceSource(GpioController gpio, int triggerPin, int echoPin)
    {
        _binding = new Iot.Device.Hcsr04.Hcsr04(gpio, triggerPin, echoPin, shouldDispose: false);
    }

    public bool TryReadDistance(out double? meters)
    {
        meters = null;
        if (_sinceLastPing.IsRunning && _sinceLastPing.Elapsed < MinPingSpacing) Thread.Sleep(MinPingSpacing - _sinceLastPing.Elapsed);
        bool ok = _binding.TryGetDistance(out Length distance);
        _sinceLastPing.Restart();
        if (!ok)
        {
            if (++_failures >= FailuresBeforeFault)
            {
                _failures = 0;
                throw new IOException($"HC-SR04 gave no valid echo for {FailuresBeforeFault} pings in a row (wiring, echo divider, or a target beyond 4 m)");
            }
            return false;
        }
        _failures = 0;
        meters = distance.Meters;
        return true;
    }

    public void Dispose() => _binding.Dispose();
}
