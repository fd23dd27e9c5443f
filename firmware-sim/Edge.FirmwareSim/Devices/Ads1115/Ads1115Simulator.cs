namespace Edge.FirmwareSim.Devices.Ads1115;

/// <summary>
/// Register-level model of a TI ADS1115 16-bit delta-sigma ADC (datasheet SBAS444D) as an
/// <see cref="System.Device.I2c.I2cDevice"/> for the real Iot.Device.Ads1115 binding. The address pointer register
/// selects one of four 16-bit registers ("Register Map"), written and read MSB first: conversion 0x00, config 0x01
/// (reset 0x8583), Lo_thresh 0x02 and Hi_thresh 0x03 (reset 0x8000 / 0x7FFF). Config decodes MUX (AIN0-3
/// single-ended and the four differential pairs), PGA (±6.144 … ±0.256 V full scale), MODE and DR (8 … 860 SPS).
/// Single-shot ("Single-Shot Mode"): writing OS = 1 starts a conversion and OS reads 0 until it ends 1/DR later.
/// Continuous ("Continuous-Conversion Mode"): a new result every 1/DR. Codes are 32768·V/FS, clipped to
/// 0x8000-0x7FFF ("Full-Scale Range (FSR) and LSB Size").
/// Time is the simulation clock, and every transfer also takes its time on the wire at <see cref="BusClockHz"/>
/// (9 clocks per byte with the address byte, plus start and stop), so a driver polling OS sees the conversion end
/// after a realistic number of polls even when the clock itself stands still between test steps.
/// </summary>
public sealed class Ads1115Simulator(TimeProvider time, int busId = 1, int address = 0x48) : RegisterI2cDevice(busId, address)
{
    private static readonly double[] FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private static readonly int[] Rates = [8, 16, 32, 64, 128, 250, 475, 860];
    private readonly double[] _inputs = new double[4];
    private int _pointer;
    private ushort _config = 0x8583, _loThresh = 0x8000, _hiThresh = 0x7FFF;
    private short _conversion;
    private DateTimeOffset _busTime = DateTimeOffset.MinValue;
    private DateTimeOffset _conversionStart, _singleShotEnd;
    private long _continuousDone;
    private bool _converting;

    /// <summary>I2C clock; the Pi's default is 100 kHz (dtparam=i2c_arm_baudrate).</summary>
    public int BusClockHz { get; set; } = 100_000;

    /// <summary>When set, the voltage (V, to GND) on an input channel at each conversion's time, e.g. a pulse sensor on AIN0.</summary>
    public Func<DateTimeOffset, double>?[] InputModels { get; } = new Func<DateTimeOffset, double>?[4];

    /// <summary>Sets a fixed voltage (V, to GND) on AIN0-AIN3.</summary>
    public void SetInput(int channel, double volts)
    {
        lock (Sync)
        {
            InputModels[channel] = null;
            _inputs[channel] = volts;
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            var now = Transfer(buffer.Length);
            Convert(now);
            if (buffer.Length == 0) return;
            _pointer = buffer[0] & 0x03;
            if (buffer.Length < 3) return;
            ushort value = (ushort)(buffer[1] << 8 | buffer[2]);
            switch (_pointer)
            {
                case 0x01: Configure(value, now); break;
                case 0x02: _loThresh = value; break;
                case 0x03: _hiThresh = value; break;
                default: break; // the conversion register is read-only
            }
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            var now = Transfer(buffer.Length);
            Convert(now);
            ushort value = _pointer switch
            {
                0x00 => (ushort)_conversion,
                0x01 => (ushort)((_config & 0x7FFF) | (_converting ? 0 : 0x8000)), // OS: 0 while converting
                0x02 => _loThresh,
                _ => _hiThresh,
            };
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(i % 2 == 0 ? value >> 8 : value); // further bytes repeat the register
        }
    }

    // 16-bit registers are framed by Write and Read above; the byte-register hooks are unused.
    protected override void WriteRegister(byte register, byte value)
    {
    }

    protected override byte ReadRegister(byte register) => 0;

    private void Configure(ushort value, DateTimeOffset now)
    {
        bool continuous = (value & 0x0100) == 0;
        bool start = (value & 0x8000) != 0;
        _config = (ushort)(value & 0x7FFF);
        if (continuous)
        {
            _conversionStart = now; // a mode or input change restarts the conversion cycle
            _continuousDone = 0;
            _converting = false;
        }
        else if (start && !_converting)
        {
            _converting = true;
            _conversionStart = now;
            _singleShotEnd = now + Period();
        }
    }

    // Completes the conversions due by now.
    private void Convert(DateTimeOffset now)
    {
        if ((_config & 0x0100) == 0)
        {
            long due = (long)((now - _conversionStart).Ticks / Period().Ticks);
            if (due <= _continuousDone) return;
            _continuousDone = due;
            _conversion = Code(_conversionStart + Period() * due);
        }
        else if (_converting && now >= _singleShotEnd)
        {
            _converting = false;
            _conversion = Code(_singleShotEnd);
        }
    }

    private TimeSpan Period() => TimeSpan.FromSeconds(1.0 / Rates[(_config >> 5) & 0x07]);

    private short Code(DateTimeOffset at)
    {
        int mux = (_config >> 12) & 0x07;
        double volts = mux switch
        {
            0 => Input(0, at) - Input(1, at),
            1 => Input(0, at) - Input(3, at),
            2 => Input(1, at) - Input(3, at),
            3 => Input(2, at) - Input(3, at),
            _ => Input(mux - 4, at),
        };
        double fs = FullScale[(_config >> 9) & 0x07];
        return (short)Math.Clamp(Math.Round(volts / fs * 32768), short.MinValue, short.MaxValue);
    }

    private double Input(int channel, DateTimeOffset at) => InputModels[channel] is { } model ? model(at) : _inputs[channel];

    // The transfer occupies the bus after the previous one (or from now): 9 clocks per byte including the address.
    private DateTimeOffset Transfer(int bytes)
    {
        var now = time.GetUtcNow();
        if (_busTime < now) _busTime = now;
        _busTime += TimeSpan.FromSeconds((9.0 * (bytes + 1) + 2) / BusClockHz);
        return _busTime;
    }
}
