namespace Edge.FirmwareSim.Devices.Mpu6050;

/// <summary>
/// Register-level model of an InvenSense MPU-6050 (Register Map and Descriptions RM-MPU-6000A-00 rev 4.2) as an
/// <see cref="System.Device.I2c.I2cDevice"/> for the real Iot.Device.Imu.Mpu6050 binding. Models WHO_AM_I 0x75 = 0x68
/// (§4.32: bits 6:1 only, so also 0x68 when AD0 straps the address to 0x69); PWR_MGMT_1 0x6B (§4.28) with
/// DEVICE_RESET restoring the defaults (0x40: asleep) and SLEEP freezing the data registers; SMPLRT_DIV 0x19 and
/// CONFIG 0x1A (§4.2-4.3: sample rate = 8 kHz, or 1 kHz with the DLPF on, / (1 + SMPLRT_DIV)); ACCEL_CONFIG 0x1C
/// AFS_SEL (§4.5: ±2/4/8/16 g = 16384/8192/4096/2048 LSB/g) and GYRO_CONFIG 0x1B FS_SEL (§4.4: 131/65.5/32.8/16.4
/// LSB per °/s); and the output registers 0x3B-0x48 (§4.17-4.19), big-endian two's complement, saturating, with
/// TEMP_OUT = (T − 36.53) × 340. All outputs are latched together once per sample period, so a burst read is one
/// sample. Other registers (including 0x1D, which the binding — shared with the MPU-6500 — writes and verifies) read
/// back what was written.
/// </summary>
public sealed class Mpu6050Simulator : RegisterI2cDevice
{
    private static readonly double[] AccelLsbPerG = [16384, 8192, 4096, 2048];
    private static readonly double[] GyroLsbPerDps = [131, 65.5, 32.8, 16.4];
    private readonly TimeProvider _time;
    private readonly byte[] _registers = new byte[128];
    private long _latchedSample = long.MinValue;
    private (double X, double Y, double Z) _accel = (0, 0, 1), _gyro;
    private double _temperature = 25;

    public Mpu6050Simulator(TimeProvider time, int busId = 1, int address = 0x68) : base(busId, address)
    {
        _time = time;
        Reset();
    }

    /// <summary>When set, the acceleration in g (gravity included: +1 g on z lying flat) at each sample's time.</summary>
    public Func<DateTimeOffset, (double X, double Y, double Z)>? AccelerationModel { get; set; }

    /// <summary>When set, the die temperature in °C at each sample's time.</summary>
    public Func<DateTimeOffset, double>? TemperatureModel { get; set; }

    /// <summary>Sets the acceleration (g), angular rate (°/s) and die temperature (°C) the chip sees from now on.</summary>
    public void SetMotion((double X, double Y, double Z) accelerationG, (double X, double Y, double Z) angularRateDps = default, double temperatureCelsius = 25)
    {
        lock (Sync)
        {
            (_accel, _gyro, _temperature) = (accelerationG, angularRateDps, temperatureCelsius);
            _latchedSample = long.MinValue;
        }
    }

    /// <summary>Samples per second of the output registers, from SMPLRT_DIV and DLPF_CFG.</summary>
    public double SampleRate
    {
        get
        {
            lock (Sync) return Rate();
        }
    }

    private double Rate() => ((_registers[0x1A] & 0x07) is 0 or 7 ? 8000.0 : 1000.0) / (1 + _registers[0x19]);

    private void Reset()
    {
        Array.Clear(_registers);
        _registers[0x6B] = 0x40; // §4.28: SLEEP after reset
        _registers[0x75] = 0x68;
        _latchedSample = long.MinValue;
    }

    protected override void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case 0x6B when (value & 0x80) != 0:
                Reset(); // DEVICE_RESET clears itself when the reset is done
                return;
            case >= 0x3B and <= 0x60 or 0x75 or 0x72 or 0x73:
                return; // outputs, FIFO count and WHO_AM_I are read-only
            case < 0x80:
                _registers[register] = value;
                if (register == 0x6B) _latchedSample = long.MinValue;
                return;
        }
    }

    protected override byte ReadRegister(byte register) => register < _registers.Length ? _registers[register] : (byte)0;

    // Latches the sample due by now; asleep, the registers keep their last values.
    protected override void BeforeRead()
    {
        if ((_registers[0x6B] & 0x40) != 0) return;
        double rate = Rate();
        var now = _time.GetUtcNow();
        long sample = (long)Math.Floor(now.UtcTicks / (TimeSpan.TicksPerSecond / rate));
        if (sample == _latchedSample) return;
        _latchedSample = sample;
        var at = new DateTimeOffset((long)(sample * (TimeSpan.TicksPerSecond / rate)), TimeSpan.Zero);
        if (AccelerationModel is { } accel) _accel = accel(at);
        if (TemperatureModel is { } temp) _temperature = temp(at);
        double a = AccelLsbPerG[(_registers[0x1C] >> 3) & 0x03], g = GyroLsbPerDps[(_registers[0x1B] >> 3) & 0x03];
        Put(0x3B, _accel.X * a);
        Put(0x3D, _accel.Y * a);
        Put(0x3F, _accel.Z * a);
        Put(0x41, (_temperature - 36.53) * 340);
        Put(0x43, _gyro.X * g);
        Put(0x45, _gyro.Y * g);
        Put(0x47, _gyro.Z * g);
    }

    private void Put(int register, double counts)
    {
        short value = (short)Math.Clamp(Math.Round(counts), short.MinValue, short.MaxValue);
        _registers[register] = (byte)(value >> 8);
        _registers[register + 1] = (byte)value;
    }
}
