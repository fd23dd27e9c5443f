using Edge.FirmwareSim.Devices.Qmc5883l;
using Edge.Sensors.Devices.Qmc5883l;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class Qmc5883lTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(Qmc5883lRange.Gauss8, 0.45, -0.12, 0.31, 1.0 / 3000)]
    [InlineData(Qmc5883lRange.Gauss8, 7.5, -7.9, 0.0, 1.0 / 3000)]
    [InlineData(Qmc5883lRange.Gauss2, 0.5, 0.25, -1.95, 1.0 / 12000)]
    public void The_driver_reads_the_field_the_chip_sees_at_its_range_resolution(Qmc5883lRange range, double x, double y, double z, double lsb)
    {
        var chip = new Qmc5883lSimulator(_time);
        using var mag = new Qmc5883l(chip, range, Qmc5883lOutputRate.Hz50);
        chip.SetField(x, y, z);
        _time.Advance(TimeSpan.FromMilliseconds(20)); // one conversion at 50 Hz
        Assert.True(mag.TryReadMagneticField(out var field));
        Assert.Equal(x, field.X.Gausses, lsb);
        Assert.Equal(y, field.Y.Gausses, lsb);
        Assert.Equal(z, field.Z.Gausses, lsb);
    }

    [Fact]
    public void No_value_is_returned_before_a_new_conversion_or_when_an_axis_saturates()
    {
        var chip = new Qmc5883lSimulator(_time);
        using var mag = new Qmc5883l(chip, Qmc5883lRange.Gauss2, Qmc5883lOutputRate.Hz10);
        chip.SetField(0.3, 0, 0);
        Assert.False(mag.TryReadMagneticField(out _)); // no conversion yet (DRDY clear)
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(mag.TryReadMagneticField(out _));
        Assert.False(mag.TryReadMagneticField(out _)); // reading data cleared DRDY
        chip.SetField(3.0, 0, 0);                        // 36,000 LSB: past the 16-bit output (§9.2.2)
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(mag.TryReadMagneticField(out _)); // OVL: a saturated value would be invented data
    }

    [Fact]
    public void A_different_chip_or_a_silent_bus_is_an_IOException_naming_the_address()
    {
        var other = new Qmc5883lSimulator(_time) { ChipId = 0x48 };
        Assert.Contains("chip id 0x48", Assert.Throws<IOException>(() => new Qmc5883l(other)).Message);
        var gone = new Qmc5883lSimulator(_time) { Disconnected = true };
        Assert.Contains("0x0D", Assert.Throws<IOException>(() => new Qmc5883l(gone)).Message);
        var chip = new Qmc5883lSimulator(_time);
        using var mag = new Qmc5883l(chip);
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => { mag.TryReadMagneticField(out _); });
    }

    [Fact]
    public void A_passing_car_changes_the_field_magnitude_the_detector_will_see()
    {
        var chip = new Qmc5883lSimulator(_time);
        using var mag = new Qmc5883l(chip);
        chip.SetField(0.2, 0.05, 0.4); // the Earth's field
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(mag.TryReadMagneticField(out var empty));
        chip.SetField(0.2, 0.05, 0.9); // steel above the sensor
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(mag.TryReadMagneticField(out var car));
        Assert.True(car.Magnitude.Gausses - empty.Magnitude.Gausses > 0.45);
    }
}
