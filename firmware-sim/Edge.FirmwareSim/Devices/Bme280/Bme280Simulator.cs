namespace Edge.FirmwareSim.Devices.Bme280;

/// <summary>
/// Register-level model of a Bosch BME280 (datasheet BST-BME280-DS002) as an <see cref="System.Device.I2c.I2cDevice"/>
/// for the real Iot.Device.Bmxx80.Bme280 binding. Models chip id 0x60 at 0xD0; soft reset (0xB6 to 0xE0, §5.4.2);
/// the read-only NVM trimming parameters (<see cref="Bme280Calibration"/>); ctrl_hum 0xF2 taking effect only at the
/// next write of ctrl_meas 0xF4 (§5.4.3); sleep, forced (one conversion, then back to sleep) and normal mode with
/// t_standby from config 0xF5 (§3.3); status 0xF3 bit 3 "measuring" for the maximum measurement time of Appendix B
/// §9.1 (1.25 + 2.3·osrs_t + 2.3·osrs_p + 0.575 + 2.3·osrs_h + 0.575 ms); data registers 0xF7-0xFE that change only
/// when a conversion ends, a skipped channel reading 0x80000 / 0x8000 (§4.1), and 16 + (osrs − 1) bits of resolution
/// for T and P (§3.4.2, 3.4.3). Writes are (register, value) pairs and reads auto-increment (§6.2.1). The ADC codes
/// come from inverting the compensation formulas by binary search, so a chosen temperature, pressure and humidity
/// come back out of the real driver to within one code.
/// </summary>
public sealed class Bme280Simulator : RegisterI2cDevice
{
    private static readonly int[] Oversampling = [0, 1, 2, 4, 8, 16, 16, 16];
    private static readonly double[] StandbyMs = [0.5, 62.5, 125, 250, 500, 1000, 10, 20];
    private readonly TimeProvider _time;
    private readonly Bme280Calibration _calibration;
    private readonly byte[] _registers = new byte[256];
    private byte _humidityLatched;
    private double _celsius = 20, _pascals = 101_325, _humidity = 50;
    private (int T, int P, int H)? _rawOverride;
    private DateTimeOffset _conversionStart, _conversionEnd;
    private DateTimeOffset? _nextStart;
    private bool _measuring;

    public Bme280Simulator(TimeProvider time, int busId = 1, int address = 0x77, Bme280Calibration? calibration = null) : base(busId, address)
    {
        _time = time;
        _calibration = calibration ?? new Bme280Calibration();
        Reset();
    }

    /// <summary>When set, (°C, Pa, %RH) at each conversion's time: the scenario's weather.</summary>
    public Func<DateTimeOffset, (double Celsius, double Pascals, double HumidityPercent)>? EnvironmentModel { get; set; }

    /// <summary>Sets the air the sensor sees from now on.</summary>
    public void SetEnvironment(double celsius, double pascals, double humidityPercent)
    {
        lock (Sync)
        {
            (_celsius, _pascals, _humidity) = (celsius, pascals, humidityPercent);
            _rawOverride = null;
        }
    }

    /// <summary>Makes the next conversions produce these ADC codes (20-bit T and P, 16-bit H), for datasheet worked examples.</summary>
    public void SetRawCodes(int adcT, int adcP, int adcH)
    {
        lock (Sync) _rawOverride = (adcT, adcP, adcH);
    }

    /// <summary>Maximum measurement time in ms for the current oversampling (Appendix B §9.1).</summary>
    public double MeasurementMilliseconds
    {
        get
        {
            lock (Sync) return MeasurementTime().TotalMilliseconds;
        }
    }

    private void Reset()
    {
        Array.Clear(_registers);
        _registers[0xD0] = 0x60;
        _calibration.WriteTo(_registers);
        _registers[0xF7] = 0x80; // §4.1: data registers read 0x80000 / 0x8000 until a conversion
        _registers[0xFA] = 0x80;
        _registers[0xFD] = 0x80;
        _humidityLatched = 0;
        _measuring = false;
    }

    /// <summary>BME280 writes are (register, value) pairs, not auto-incremented (§6.2.1).</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Sync)
        {
            if (buffer.Length <= 2)
            {
                base.Write(buffer);
                return;
            }
            for (int i = 0; i + 1 < buffer.Length; i += 2) base.Write(buffer.Slice(i, 2));
        }
    }

    protected override void WriteRegister(byte register, byte value)
    {
        Update();
        switch (register)
        {
            case 0xE0 when value == 0xB6:
                Reset();
                return;
            case 0xF2:
                _registers[0xF2] = (byte)(value & 0x07);
                return;
            case 0xF4:
                _registers[0xF4] = value;
                _humidityLatched = _registers[0xF2]; // §5.4.3: ctrl_hum takes effect with this write
                if ((value & 0x03) == 0) _nextStart = null;
                else if (!_measuring) Start(_time.GetUtcNow()); // forced or normal: a conversion starts now
                return;
            case 0xF5:
                _registers[0xF5] = (byte)(value & 0xFD);
                return;
            default:
                return; // id, calibration, status and data are read-only
        }
    }

    protected override byte ReadRegister(byte register)
    {
        if (register == 0xF3) return (byte)(_measuring ? 0x08 : 0x00);
        return _registers[register];
    }

    protected override void BeforeRead() => Update();

    private void Start(DateTimeOffset at)
    {
        _measuring = true;
        _nextStart = null;
        _conversionStart = at;
        _conversionEnd = at + MeasurementTime();
    }

    // Ends the conversion due by now; in normal mode the next one starts t_standby after the last ended (§3.3.4).
    private void Update()
    {
        var now = _time.GetUtcNow();
        while (true)
        {
            int mode = _registers[0xF4] & 0x03;
            if (_measuring && now >= _conversionEnd)
            {
                _measuring = false;
                Latch(_conversionStart);
                if (mode == 0x03) _nextStart = _conversionEnd + TimeSpan.FromMilliseconds(StandbyMs[_registers[0xF5] >> 5]);
                else _registers[0xF4] &= 0xFC; // forced mode returns to sleep after one conversion (§3.3.3)
            }
            else if (!_measuring && mode == 0x03 && _nextStart is { } next && now >= next)
            {
                var cycle = MeasurementTime() + TimeSpan.FromMilliseconds(StandbyMs[_registers[0xF5] >> 5]);
                long skipped = (now - next).Ticks / cycle.Ticks; // only the last conversion is visible
                Start(next + cycle * Math.Max(0, skipped - 1));
            }
            else
            {
                return;
            }
        }
    }

    private TimeSpan MeasurementTime()
    {
        int t = Oversampling[(_registers[0xF4] >> 5) & 0x07], p = Oversampling[(_registers[0xF4] >> 2) & 0x07], h = Oversampling[_humidityLatched & 0x07];
        double ms = 1.25 + 2.3 * t + (p > 0 ? 2.3 * p + 0.575 : 0) + (h > 0 ? 2.3 * h + 0.575 : 0);
        return TimeSpan.FromMilliseconds(ms);
    }

    private void Latch(DateTimeOffset at)
    {
        if (EnvironmentModel is { } model) (_celsius, _pascals, _humidity) = model(at);
        int osrsT = (_registers[0xF4] >> 5) & 0x07, osrsP = (_registers[0xF4] >> 2) & 0x07, osrsH = _humidityLatched & 0x07;
        var (adcT, adcP, adcH) = _rawOverride ?? Invert(osrsT, osrsP);
        Put20(0xFA, osrsT == 0 ? 0x80000 : adcT);
        Put20(0xF7, osrsP == 0 ? 0x80000 : adcP);
        int h = osrsH == 0 ? 0x8000 : adcH;
        _registers[0xFD] = (byte)(h >> 8);
        _registers[0xFE] = (byte)h;
    }

    private (int T, int P, int H) Invert(int osrsT, int osrsP)
    {
        var c = _calibration;
        int stepT = Step(osrsT), stepP = Step(osrsP);
        int adcT = stepT * Search((1 << 20) / stepT, k => c.Temperature(k * stepT).Celsius, _celsius, increasing: true);
        double tFine = c.Temperature(adcT).TFine;
        int adcP = stepP * Search((1 << 20) / stepP, k => c.Pressure(k * stepP, tFine), _pascals, increasing: false);
        int adcH = Search(1 << 16, code => c.Humidity(code, tFine), Math.Clamp(_humidity, 0, 100), increasing: true);
        return (adcT, adcP, adcH);
    }

    // §3.4.2-3.4.3: 16 bits at x1 up to 20 bits at x16; the low bits of the 20-bit code are then zero.
    private static int Step(int osrs) => 1 << (4 - Math.Clamp(osrs - 1, 0, 4));

    // The index in [0, count) whose compensated value is nearest the target (the formulas are monotonic).
    private static int Search(int count, Func<int, double> value, double target, bool increasing)
    {
        int lo = 0, hi = count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            bool below = increasing ? value(mid) < target : value(mid) > target;
            if (below) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0 && Math.Abs(value(lo - 1) - target) < Math.Abs(value(lo) - target)) lo--;
        return lo;
    }

    private void Put20(int register, int code)
    {
        _registers[register] = (byte)(code >> 12);
        _registers[register + 1] = (byte)(code >> 4);
        _registers[register + 2] = (byte)((code & 0x0F) << 4);
    }
}
