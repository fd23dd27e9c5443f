using Edge.Sensors.Sampling;

namespace Edge.Sensors.Configuration;

/// <summary>
/// One entry of the gateway's "Sensors" section, as written by the user (keyed by sensor id). Raw on purpose: every
/// field is checked by <see cref="SensorDefinitionValidator"/>, which turns it into a <see cref="SensorSpec"/> or an
/// error naming the sensor and the key.
/// </summary>
public sealed class SensorDefinition
{
    /// <summary>Device type, one of <see cref="SensorCatalog.Types"/> (case-insensitive), e.g. "qmc5883l".</summary>
    public string? Type { get; set; }

    /// <summary>False keeps a sensor declared (e.g. in the shipped defaults) but not sampled.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>I2C bus number (/dev/i2c-N); the Pi's header bus is 1.</summary>
    public int? Bus { get; set; }

    /// <summary>7-bit I2C address as "0x29" or "41"; the type's default when omitted.</summary>
    public string? Address { get; set; }

    /// <summary>GPIO lines (BCM numbering) by role, e.g. { "Trigger": 23, "Echo": 24 }; roles are per type.</summary>
    public Dictionary<string, int> Pins { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sampling period; the type's default when omitted.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Log topic the readings go to; the type's default (traffic, health, environment) when omitted.</summary>
    public string? Topic { get; set; }

    public SensorOverflow? Overflow { get; set; }

    public int? QueueCapacity { get; set; }

    /// <summary>Per-type calibration and tuning values by name (offsets, thresholds); unknown names are errors.</summary>
    public Dictionary<string, double> Calibration { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the sensor watches (a lane, a bed, a room). In simulation it picks the scenario entity that drives it.</summary>
    public string? Site { get; set; }
}
