using Edge.FirmwareSim.Devices.Vl53l1x;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Vl53l1x;
using Iot.Device.Vl53L1X;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class Vl53l1xOnSimulatorTests
{
    private static FakeTimeProvider Booted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        return time;
    }

    private static Vl53l1xSimulator Chip(FakeTimeProvider time)
    {
        var chip = new Vl53l1xSimulator(time);
        time.Advance(TimeSpan.FromMilliseconds(2)); // past tBOOT
        return chip;
    }

    [Theory]
    [InlineData(137)]
    [InlineData(850)]
    [InlineData(1500)]
    [InlineData(3600)]
    public void The_real_Vl53L1X_binding_reads_the_chosen_distance_after_a_ranging(int millimeters)
    {
        var time = Booted();
        var chip = Chip(time);
        using var tof = new Vl53L1X(chip);
        Assert.Equal(0xEACC, tof.SensorId);
        Assert.Equal(Precision.Long, tof.Precision);
        chip.SetDistance(millimeters);
        tof.StartRanging();
        time.Advance(chip.RangingPeriod);
        Assert.Equal(millimeters, tof.GetDistance().Millimeters, 1.0);
        Assert.Equal(RangeStatus.NoError, tof.RangeStatus);
    }

    [Fact]
    public void The_binding_sees_data_ready_before_any_ranging_so_the_source_checks_the_interrupt_bit_itself()
    {
        var time = Booted();
        var chip = Chip(time);
        chip.SetDistance(850);
        using var source = new Vl53l1xDistanceSource(chip);
        Assert.False(source.TryReadDistance(out _)); // ranging started, none finished yet
        time.Advance(chip.RangingPeriod);
        Assert.True(source.TryReadDistance(out double? meters));
        Assert.Equal(0.850, meters!.Value, 3);
        Assert.False(source.TryReadDistance(out _)); // the interrupt was cleared: nothing new yet
        Assert.InRange(chip.RangingPeriod.TotalMilliseconds, 33, 40); // 33 ms budget, 35 ms period as configured
    }

    [Fact]
    public void A_target_beyond_the_range_is_a_signal_failure_and_no_target_through_the_source()
    {
        var time = Booted();
        var chip = Chip(time);
        chip.SetDistance(4500);
        using var source = new Vl53l1xDistanceSource(chip);
        time.Advance(chip.RangingPeriod);
        Assert.True(source.TryReadDistance(out double? meters));
        Assert.Null(meters);
    }

    [Fact]
    public void Out_of_range_reads_as_a_signal_failure_through_the_binding()
    {
        var time = Booted();
        var chip = Chip(time);
        using var tof = new Vl53L1X(chip);
        chip.SetDistance(4500);
        tof.StartRanging();
        time.Advance(chip.RangingPeriod);
        Assert.Equal(RangeStatus.SignalFailure, tof.RangeStatus);
    }

    [Fact]
    public void A_disconnected_chip_throws_IOException_through_the_sensor()
    {
        var time = Booted();
        var chip = Chip(time);
        using var sensor = new PresenceSensor("tof-2", new Vl53l1xDistanceSource(chip), new PresenceDetectorOptions(), TimeSpan.FromSeconds(60), time);
        time.Advance(chip.RangingPeriod);
        sensor.TryRead(out _);
        chip.Disconnected = true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
    }
}
