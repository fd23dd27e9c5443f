using System.Device.Gpio;
using Edge.Sensors.Devices.InductiveLoop;

namespace Edge.FirmwareSim.Devices.InductiveLoop;

/// <summary>A "loop" detector card under its site's lane.</summary>
public static class LoopModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = LoopType.Name,
        Gpio = c =>
        {
            // The detector card's output is an open collector: pulled up, low while a vehicle is over the loop.
            var lane = c.World.Lane(c.Sensor.Site);
            c.Attach(c.Sensor.Pin("Input"), t => lane.Occupied(c.Input(t)) ? PinValue.Low : PinValue.High);
        },
    };
}
