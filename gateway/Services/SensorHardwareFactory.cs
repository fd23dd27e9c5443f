using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Scenarios;
using Edge.Gateway.Configuration;
using Edge.Sensors.Hardware;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>
/// Chooses the sensors' hardware from "Hardware:Mode": the Pi's buses, or firmware-sim playing the configured scenario.
/// Real mode without buses never gets here: HardwareOptionsValidator refuses it at start.
/// </summary>
public static class SensorHardwareFactory
{
    public static ISensorHardware Create(IServiceProvider services)
    {
        var hardware = services.GetRequiredService<IOptions<HardwareOptions>>().Value;
        var simulation = services.GetRequiredService<IOptions<SimulationSettings>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Gateway.Hardware");
        var probe = new HardwareProbe(hardware.DeviceDirectory);
        ISensorHardware result;
        if (probe.UseRealHardware(hardware.Mode))
        {
            result = new BoardHardware(probe);
        }
        else
        {
            ScenarioCatalog.TryGet(simulation.Scenario, out var scenario);
            // The gateway runs the scenario on the real clock from now: readings carry true timestamps.
            var world = new ScenarioWorld(scenario with { StartTimeOfDay = null }, simulation.Seed, time.GetUtcNow());
            result = new SimulatedBoard(time, world);
        }
        logger.LogInformation("sensors run on {Hardware}: {Why}", result.Description, probe.Explain(hardware.Mode));
        return result;
    }
}
