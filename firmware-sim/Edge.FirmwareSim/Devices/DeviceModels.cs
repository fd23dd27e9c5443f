using Edge.FirmwareSim.Devices.Ads1115;
using Edge.FirmwareSim.Devices.Bme280;
using Edge.FirmwareSim.Devices.Hcsr04;
using Edge.FirmwareSim.Devices.Hcsr501;
using Edge.FirmwareSim.Devices.Hmc5883l;
using Edge.FirmwareSim.Devices.InductiveLoop;
using Edge.FirmwareSim.Devices.Max30102;
using Edge.FirmwareSim.Devices.Mlx90614;
using Edge.FirmwareSim.Devices.Mpu6050;
using Edge.FirmwareSim.Devices.Qmc5883l;
using Edge.FirmwareSim.Devices.Vl53l0x;
using Edge.FirmwareSim.Devices.Vl53l1x;

namespace Edge.FirmwareSim.Devices;

/// <summary>
/// The device models firmware-sim has, by sensor type name: each declared in its own Devices/&lt;chip&gt;/ folder
/// (<c>&lt;Chip&gt;Model.Descriptor</c>), listed here.
/// </summary>
public static class DeviceModels
{
    // Adding a chip: its Devices/<chip>/ folder with the register model and a <Chip>Model, and one line here — the
    // same shape as Edge.Sensors' SensorCatalog. An explicit list rather than an attribute found by scanning the
    // assembly: a model reached only by reflection is invisible to the trimmer and to "find references", so a
    // trimmed or AOT gateway could lose a chip silently. DeviceModelsTests checks that every *Model in Devices/ is
    // listed and that every sensor type in the catalog has a model, so a forgotten line fails a test.
    private static readonly DeviceModel[] Declared =
    [
        Qmc5883lModel.Descriptor,
        Hmc5883lModel.Descriptor,
        LoopModel.Descriptor,
        Max30102Model.Descriptor,
        Vl53l0xModel.Descriptor,
        Vl53l1xModel.Descriptor,
        Hcsr04Model.Descriptor,
        Hcsr501Model.Descriptor,
        Mlx90614Model.Descriptor,
        Mpu6050Model.Descriptor,
        Ads1115PulseModel.Descriptor,
        Bme280Model.Descriptor,
    ];

    private static readonly IReadOnlyDictionary<string, DeviceModel> ByType = Declared.ToDictionary(m => m.SensorType, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every declared model, in declaration order.</summary>
    public static IReadOnlyList<DeviceModel> All => Declared;

    public static bool TryGet(string sensorType, out DeviceModel model) => ByType.TryGetValue(sensorType, out model!);
}
