using Edge.FirmwareSim.Devices.Mlx90614;
using Edge.Sensors.Devices.Mlx90614;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>The real Iot.Device.Mlx90614 binding on firmware-sim's register model.</summary>
public class Mlx90614Tests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private static ushort ReadWord(Mlx90614Simulator chip, byte command, out byte pec)
    {
        Span<byte> answer = stackalloc byte[3];
        chip.WriteRead([command], answer);
        pec = answer[2];
        return (ushort)(answer[0] | answer[1] << 8);
    }

    [Fact]
    public void The_datasheet_read_word_example_0x3AD2_with_PEC_0x30_is_28_01_degrees_through_the_real_binding()
    {
        var chip = new Mlx90614Simulator(_time);
        chip.SetTemperatures(28.01, 25);
        Assert.Equal(0x3AD2, ReadWord(chip, 0x07, out byte pec));
        Assert.Equal(0x30, pec); // SMBus read-word example: B4 07 B5 D2 3A -> PEC 30
        using var binding = new Iot.Device.Mlx90614.Mlx90614(chip);
        Assert.Equal(28.01, binding.ReadObjectTemperature().DegreesCelsius, 3);
    }

    [Fact]
    public void The_word_0x3AF7_is_15095_times_0_02_K_which_is_28_75_degrees()
    {
        var chip = new Mlx90614Simulator(_time);
        chip.SetTemperatures(28.75, 25);
        Assert.Equal(0x3AF7, ReadWord(chip, 0x07, out _));
        using var binding = new Iot.Device.Mlx90614.Mlx90614(chip);
        Assert.Equal(28.75, binding.ReadObjectTemperature().DegreesCelsius, 3);
    }

    [Theory]
    [InlineData(37.0, 22.0)]
    [InlineData(39.4, 18.5)]
    [InlineData(-20.0, 30.0)]
    public void Chosen_object_and_ambient_temperatures_come_back_within_one_LSB(double objectCelsius, double ambientCelsius)
    {
        var chip = new Mlx90614Simulator(_time);
        chip.SetTemperatures(objectCelsius, ambientCelsius);
        using var binding = new Iot.Device.Mlx90614.Mlx90614(chip);
        Assert.InRange(binding.ReadObjectTemperature().DegreesCelsius, objectCelsius - 0.02, objectCelsius + 0.02);
        Assert.InRange(binding.ReadAmbientTemperature().DegreesCelsius, ambientCelsius - 0.02, ambientCelsius + 0.02);
    }

    [Fact]
    public void Skin_at_emissivity_0_98_reads_low_on_the_chip_and_the_sensor_recovers_skin_and_core()
    {
        var chip = new Mlx90614Simulator(_time) { TargetEmissivity = 0.98 };
        double room = 22, core = 37.0, skin = (core + 0.19 * room) / 1.19;
        chip.SetTemperatures(skin, room);
        using var sensor = new Mlx90614Sensor("temp-bed1", new Iot.Device.Mlx90614.Mlx90614(chip));
        Assert.True(sensor.TryRead(out var values));
        double seen = new Iot.Device.Mlx90614.Mlx90614(chip).ReadObjectTemperature().DegreesCelsius;
        Assert.True(seen < skin - 0.15, $"a black-body reading of skin is low: {seen} vs {skin}");
        Assert.Equal(skin, values.Single(v => v.Name == "skin").Value, 0.03);
        Assert.Equal(core, values.Single(v => v.Name == "body").Value, 0.04);
        Assert.Equal(room, values.Single(v => v.Name == "ambient").Value, 0.02);
    }

    [Fact]
    public void The_RAM_refreshes_once_per_period_and_an_EEPROM_emissivity_changes_the_reading()
    {
        var chip = new Mlx90614Simulator(_time);
        using var binding = new Iot.Device.Mlx90614.Mlx90614(chip);
        chip.SetTemperatures(30, 20);
        Assert.Equal(30, binding.ReadObjectTemperature().DegreesCelsius, 0.02);
        chip.TemperatureModel = _ => (31, 20);
        Assert.Equal(30, binding.ReadObjectTemperature().DegreesCelsius, 0.02); // within the refresh period
        _time.Advance(chip.RefreshPeriod);
        Assert.Equal(31, binding.ReadObjectTemperature().DegreesCelsius, 0.02);
        chip.WriteEeprom(0x24, (ushort)Math.Round(0.5 * 65535)); // the chip now assumes ε = 0.5: a black body reads hot
        Assert.True(binding.ReadObjectTemperature().DegreesCelsius > 40);
    }

    [Fact]
    public void Nothing_warm_in_view_gives_no_reading_and_a_disconnected_chip_throws_IOException()
    {
        var chip = new Mlx90614Simulator(_time);
        chip.SetTemperatures(21, 21);
        using var sensor = new Mlx90614Sensor("temp-bed1", new Iot.Device.Mlx90614.Mlx90614(chip));
        Assert.False(sensor.TryRead(out var values));
        Assert.Empty(values);
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
    }
}
