using Edge.FirmwareSim.Devices.Bme280;
using Edge.Sensors.Devices.Bme280;
using Iot.Device.Bmxx80;
using Microsoft.Extensions.Time.Testing;
using BmeSampling = Iot.Device.Bmxx80.Sampling;

namespace Edge.Sensors.Tests;

/// <summary>
/// The real Iot.Device.Bmxx80.Bme280 binding on firmware-sim's register model. Forced-mode reads use the system
/// clock: the binding waits for the conversion with a real sleep that is longer than the datasheet time.
/// </summary>
public class Bme280Tests
{
    [Theory]
    [InlineData(21.37, 101325.0, 48.2, BmeSampling.UltraLowPower)]
    [InlineData(-12.5, 98000.0, 85.0, BmeSampling.UltraLowPower)]
    [InlineData(38.9, 103100.0, 12.3, BmeSampling.UltraLowPower)]
    [InlineData(21.37, 101325.0, 48.2, BmeSampling.UltraHighResolution)]
    public void Chosen_temperature_pressure_and_humidity_come_back_through_the_real_driver(double celsius, double pascals, double humidity, BmeSampling sampling)
    {
        var chip = new Bme280Simulator(TimeProvider.System, address: Bmx280Base.SecondaryI2cAddress);
        using var bme = new Bme280(chip) { TemperatureSampling = sampling, PressureSampling = sampling, HumiditySampling = sampling };
        chip.SetEnvironment(celsius, pascals, humidity);
        var r = bme.Read();
        Assert.InRange(r.Temperature!.Value.DegreesCelsius, celsius - 0.01, celsius + 0.01);
        Assert.InRange(r.Pressure!.Value.Pascals, pascals - 3, pascals + 3);
        Assert.InRange(r.Humidity!.Value.Percent, humidity - 0.02, humidity + 0.02);
    }

    [Fact]
    public void The_datasheet_compensation_example_gives_25_08_degrees_and_100653_27_Pa()
    {
        var chip = new Bme280Simulator(TimeProvider.System);
        using var bme = new Bme280(chip);
        chip.SetRawCodes(adcT: 519888, adcP: 415148, adcH: 0x6A00);
        var r = bme.Read();
        Assert.Equal(25.08, r.Temperature!.Value.DegreesCelsius, 0.005);
        Assert.Equal(100653.27, r.Pressure!.Value.Pascals, 0.01);
    }

    [Fact]
    public void The_measuring_bit_lasts_the_datasheet_time_and_ctrl_hum_waits_for_ctrl_meas()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var chip = new Bme280Simulator(time);
        chip.SetEnvironment(20, 100_000, 40);
        byte Status()
        {
            chip.WriteByte(0xF3);
            return chip.ReadByte();
        }
        chip.Write([0xF2, 0x01]);                 // humidity ×1: not yet in effect
        Assert.Equal(1.25, chip.MeasurementMilliseconds, 1e-9);
        chip.Write([0xF4, 0b001_001_01]);         // T ×1, P ×1, forced: latches ctrl_hum
        Assert.Equal(9.3, chip.MeasurementMilliseconds, 1e-9); // 1.25 + 2.3 + 2.875 + 2.875
        Assert.Equal(0x08, Status() & 0x08);
        time.Advance(TimeSpan.FromMilliseconds(9.2));
        Assert.Equal(0x08, Status() & 0x08);
        chip.WriteByte(0xFA);
        Assert.Equal(0x80, chip.ReadByte());      // data still at its reset value until the conversion ends
        time.Advance(TimeSpan.FromMilliseconds(0.2));
        Assert.Equal(0, Status() & 0x08);
        chip.WriteByte(0xF4);
        Assert.Equal(0, chip.ReadByte() & 0x03);  // forced mode went back to sleep
    }

    [Fact]
    public void A_BMP280_driver_refuses_the_chip_and_a_disconnected_one_throws_IOException_through_the_sensor()
    {
        var e = Assert.Throws<IOException>(() => new Bmp280(new Bme280Simulator(TimeProvider.System)));
        Assert.Contains("Found one with id 96", e.Message);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var chip = new Bme280Simulator(time);
        chip.SetEnvironment(18.4, 99_500, 61);
        using var sensor = new Bme280Sensor("env-1", new Bme280(chip), time);
        Assert.False(sensor.TryRead(out _)); // the first normal-mode conversion has not ended
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(sensor.TryRead(out var values));
        Assert.Equal(18.4, values.Single(v => v.Name == "temperature").Value, 0.011);
        Assert.Equal(995.0, values.Single(v => v.Name == "pressure").Value, 0.03);
        Assert.Equal(61, values.Single(v => v.Name == "humidity").Value, 0.03);
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
    }
}
