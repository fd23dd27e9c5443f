using Edge.FirmwareSim.Devices.Hmc5883l;
using Edge.FirmwareSim.Devices.Vl53l0x;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Vl53l0x;
using Iot.Device.Vl53L0X;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class Vl53l0xOnSimulatorTests
{
    // Every read of the model's clock advances it 1 ms, so the binding's busy-polls see calibrations (1 ms) and
    // rangings (33 ms) finish without wall-clock waits, deterministically.
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    [Theory]
    [InlineData(137)]
    [InlineData(850)]
    [InlineData(1500)]
    public void The_real_Vl53L0X_binding_reads_the_chosen_distance_single_shot_and_continuous(int millimeters)
    {
        var chip = new Vl53l0xSimulator(Clock());
        using var tof = new Vl53L0X(chip); // init, SPAD info over the NVM handshake, VHV and phase calibrations, long-range mode
        chip.SetDistance(millimeters);
        // Datasheet ranging accuracy is a few percent; the model adds no error, so only mm rounding remains.
        Assert.Equal(millimeters, tof.GetDistanceOnce(), 1.0);
        tof.MeasurementMode = MeasurementMode.Continuous;
        Assert.Equal(millimeters, tof.Distance, 1.0);
        Assert.Equal(millimeters, tof.Distance, 1.0);
    }

    [Fact]
    public void The_binding_reads_the_module_information_from_the_NVM()
    {
        var chip = new Vl53l0xSimulator(Clock());
        using var tof = new Vl53L0X(chip);
        Assert.Equal(1, tof.Information.ModuleId);
        Assert.StartsWith("VL53L0CXV0DH/1$5", tof.Information.ProductId);
        Assert.Equal(new Version(1, 2), tof.Information.Revision);
    }

    [Fact]
    public void A_target_beyond_two_metres_reads_as_the_out_of_range_code_and_as_no_target_through_the_source()
    {
        var chip = new Vl53l0xSimulator(Clock());
        using (var tof = new Vl53L0X(chip))
        {
            chip.SetDistance(2600);
            Assert.Equal((ushort)OperationRange.OutOfRange, tof.GetDistanceOnce());
        }
        using var source = new Vl53l0xDistanceSource(chip);
        Assert.True(source.TryReadDistance(out double? meters));
        Assert.Null(meters);
        chip.SetDistance(1234);
        Assert.True(source.TryReadDistance(out meters)); // the previous result may still be the one waiting
        Assert.True(source.TryReadDistance(out meters));
        Assert.Equal(1.234, meters!.Value, 3);
    }

    [Fact]
    public void A_disconnected_chip_throws_IOException_through_the_sensor_and_a_wrong_chip_is_refused()
    {
        var time = Clock();
        var chip = new Vl53l0xSimulator(time);
        using var sensor = new PresenceSensor("tof-1", new Vl53l0xDistanceSource(chip), new PresenceDetectorOptions(), TimeSpan.FromSeconds(60), time);
        sensor.TryRead(out _);
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));

        var notATof = new Hmc5883lSimulator(TimeProvider.System, address: 0x29);
        var e = Assert.Throws<IOException>(() => new Vl53l0xDistanceSource(notATof));
        Assert.Contains("model id 0x00, expected 0xEE", e.Message);
    }
}
