using System.Reflection;
using Edge.FirmwareSim.Devices;
using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Tests;

/// <summary>
/// Each Devices/&lt;chip&gt;/ folder of firmware-sim declares the model of one sensor type; the board finds them in
/// <see cref="DeviceModels"/>. A chip added on one side only, or a model not listed, fails here rather than at a
/// user's first simulated run.
/// </summary>
public class DeviceModelsTests
{
    [Fact]
    public void Every_sensor_type_in_the_catalog_has_a_model_on_its_bus()
    {
        foreach (var type in SensorCatalog.All)
        {
            Assert.True(DeviceModels.TryGet(type.Name, out var model), $"sensor type '{type.Name}' has no firmware-sim model (Devices/<chip>/<Chip>Model listed in DeviceModels)");
            Assert.True(type.Bus == SensorBus.I2c ? model.I2c is not null && model.Gpio is null : model.Gpio is not null && model.I2c is null,
                $"the model of '{type.Name}' must build {(type.Bus == SensorBus.I2c ? "an I2C register model" : "GPIO signals")} only");
        }
    }

    [Fact]
    public void Every_model_names_a_sensor_type_of_the_catalog()
    {
        foreach (var model in DeviceModels.All)
            Assert.True(SensorCatalog.TryGet(model.SensorType, out _), $"firmware-sim models '{model.SensorType}', which is not in SensorCatalog");
    }

    [Fact]
    public void Every_model_a_device_folder_declares_is_listed()
    {
        var declared = typeof(DeviceModels).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Edge.FirmwareSim.Devices.", StringComparison.Ordinal) == true)
            .Select(t => (Declarer: t, Property: t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Property?.PropertyType == typeof(DeviceModel))
            .ToList();
        Assert.NotEmpty(declared);
        foreach (var (declarer, property) in declared)
            Assert.True(DeviceModels.All.Contains((DeviceModel)property!.GetValue(null)!), $"{declarer.FullName} is not listed in DeviceModels");
        Assert.Equal(declared.Count, DeviceModels.All.Count);
    }
}
