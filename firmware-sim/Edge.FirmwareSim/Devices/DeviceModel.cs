namespace Edge.FirmwareSim.Devices;

/// <summary>
/// How firmware-sim stands in for one sensor type: each Devices/&lt;chip&gt;/ folder declares one (its
/// <c>&lt;Chip&gt;Model.Descriptor</c>) next to the register model or signal it builds, and <see cref="DeviceModels"/>
/// lists them. An I2C part builds its register model at the sensor's bus and address; a GPIO part attaches its
/// signal to the board's pins. Both are wired to the scenario through the <see cref="DeviceContext"/>.
/// </summary>
public sealed record DeviceModel
{
    /// <summary>The sensor type this models: a name from Edge.Sensors' catalog (its Devices/&lt;chip&gt;/&lt;Chip&gt;Type.Name).</summary>
    public required string SensorType { get; init; }

    /// <summary>Builds the register model of an I2C part, driven by the scenario; null for a GPIO part.</summary>
    public Func<DeviceContext, SimulatedI2cDevice>? I2c { get; init; }

    /// <summary>Attaches a GPIO part's signals to the board's simulated pins; null for an I2C part.</summary>
    public Action<DeviceContext>? Gpio { get; init; }
}
