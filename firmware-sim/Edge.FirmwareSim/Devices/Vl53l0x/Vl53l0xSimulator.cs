namespace Edge.FirmwareSim.Devices.Vl53l0x;

/// <summary>
/// Register-level model of an ST VL53L0X time-of-flight ranging sensor (datasheet DocID029104, with the register
/// usage of ST's API STSW-IMG005) as an <see cref="System.Device.I2c.I2cDevice"/> for the real Iot.Device.Vl53L0X
/// binding. Models: register pages selected through 0xFF (the API's hidden registers live on pages 1, 6 and 7, so a
/// write to 0x00 on page 1 must not start a measurement); identification 0xC0 = 0xEE, 0xC1 = 0xAA, 0xC2 = 0x10; the
/// NVM read interface on page 7 (command 0x94, strobe 0x83, data 0x90-0x93) with module id, part UID, product id,
/// reference SPAD count/type and the factory 400 mm calibration words; SYSRANGE_START 0x00 (bit 0 single shot, which
/// reads back cleared once started, bit 1 back-to-back and bit 2 timed continuous ranging, bit 6 the VHV calibration);
/// a calibration when SYSTEM_SEQUENCE_CONFIG 0x01 has no final-range step, a ranging otherwise, finishing after
/// <see cref="TimingBudget"/> on the simulation clock; RESULT_INTERRUPT_STATUS 0x13 = 0x04 ("new sample ready") until
/// SYSTEM_INTERRUPT_CLEAR 0x0B; RESULT_RANGE_STATUS 0x14 with the device error code in bits 6:3 and the range in mm,
/// big-endian, at 0x1E. A target beyond the range (2 m with the long-range VCSEL periods, 1.2 m otherwise) reads
/// 8190 mm with a phase-check error, as the part does. Not modelled: fractional (0.25 mm) ranging, signal rates,
/// ambient light and crosstalk. The I2C protocol is <see cref="RegisterI2cDevice"/>'s.
/// </summary>
public sealed class Vl53l0xSimulator(TimeProvider time, int busId = 1, int address = 0x29) : RegisterI2cDevice(busId, address)
{
    /// <summary>Range the part reports with no target in range (the binding's OperationRange.OutOfRange).</summary>
    public const ushort OutOfRangeMillimeters = 8190;

    private const byte RangeComplete = 11;  // device error codes (API VL53L0X_DEVICEERROR_*)
    private const byte RangePhaseCheck = 6;

    private readonly Dictionary<byte, byte[]> _pages = new() { [0] = InitialPage0(), [1] = InitialPage1() };
    private readonly Dictionary<byte, uint> _nvm = Nvm();
    private byte _page;
    private bool _pending;          // a single-shot operation is running
    private bool _pendingRanging;
    private DateTimeOffset _pendingDue;
    private bool _continuous;
    private TimeSpan _continuousPeriod;
    private DateTimeOffset _continuousStart;
    private long _continuousDone;
    private double _millimeters = 500;

    /// <summary>When set, the target distance (mm) at each measurement's end: a scenario such as a lane's roof/road distance.</summary>
    public Func<DateTimeOffset, double>? DistanceModel { get; set; }

    /// <summary>Time one ranging takes (the API's default measurement timing budget is 33 ms).</summary>
    public TimeSpan TimingBudget { get; set; } = TimeSpan.FromMilliseconds(33);

    /// <summary>Time a VHV or phase reference calibration takes.</summary>
    public TimeSpan CalibrationTime { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Sets a fixed target distance in millimetres (used while no <see cref="DistanceModel"/> is set).</summary>
    public void SetDistance(double millimeters)
    {
        lock (Sync) _millimeters = millimeters;
    }

    private static byte[] InitialPage0()
    {
        var r = new byte[256];
        r[0xC0] = 0xEE; // IDENTIFICATION_MODEL_ID
        r[0xC1] = 0xAA;
        r[0xC2] = 0x10; // IDENTIFICATION_REVISION_ID
        for (int i = 0xB0; i <= 0xB5; i++) r[i] = 0xFF; // reference SPAD map as loaded from NVM
        r[0x70] = 0x04; // final-range VCSEL period 10 PCLK (default mode)
        r[0x50] = 0x06; // pre-range VCSEL period 14 PCLK
        return r;
    }

    private static byte[] InitialPage1()
    {
        var r = new byte[256];
        r[0x91] = 0x3C; // the "stop variable" the API reads at init and writes back before every measurement
        return r;
    }

    // 32-bit NVM words behind command register 0x94 (read big-endian from 0x90).
    private static Dictionary<byte, uint> Nvm()
    {
        var words = new Dictionary<byte, uint>
        {
            [0x02] = 0x01u << 24,            // module id 1 (read from 0x90)
            [0x6B] = 0x85u << 8,             // 0x92: bit 7 aperture SPADs, bits 6:0 reference SPAD count 5
            [0x7B] = 0x01u << 24,            // part UID upper
            [0x7C] = 0x02u << 24,            // part UID lower
            [0x73] = 0x0A,                   // signal rate at 400 mm (fixed point), high byte in word 0x73 bits 7:0
            [0x74] = 0x00u << 24,
            [0x75] = 0x19,                   // distance at 400 mm, 400 << 4
            [0x76] = 0x00u << 24,
        };
        // Product id: 18 characters of 7 bits packed MSB-first into words 0x77-0x7A (ST API VL53L0X_get_info_from_device).
        UInt128 stream = 0;
        string product = "VL53L0CXV0DH/1$5  ";
        for (int i = 0; i < 18; i++) stream |= (UInt128)(product[i] & 0x7F) << (121 - 7 * i);
        for (int w = 0; w < 4; w++) words[(byte)(0x77 + w)] = (uint)(stream >> (96 - 32 * w));
        return words;
    }

    private byte[] Page => _pages.TryGetValue(_page, out var p) ? p : _pages[_page] = new byte[256];

    protected override void WriteRegister(byte register, byte value)
    {
        if (register == 0xFF)
        {
            _page = value;
            return;
        }
        if (_page == 7 && register == 0x83 && value == 0x00)
        {
            // Strobe: the NVM word selected by 0x94 appears at 0x90-0x93 and 0x83 reads non-zero when done.
            uint word = _nvm.GetValueOrDefault(Page[0x94]);
            for (int i = 0; i < 4; i++) Page[0x90 + i] = (byte)(word >> (24 - 8 * i));
            Page[0x83] = 0x01;
            return;
        }
        if (_page != 0)
        {
            Page[register] = value;
            return;
        }
        switch (register)
        {
            case 0x00:
                Start(value);
                return;
            case 0x0B:
                if ((value & 0x01) != 0) Page[0x13] = 0;
                return;
            case 0x13 or (>= 0x14 and <= 0x1F) or 0xC0 or 0xC1 or 0xC2:
                return; // results and identification are read-only
            default:
                Page[register] = value;
                return;
        }
    }

    protected override byte ReadRegister(byte register) => Page[register];

    protected override void BeforeRead() => Tick(time.GetUtcNow());

    private void Start(byte value)
    {
        var now = time.GetUtcNow();
        Tick(now);
        _continuous = false;
        if ((value & 0x06) != 0)
        {
            // Timed mode waits SYSTEM_INTERMEASUREMENT_PERIOD (0x04, 32-bit, ms as written while OSC_CALIBRATE_VAL 0xF8 reads 0) between rangings.
            uint periodMs = (uint)(Page[0x04] << 24 | Page[0x05] << 16 | Page[0x06] << 8 | Page[0x07]);
            var period = (value & 0x04) != 0 ? TimeSpan.FromMilliseconds(periodMs) : TimeSpan.Zero;
            _continuousPeriod = period > TimingBudget ? period : TimingBudget;
            if (_continuousPeriod <= TimeSpan.Zero) _continuousPeriod = TimeSpan.FromMilliseconds(1);
            _continuous = true;
            _continuousStart = now;
            _continuousDone = 0;
            Page[0x00] = (byte)(value & 0x06);
            return;
        }
        Page[0x00] = 0; // bit 0 clears as soon as the operation has started; the API polls for that
        if ((value & 0x01) == 0) return;
        bool ranging = (value & 0x40) == 0 && (Page[0x01] & 0x80) != 0; // final-range step enabled: a ranging, else a reference calibration
        _pending = true;
        _pendingRanging = ranging;
        _pendingDue = now + (ranging ? TimingBudget : CalibrationTime);
    }

    // Completes what is due by now: a single-shot operation, or the continuous rangings since the mode started.
    private void Tick(DateTimeOffset now)
    {
        if (_pending && now >= _pendingDue)
        {
            _pending = false;
            if (_pendingRanging) Measure(_pendingDue);
            Page0[0x13] = 0x04;
        }
        if (_continuous)
        {
            long due = (long)((now - _continuousStart) / _continuousPeriod);
            if (due > _continuousDone)
            {
                _continuousDone = due;
                Measure(_continuousStart + _continuousPeriod * due);
                Page0[0x13] = 0x04;
            }
        }
    }

    private byte[] Page0 => _pages[0];

    private void Measure(DateTimeOffset at)
    {
        double mm = DistanceModel is { } model ? model(at) : _millimeters;
        double maxRange = (Page0[0x70] + 1) * 2 >= 14 ? 2000 : 1200; // long-range VCSEL periods reach 2 m, the default 1.2 m
        bool inRange = mm >= 0 && mm <= maxRange;
        ushort range = inRange ? (ushort)Math.Round(mm) : OutOfRangeMillimeters;
        Page0[0x14] = (byte)((inRange ? RangeComplete : RangePhaseCheck) << 3);
        Page0[0x1E] = (byte)(range >> 8);
        Page0[0x1F] = (byte)range;
    }
}
