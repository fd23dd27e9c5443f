using Edge.Sensors.Devices.Ads1115;
using Edge.Sensors.Devices.Bme280;
using Edge.Sensors.Devices.Hcsr04;
using Edge.Sensors.Devices.Hcsr501;
using Edge.Sensors.Devices.Hmc5883l;
using Edge.Sensors.Devices.InductiveLoop;
using Edge.Sensors.Devices.Max30102;
using Edge.Sensors.Devices.Mlx90614;
using Edge.Sensors.Devices.Mpu6050;
using Edge.Sensors.Devices.Qmc5883l;
using Edge.Sensors.Devices.Vl53l0x;
using Edge.Sensors.Devices.Vl53l1x;

namespace Edge.Sensors.Configuration;

/// <summary>
/// The device types a configuration may name in "Sensors:&lt;id&gt;:Type". Each type is declared in its own
/// Devices/&lt;chip&gt;/ folder (its <c>&lt;Chip&gt;Type.Descriptor</c>: wiring, defaults, calibration names, and the
/// driver it builds — the real dotnet/iot binding where one exists, ours where none does — on whatever
/// <see cref="Hardware.ISensorHardware"/> the gateway runs on); this class only lists them.
/// </summary>
public static class SensorCatalog
{
    // Adding a chip: its Devices/<chip>/ folder with a <Chip>Type, and one line here. The list is explicit rather than
    // found by scanning the assembly for an attribute: a type reached only through reflection is invisible to the
    // trimmer and to "find references", so a trimmed or AOT publish could drop a chip without a word, and the order
    // and the set of chips would be known only at run time. SensorCatalogTests checks that every *Type in Devices/
    // is listed here, so a forgotten line fails a test rather than a user's configuration.
    private static readonly SensorType[] Declared =
    [
        Qmc5883lType.Descriptor,
        Hmc5883lType.Descriptor,
        LoopType.Descriptor,
        Max30102Type.Descriptor,
        Vl53l0xType.Descriptor,
        Vl53l1xType.Descriptor,
        Hcsr04Type.Descriptor,
        Hcsr501Type.Descriptor,
        Mlx90614Type.Descriptor,
        Mpu6050Type.Descriptor,
        Ads1115PulseType.Descriptor,
        Bme280Type.Descriptor,
    ];

    private static readonly IReadOnlyDictionary<string, SensorType> ByName = Declared.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Known type names, sorted (listed in the error for an unknown type).</summary>
    public static IReadOnlyList<string> Types => ByName.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string name, out SensorType type) => ByName.TryGetValue(name, out type!);

    /// <summary>Every declared type, in declaration order.</summary>
    public static IReadOnlyList<SensorType> All => Declared;
}
