using System.Reflection;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Tests;

/// <summary>Each Devices/&lt;chip&gt;/ folder declares its sensor type; the catalog must list every one of them.</summary>
public class SensorCatalogTests
{
    // The declared types, found the way a reader would: a static class in Edge.Sensors.Devices.<chip> with a
    // static Descriptor property of type SensorType.
    private static IEnumerable<(Type Declarer, SensorType Descriptor)> DeclaredInDeviceFolders() =>
        typeof(SensorCatalog).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Edge.Sensors.Devices.", StringComparison.Ordinal) == true)
            .Select(t => (t, t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Item2?.PropertyType == typeof(SensorType))
            .Select(p => (p.t, (SensorType)p.Item2!.GetValue(null)!));

    [Fact]
    public void Every_type_a_device_folder_declares_is_in_the_catalog()
    {
        var declared = DeclaredInDeviceFolders().ToList();
        Assert.NotEmpty(declared);
        foreach (var (declarer, descriptor) in declared)
            Assert.True(SensorCatalog.All.Contains(descriptor), $"{declarer.FullName} declares sensor type '{descriptor.Name}' but SensorCatalog does not list it");
        Assert.Equal(declared.Count, SensorCatalog.All.Count);
    }

    [Fact]
    public void Type_names_are_unique_ignoring_case()
    {
        var duplicates = SensorCatalog.All.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }
}
