namespace Edge.FirmwareSim.Devices.Max30102;

/// <summary>
/// Register-level model of a Maxim MAX30102 (datasheet 19-7740 rev 1) with a fingertip on it, as an
/// <see cref="System.Device.I2c.I2cDevice"/>. Models part id 0x15, RESET, SpO2 mode, the sample rate of SPO2_CONFIG, the LED amplitudes,
/// and the 32-sample FIFO with write/read pointers, overflow counter and rollover; FIFO_DATA reads do not advance the
/// register pointer and pop one 6-byte (red, IR) sample. The samples are a PPG: reflected light (DC, proportional to
/// LED current) minus a pulsatile part at the subject's heart rate, the red/IR modulation ratio set by SpO2 through
/// R from Maxim's empirical calibration curve (<see cref="RatioOf"/>). Deterministic for a seed; time from the simulation clock.
/// </summary>
public sealed class Max30102Simulator : RegisterI2cDevice
{
    private const int FifoDepth = 32;
    private static readonly int[] Rates = [50, 100, 200, 400, 800, 1000, 1600, 3200];
    private readonly TimeProvider _time;
    private readonly Random _noise;
    private readonly byte[] _registers = new byte[256];
    private readonly (int Red, int Ir)[] _fifo = new (int, int)[FifoDepth];
    private DateTimeOffset _start;
    private long _generated;
    private int _count;
    private int _fifoByte;
    private (int Red, int Ir) _current;
    private double _phase;
    private double _heartRate = 72, _spo2 = 97;

    /// <param name="address">0x57, the part's only address (datasheet: write 0xAE, read 0xAF); a parameter so every model takes the same arguments.</param>
    /// <param name="seed">Seeds the PPG's noise.</param>
    public Max30102Simulator(TimeProvider time, int busId = 1, int address = 0x57, int seed = 1) : base(busId, address)
    {
        _time = time;
        _noise = new Random(seed);
        Reset();
    }

    /// <summary>No finger on the sensor: only ambient light, no pulse.</summary>
    public bool FingerOff { get; set; }

    /// <summary>When set, the subject's heart rate and SpO2 at each sample's time (a scenario's patient); overrides <see cref="SetSubject"/>.</summary>
    public Func<DateTimeOffset, (double HeartRateBpm, double SpO2Percent)>? SubjectModel { get; set; }

    /// <summary>Sets the subject's heart rate and oxygen saturation from now on.</summary>
    public void SetSubject(double heartRateBpm, double spo2Percent)
    {
        lock (Sync) (_heartRate, _spo2) = (heartRateBpm, spo2Percent);
    }

    // FIFO_DATA (0x07) keeps the pointer: each 6-byte read pops one (red, IR) sample.
    protected override bool AdvancesPointer(byte register) => register != 0x07;

    protected override byte ReadRegister(byte register)
    {
        if (register != 0x07) return _registers[register];
        if (_fifoByte == 0) _current = Pop();
        var (red, ir) = _current;
        int value = _fifoByte < 3 ? red : ir;
        int shift = 8 * (2 - _fifoByte % 3);
        _fifoByte = (_fifoByte + 1) % 6;
        return (byte)(value >> shift);
    }

    protected override void BeforeRead() => Generate();

    private void Reset()
    {
        Array.Clear(_registers);
        _count = 0;
        _fifoByte = 0;
        _registers[0xFF] = 0x15; // part id
        _registers[0xFE] = 0x03; // revision
        _registers[0x00] = 0x01; // PWR_RDY
    }

    protected override void WriteRegister(byte register, byte value)
    {
        if (register == 0x09 && (value & 0x40) != 0)
        {
            Reset(); // RESET clears itself when done
            return;
        }
        if (register is 0xFE or 0xFF or 0x00 or 0x01 or 0x07) return; // read-only
        _registers[register] = value;
        if (register is 0x04 or 0x06) _count = ((_registers[0x04] & 0x1F) - (_registers[0x06] & 0x1F) + FifoDepth) % FifoDepth;
        if (register == 0x09 || register == 0x0A)
        {
            _start = _time.GetUtcNow();
            _generated = 0;
        }
    }

    // Produces the samples due since SpO2 mode started, at the configured rate.
    private void Generate()
    {
        if ((_registers[0x09] & 0x87) != 0x03) return; // shut down or not SpO2 mode
        int rate = Rates[(_registers[0x0A] >> 2) & 0x07];
        long due = (long)((_time.GetUtcNow() - _start).TotalSeconds * rate);
        for (; _generated < due; _generated++)
        {
            if (SubjectModel is { } model) (_heartRate, _spo2) = model(_start + TimeSpan.FromSeconds((double)_generated / rate));
            Push(NextSample(rate));
        }
    }

    /// <summary>
    /// The red/IR ratio of ratios a finger at <paramref name="spo2"/> percent gives, from Maxim's empirical calibration
    /// in its MAX30102 reference design code (RD117 algorithm.h): SpO2 = −45.060·R² + 30.354·R + 94.845, solved for R on
    /// its decreasing branch (R ≥ 0.337, where SpO2 ≤ 99.96). Independent of the driver's linear fit (110 − 25·R), so
    /// the accuracy tests measure that fit's error against a published curve instead of its own inverse.
    /// </summary>
    internal static double RatioOf(double spo2)
    {
        const double a = 45.060, b = 30.354, c = 94.845;
        double s = Math.Min(spo2, 99.9);
        return (b + Math.Sqrt(b * b - 4 * a * (s - c))) / (2 * a);
    }

    private (int Red, int Ir) NextSample(int rate)
    {
        _phase += _heartRate / 60.0 / rate;
        double irDc = FingerOff ? 2_000 : 120_000 * (_registers[0x0D] / 36.0);
        double redDc = FingerOff ? 1_500 : 90_000 * (_registers[0x0C] / 36.0);
        double p = FingerOff ? 0 : Math.Sin(2 * Math.PI * _phase) + 0.3 * Math.Sin(4 * Math.PI * _phase + 0.8); // systolic peak + dicrotic notch
        double r = RatioOf(_spo2);
        double ir = irDc * (1 - 0.01 * p) + 20 * Gaussian();
        double red = redDc * (1 - 0.01 * r * p) + 20 * Gaussian();
        return ((int)Math.Clamp(red, 0, 262_143), (int)Math.Clamp(ir, 0, 262_143));
    }

    private void Push((int Red, int Ir) sample)
    {
        int write = _registers[0x04] & 0x1F;
        if (_count == FifoDepth)
        {
            // FIFO full: the overflow counter counts the lost sample; with FIFO_ROLLOVER_EN the oldest is overwritten.
            _registers[0x05] = (byte)Math.Min(31, _registers[0x05] + 1);
            if ((_registers[0x08] & 0x10) == 0) return;
            _registers[0x06] = (byte)(((_registers[0x06] & 0x1F) + 1) % FifoDepth);
            _count--;
        }
        _fifo[write] = sample;
        _registers[0x04] = (byte)((write + 1) % FifoDepth);
        _count++;
    }

    private (int Red, int Ir) Pop()
    {
        _registers[0x05] = 0; // reading the FIFO clears the overflow counter
        if (_count == 0) return (0, 0);
        int read = _registers[0x06] & 0x1F;
        _registers[0x06] = (byte)((read + 1) % FifoDepth);
        _count--;
        return _fifo[read];
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _noise.NextDouble())) * Math.Cos(2 * Math.PI * _noise.NextDouble());
}
