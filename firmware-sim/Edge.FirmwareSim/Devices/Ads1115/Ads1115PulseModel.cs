using Edge.Sensors.Devices.Ads1115;

namespace Edge.FirmwareSim.Devices.Ads1115;

/// <summary>An "ads1115-pulse": a PulseSensor module on the configured ADS1115 input, beating at the patient's heart rate.</summary>
public static class Ads1115PulseModel
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Ads1115PulseType.Name,
        I2c = c =>
        {
            var patient = c.World.Patient(c.Sensor.Site);
            var module = new PulseSensorModule(t => patient.HeartRate(c.Input(t)), c.World.Seed);
            var adc = new Ads1115Simulator(c.Time, c.Sensor.Bus, c.Sensor.Address);
            adc.InputModels[Math.Clamp((int)c.Sensor.Setting("Channel"), 0, 3)] = t => module.Volts(t) + c.Noise(t, 0.2);
            return adc;
        },
    };
}
