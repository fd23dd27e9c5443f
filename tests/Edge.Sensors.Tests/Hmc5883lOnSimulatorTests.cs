using Edge.FirmwareSim.Devices.Hmc5883l;
using Iot.Device.Hmc5883l;

namespace Edge.Sensors.Tests;

public class Hmc5883lOnSimulatorTests
{
    [Theory]
    [InlineData(0.45, -0.12, 0.31)]
    [InlineData(-1.2, 0.8, 1.5)]
    public void The_real_Hmc5883l_binding_reads_the_simulated_field_in_counts_at_its_gain(double x, double y, double z)
    {
        var chip = new Hmc5883lSimulator(TimeProvider.System);
        using var mag = new Hmc5883l(chip, Gain.Gain1090);
        chip.SetField(x, y, z);
        var v = mag.DirectionVector; // raw counts: dotnet/iot's Hmc5883l.DirectionVector returns the data registers unscaled (datasheet Table 9: LSb/gauss per gain)
        Assert.Equal(x * 1090, v.X, 1.0);
        Assert.Equal(y * 1090, v.Y, 1.0);
        Assert.Equal(z * 1090, v.Z, 1.0);
    }

    [Fact]
    public void A_field_beyond_the_range_reads_as_the_datasheet_overflow_code()
    {
        var chip = new Hmc5883lSimulator(TimeProvider.System);
        using var mag = new Hmc5883l(chip, Gain.Gain1090);
        chip.SetField(2.5, 0, 0); // 2725 counts: beyond the 12-bit output
        Assert.Equal(-4096, mag.DirectionVector.X);
    }
}
