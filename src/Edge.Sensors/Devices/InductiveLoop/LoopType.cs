using Edge.Readings;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Devices.InductiveLoop;

/// <summary>The "loop" sensor type: an inductive-loop detector card's output on a GPIO line.</summary>
public static class LoopType
{
    public const string Name = "loop";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "inductive-loop detector card output on GPIO (vehicle count and occupancy per interval)",
        Kind = ReadingKinds.TrafficOccupancy,
        Bus = SensorBus.Gpio,
        PinRoles = ["Input"],
        DefaultInterval = TimeSpan.FromSeconds(60),
        DefaultTopic = "traffic",
        Calibration = new Dictionary<string, double> { ["DebounceMs"] = 30 },
        Create = (spec, hw, time) => new LoopSensor(spec.Id,
            new LoopDetector(hw.OpenGpio(spec), spec.Pin("Input"), time, TimeSpan.FromMilliseconds(spec.Setting("DebounceMs")))),
    };
}
