namespace Edge.FirmwareSim.Devices.Vl53l1x;

/// <summary>
/// Register-level model of an ST VL53L1X time-of-flight ranging sensor (datasheet DS12385, register usage of ST's
/// ultra-lite driver STSW-IMG009) as an <see cref="System.Device.I2c.I2cDevice"/> for the real Iot.Device.Vl53L1X
/// binding. Models: 16-bit register indexes (<see cref="RegisterI2cDevice16"/>); FIRMWARE__SYSTEM_STATUS 0x00E5
/// reading 1 once the boot time (datasheet tBOOT, 1.2 ms) has passed; IDENTIFICATION__MODEL_ID 0x010F = 0xEACC;
/// RESULT__OSC_CALIBRATE_VAL 0x00DE; SYSTEM__MODE_START 0x0087 (0x40 starts autonomous ranging, 0x00 stops);
/// one ranging per max(timing budget, inter-measurement period), the budget decoded from
/// RANGE_CONFIG__TIMEOUT_MACROP_A 0x005E with the ULD's table and the period from 0x006C over the oscillator
/// value; GPIO__TIO_HV_STATUS 0x0031 whose bit 0 is the interrupt line (a result pending, at the polarity of
/// GPIO_HV_MUX__CTRL 0x0030 bit 4) and whose bit 1 keeps what was written (ST's default configuration writes 0x02);
/// SYSTEM__INTERRUPT_CLEAR 0x0086; RESULT__RANGE_STATUS 0x0089 (9 = valid, 4 = signal failure) and the range in
/// mm at 0x0096, big-endian. A target beyond the mode's range (4 m long, 1.3 m short: PHASECAL_CONFIG__TIMEOUT_MACROP
/// 0x004B = 0x0A or 0x14) reads 0 mm with a signal failure. Not modelled: ROI, thresholds, offsets, crosstalk.
/// </summary>
public sealed class Vl53l1xSimulator : RegisterI2cDevice16
{
    private const byte RangeValid = 9;      // RESULT__RANGE_STATUS codes as the ULD maps them
    private const byte SignalFailure = 4;
    private const ushort OscCalibrateValue = 0x24; // makes ST's default inter-measurement word 0x0F89 about 100 ms

    private readonly byte[] _registers = new byte[0x200];
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _powerOn;
    private bool _ranging;
    private TimeSpan _period;
    private DateTimeOffset _rangingStart;
    private long _rangingsDone;
    private bool _pending;
    private double _millimeters = 500;

    public Vl53l1xSimulator(TimeProvider time, int busId = 1, int address = 0x29) : base(busId, address)
    {
        _time = time;
        _powerOn = time.GetUtcNow();
        _registers[0x010F] = 0xEA;
        _registers[0x0110] = 0xCC;
        _registers[0x0111] = 0x10; // module type
        _registers[0x00DE] = OscCalibrateValue >> 8;
        _registers[0x00DF] = OscCalibrateValue & 0xFF;
        _registers[0x0030] = 0x01; // active-high interrupt
        _registers[0x004B] = 0x0A; // long distance mode
        _registers[0x005E] = 0x01; // 100 ms timing budget (long mode)
        _registers[0x005F] = 0xCC;
    }

    /// <summary>When set, the target distance (mm) at each ranging's end: a scenario such as a lane's roof/road distance.</summary>
    public Func<DateTimeOffset, double>? DistanceModel { get; set; }

    /// <summary>Time from power-on until the firmware reports booted (datasheet tBOOT).</summary>
    public TimeSpan BootTime { get; init; } = TimeSpan.FromMilliseconds(1.2);

    /// <summary>Sets a fixed target distance in millimetres (used while no <see cref="DistanceModel"/> is set).</summary>
    public void SetDistance(double millimeters)
    {
        lock (Sync) _millimeters = millimeters;
    }

    /// <summary>The ranging period now configured: the larger of the timing budget and the inter-measurement period.</summary>
    public TimeSpan RangingPeriod
    {
        get
        {
            lock (Sync) return Period();
        }
    }

    protected override void WriteRegister(ushort register, byte value)
    {
        if (register >= _registers.Length) return;
        var now = _time.GetUtcNow();
        switch (register)
        {
            case 0x0031:
                _registers[register] = (byte)(value & 0x02);
                return;
            case 0x0086:
                Tick(now);
                if ((value & 0x01) != 0) _pending = false;
                return;
            case 0x0087:
                Tick(now);
                _registers[register] = value;
                _ranging = (value & 0x40) != 0;
                _rangingStart = now;
                _rangingsDone = 0;
                _period = Period();
                return;
            case 0x0089 or (>= 0x0096 and <= 0x0097) or 0x00DE or 0x00DF or 0x00E5 or (>= 0x010F and <= 0x0111):
                return; // results, oscillator value, boot status and identification are read-only
            default:
                _registers[register] = value;
                return;
        }
    }

    protected override byte ReadRegister(ushort register)
    {
        if (register >= _registers.Length) return 0;
        return register switch
        {
            0x00E5 => (byte)(_time.GetUtcNow() - _powerOn >= BootTime ? 0x01 : 0x00),
            0x0031 => (byte)((_registers[0x0031] & 0x02) | (_pending == ((_registers[0x0030] & 0x10) == 0) ? 0x01 : 0x00)),
            _ => _registers[register],
        };
    }

    protected override void BeforeRead() => Tick(_time.GetUtcNow());

    private TimeSpan Period()
    {
        ushort budgetCode = (ushort)(_registers[0x005E] << 8 | _registers[0x005F]);
        double budgetMs = budgetCode switch // ULD VL53L1X_GetTimingBudgetInMs
        {
            0x001D => 15,
            0x0051 or 0x001E => 20,
            0x00D6 or 0x0060 => 33,
            0x01AE or 0x00AD => 50,
            0x02E1 or 0x01CC => 100,
            0x03E1 or 0x02D9 => 200,
            0x0591 or 0x048F => 500,
            _ => 100,
        };
        uint word = (uint)(_registers[0x006C] << 24 | _registers[0x006D] << 16 | _registers[0x006E] << 8 | _registers[0x006F]);
        double periodMs = word / (OscCalibrateValue * 1.065); // ULD VL53L1X_GetInterMeasurementInMs
        return TimeSpan.FromMilliseconds(Math.Max(budgetMs, periodMs));
    }

    // Completes the rangings due by now; the result registers hold the latest.
    private void Tick(DateTimeOffset now)
    {
        if (!_ranging) return;
        long due = (long)((now - _rangingStart) / _period);
        if (due <= _rangingsDone) return;
        _rangingsDone = due;
        var at = _rangingStart + _period * due;
        double mm = DistanceModel is { } model ? model(at) : _millimeters;
        double maxRange = _registers[0x004B] == 0x14 ? 1300 : 4000;
        bool inRange = mm >= 0 && mm <= maxRange;
        ushort range = inRange ? (ushort)Math.Round(mm) : (ushort)0;
        _registers[0x0089] = inRange ? RangeValid : SignalFailure;
        _registers[0x0096] = (byte)(range >> 8);
        _registers[0x0097] = (byte)range;
        _pending = true;
    }
}
