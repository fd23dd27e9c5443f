using System.Buffers.Binary;
using Edge.FirmwareSim.Devices.Bme280;
using Edge.FirmwareSim.Devices.Mpu6050;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Mpu6050;
using Iot.Device.Imu;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>The real Iot.Device.Imu.Mpu6050 binding on firmware-sim's register model (its constructor sleeps 200 ms: one per test).</summary>
public class Mpu6050Tests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    private static short Register16(Mpu6050Simulator chip, byte register)
    {
        Span<byte> b = stackalloc byte[2];
        chip.WriteRead([register], b);
        return BinaryPrimitives.ReadInt16BigEndian(b);
    }

    private static byte Register8(Mpu6050Simulator chip, byte register)
    {
        chip.WriteByte(register);
        return chip.ReadByte();
    }

    [Fact]
    public void One_g_at_rest_on_z_is_16384_8192_4096_and_2048_LSB_in_the_four_ranges_and_1_g_through_the_binding()
    {
        var chip = new Mpu6050Simulator(_time);
        using var binding = new Mpu6050(chip);
        Assert.Equal(0x01, Register8(chip, 0x6B)); // reset, then awake on the PLL clock
        chip.SetMotion((0, 0, 1));
        (AccelerometerRange Range, short Lsb)[] ranges = [(AccelerometerRange.Range02G, 16384), (AccelerometerRange.Range04G, 8192), (AccelerometerRange.Range08G, 4096), (AccelerometerRange.Range16G, 2048)];
        foreach (var (range, lsb) in ranges)
        {
            binding.AccelerometerRange = range;
            _time.Advance(TimeSpan.FromMilliseconds(1));
            var a = binding.GetAccelerometer() / (float)Mpu6050AccelerationSource.BindingGravity;
            Assert.Equal(lsb, Register16(chip, 0x3F));
            Assert.Equal(0, Register16(chip, 0x3B));
            Assert.Equal(1.0, a.Z, 1e-4);
            Assert.Equal(0.0, a.X, 1e-4);
        }
    }

    [Fact]
    public void Beyond_the_range_the_output_saturates_so_falls_are_measured_at_8_g()
    {
        var chip = new Mpu6050Simulator(_time);
        using var source = new Mpu6050AccelerationSource(new Mpu6050(chip));
        chip.SetMotion((2.1, -0.6, 2.8)); // an impact of 3.5 g
        Assert.True(source.TryReadAcceleration(out double x, out double y, out double z));
        Assert.Equal((2.1, -0.6, 2.8), (Math.Round(x, 3), Math.Round(y, 3), Math.Round(z, 3)));
        chip.SetMotion((0, 0, 9));
        source.TryReadAcceleration(out _, out _, out z);
        Assert.Equal(32767 / 4096.0, z, 1e-3);
    }

    [Fact]
    public void Temperature_and_angular_rate_follow_the_register_map_and_the_binding_uses_the_MPU9250_temperature_formula()
    {
        var chip = new Mpu6050Simulator(_time);
        using var binding = new Mpu6050(chip);
        chip.SetMotion((0, 0, 1), (10, -20, 200), temperatureCelsius: 25);
        short raw = Register16(chip, 0x41);
        Assert.Equal((short)Math.Round((25 - 36.53) * 340), raw);
        Assert.Equal(25, raw / 340.0 + 36.53, 0.003); // register map §4.18
        // The binding converts with (raw − 21) / 333.87 + 21, the MPU-9250's formula, so on a 6050 it reads low.
        Assert.Equal((raw - 21) / 333.87 + 21, binding.GetTemperature().DegreesCelsius, 1e-6);
        // ±250 °/s is 131 LSB per °/s (§4.19); the binding divides by 32768 / 250 = 131.07, 0.05% apart.
        Assert.Equal(-20 * 131, Register16(chip, 0x45));
        var w = binding.GetGyroscopeReading();
        Assert.Equal(10, w.X, 0.01);
        Assert.Equal(-20, w.Y, 0.02);
        Assert.Equal(200, w.Z, 0.15);
    }

    [Fact]
    public void Another_chip_at_the_address_is_refused_and_a_disconnected_one_throws_IOException()
    {
        Assert.Throws<IOException>(() => new Mpu6050(new Bme280Simulator(_time, address: 0x68)));
        var chip = new Mpu6050Simulator(_time, address: 0x69);
        using var sensor = new FallDetectionSensor("fall-1", new Mpu6050AccelerationSource(new Mpu6050(chip)), new FallDetectorOptions(), _time);
        chip.SetMotion((0, 0, 1));
        Assert.False(sensor.TryRead(out _));
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
    }
}
