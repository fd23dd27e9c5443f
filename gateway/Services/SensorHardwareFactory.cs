using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Scenarios;
using Edge.Gateway.Configuration;
using Edge.Sensors.Hardware;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Chooses the sensors' hardware from "Hardware:Mode": the Pi's buses, or firmware-sim playing the configured scenario.</summary>
public static class SensorHardwareFactory
{
    public static ISensorHardware Create(IServiceProvider services)
    {
        var hardware = services.GetRequiredService<IOptions<HardwareSettings>>().Value;
        var simulation = services.GetRequiredService<IOptions<SimulationSettings>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Gateway.Hardware");
        var probe = new HardwareProbe(hardware.DeviceDirectory);
        if (hardware.Mode == HardwareMode.Real && (probe.I2cBuses.Count == 0 || probe.GpioChips.Count == 0))
            throw new InvalidOperationException($"Hardware:Mode is real but this machine has {(probe.I2cBuses.Count == 0 ? $"no I2C bus ({hardware.DeviceDirectory}/i2c-*; enable I2C with raspi-config)" : "")}{(probe.I2cBuses.Count == 0 && probe.GpioChips.Count == 0 ? " and " : "")}{(probe.GpioChips.Count == 0 ? $"no GPIO chip ({hardware.DeviceDirectory}/gpiochip*)" : "")}");
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
