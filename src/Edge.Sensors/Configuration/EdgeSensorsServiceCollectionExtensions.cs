using Edge.Log.Configuration;
using Edge.Sensors.Hardware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edge.Sensors.Configuration;

/// <summary>Registers the sensors' configuration with the host: <c>services.AddEdgeSensors(configuration)</c>.</summary>
public static class EdgeSensorsServiceCollectionExtensions
{
    /// <summary>
    /// Reads the "Sensors" section (<see cref="SensorSectionReader"/>: every unreadable value and unknown key by its
    /// key) and binds "Hardware" strictly, validates both at start, and registers the resolved <see cref="ConfiguredSensors"/>.
    /// </summary>
    public static IServiceCollection AddEdgeSensors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SensorsOptions>()
            .Configure(s =>
            {
                s.ReadErrors.Clear();
                s.Definitions = SensorSectionReader.Read(configuration.GetSection(SensorsOptions.Section), s.ReadErrors);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SensorsOptions>, SensorsOptionsValidator>();
        services.AddOptions<HardwareOptions>().BindSection(configuration, HardwareOptions.Section, static (c, o, b) => c.Bind(o, b));
        services.AddSingleton<IValidateOptions<HardwareOptions>, HardwareOptionsValidator>();
        services.AddSingleton<ConfiguredSensors>();
        return services;
    }
}
