using Edge.FirmwareSim.Devices.Ads1115;
using Edge.Sensors.Devices.Ads1115;
using Iot.Device.Ads1115;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>The real Iot.Device.Ads1115 binding on firmware-sim's register model, and heart rate from a pulse sensor on it.</summary>
public class Ads1115Tests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    public static TheoryData<MeasuringRange, double> Ranges => new()
    {
        { MeasuringRange.FS6144, 6.144 }, { MeasuringRange.FS4096, 4.096 }, { MeasuringRange.FS2048, 2.048 },
        { MeasuringRange.FS1024, 1.024 }, { MeasuringRange.FS0512, 0.512 }, { MeasuringRange.FS0256, 0.256 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Full_scale_clips_to_0x7FFF_and_0x8000_and_chosen_voltages_read_back_within_one_LSB_at_every_PGA(MeasuringRange range, double fullScale)
    {
        foreach (var mode in new[] { DeviceMode.PowerDown, DeviceMode.Continuous })
        {
            var chip = new Ads1115Simulator(_time);
            using var adc = new Ads1115(chip, InputMultiplexer.AIN0, range, DataRate.SPS860, mode);
            double lsb = fullScale / 32768;
            chip.SetInput(0, fullScale * 1.1);
            _time.Advance(TimeSpan.FromMilliseconds(20)); // past the constructor's bus traffic and a conversion
            Assert.Equal(0x7FFF, adc.ReadRaw());
            chip.SetInput(0, fullScale * 0.75);
            _time.Advance(TimeSpan.FromMilliseconds(20)); // past the constructor's bus traffic and a conversion
            Assert.Equal(24576, adc.ReadRaw()); // 0.75 FS = 0x6000
            chip.SetInput(0, fullScale * 0.3);
            _time.Advance(TimeSpan.FromMilliseconds(20)); // past the constructor's bus traffic and a conversion
            Assert.InRange(adc.ReadVoltage().Volts, fullScale * 0.3 - lsb, fullScale * 0.3 + lsb);
            chip.SetInput(1, fullScale * 1.4); // AIN0 − AIN1 below −FS
            Assert.Equal(short.MinValue, adc.ReadRaw(InputMultiplexer.AIN0_AIN1));
        }
    }

    [Fact]
    public void A_single_shot_conversion_keeps_OS_low_for_one_data_period()
    {
        var chip = new Ads1115Simulator(_time) { BusClockHz = 400_000 };
        chip.SetInput(2, 1.0);
        Span<byte> config = stackalloc byte[2];
        // OS = 1, MUX = AIN2, PGA ±2.048 V, single-shot, 8 SPS: one conversion of 125 ms.
        chip.Write([0x01, 0b1_110_010_1, 0b000_00011]);
        chip.WriteRead([0x01], config);
        Assert.Equal(0, config[0] & 0x80);
        _time.Advance(TimeSpan.FromMilliseconds(124));
        chip.WriteRead([0x01], config);
        Assert.Equal(0, config[0] & 0x80);
        _time.Advance(TimeSpan.FromMilliseconds(20)); // past the constructor's bus traffic and a conversion
        chip.WriteRead([0x01], config);
        Assert.Equal(0x80, config[0] & 0x80);
        chip.WriteRead([0x00], config);
        Assert.Equal(16000, config[0] << 8 | config[1]); // 1.0 V of ±2.048 V: 32768 / 2.048
    }

    [Fact]
    public void Continuous_mode_delivers_a_new_conversion_every_data_period()
    {
        var chip = new Ads1115Simulator(_time);
        var start = _time.GetUtcNow();
        chip.InputModels[0] = t => (t - start).TotalSeconds; // a 1 V/s ramp
        using var adc = new Ads1115(chip, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS250, DeviceMode.Continuous);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        double previous = adc.ReadVoltage().Volts;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(previous, adc.ReadVoltage().Volts); // still the same conversion
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(4)); // one conversion at 250 SPS: 4 mV further up the ramp
            double v = adc.ReadVoltage().Volts;
            Assert.Equal(0.004, v - previous, 0.0002);
            previous = v;
        }
    }

    private static List<double> Beats(FakeTimeProvider time, PulseSensorModule module, TimeSpan duration)
    {
        var chip = new Ads1115Simulator(time);
        chip.InputModels[0] = module.Volts;
        using var sensor = new AnalogPulseSensor("pulse-1", new Ads1115(chip, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS250, DeviceMode.Continuous), time);
        var rates = new List<double>();
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromMilliseconds(8))
        {
            time.Advance(TimeSpan.FromMilliseconds(8));
            if (sensor.TryRead(out var values)) rates.Add(values.Single(v => v.Name == "bpm").Value);
        }
        return rates;
    }

    [Theory]
    [InlineData(72)]
    [InlineData(120)]
    [InlineData(48)]
    [InlineData(180)]
    public void Heart_rate_from_a_pulse_sensor_through_the_real_ADS1115_is_within_3_bpm_at_steady_state(double bpm)
    {
        var rates = Beats(_time, new PulseSensorModule(_ => bpm, seed: (int)bpm), TimeSpan.FromSeconds(30));
        Assert.InRange(rates.Count, bpm / 2 - 12, bpm / 2 + 1); // one reading a beat after the first few
        Assert.True(rates.All(r => Math.Abs(r - bpm) <= 3), string.Join(" ", rates));
    }

    [Fact]
    public void No_finger_on_the_pulse_sensor_gives_no_heart_rate()
    {
        Assert.Empty(Beats(_time, new PulseSensorModule(_ => 72) { FingerOff = true }, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void A_disconnected_ADC_throws_IOException_through_the_sensor()
    {
        var chip = new Ads1115Simulator(_time);
        using var sensor = new AnalogPulseSensor("pulse-1", new Ads1115(chip), _time);
        Assert.False(sensor.TryRead(out _));
        chip.DisconnectedWhen = () => true;
        Assert.Throws<IOException>(() => sensor.TryRead(out _));
    }
}
