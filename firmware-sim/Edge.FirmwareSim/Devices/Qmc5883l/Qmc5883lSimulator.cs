namespace Edge.FirmwareSim.Devices.Qmc5883l;

/// <summary>
/// Register-level model of a QST QMC5883L (datasheet rev. 1.0) as an <see cref="System.Device.I2c.I2cDevice"/>, so the real driver runs
/// on it unchanged. Models: the register map and chip id 0xFF (the I2C protocol is <see cref="RegisterI2cDevice"/>'s); soft reset; standby vs continuous mode; conversions at the
/// configured output data rate on the simulation clock; DRDY set by a conversion and cleared by reading data; DOR
/// when a conversion overwrites unread data; OVL and saturated codes outside the range (12,000 or 3,000 LSB/G).
/// </summary>
public sealed class Qmc5883lSimulator(TimeProvider time, int busId = 1, int address = 0x0D) : RegisterI2cDevice(busId, address)
{
    private static readonly int[] RatesHz = [10, 50, 100, 200];

    private readonly byte[] _registers = Initial();
    private double _x, _y, _z;
    private DateTimeOffset _modeStart;
    private long _conversions;

    /// <summary>Overrides the chip id register (e.g. to model a different part at the address).</summary>
    public byte ChipId
    {
        get => _registers[0x0D];
        set => _registers[0x0D] = value;
    }

    /// <summary>When set, the field (gauss) at each conversion's time: a scenario such as <see cref="Scenarios.TrafficLane"/>.</summary>
    public Func<DateTimeOffset, (double X, double Y, double Z)>? FieldModel { get; set; }

    /// <summary>Sets the field the chip sees, in gauss (the Earth's field is about 0.25-0.65 G; a car adds up to ~1 G close by).</summary>
    public void SetField(double xGauss, double yGauss, double zGauss)
    {
        lock (Sync) (_x, _y, _z) = (xGauss, yGauss, zGauss);
    }

    private static byte[] Initial()
    {
        var registers = new byte[0x0E];
        registers[0x0D] = 0xFF; // chip id
        return registers;
    }

    private void Reset()
    {
        byte id = _registers[0x0D];
        Array.Clear(_registers);
        _registers[0x0D] = id;
        _conversions = 0;
    }

    protected override void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case 0x0A when (value & 0x80) != 0:
                Reset();
                return;
            case 0x09:
                _registers[0x09] = value;
                _modeStart = time.GetUtcNow();
                _conversions = 0;
                return;
            case 0x0A or 0x0B:
                _registers[register] = value;
                return;
            default:
                return; // data, status and id registers are read-only
        }
    }

    protected override byte ReadRegister(byte register)
    {
        if (register > 0x0D) return 0;
        byte value = _registers[register];
        if (register <= 0x05) _registers[0x06] &= unchecked((byte)~0x05); // reading data clears DRDY and DOR (§9.2.2)
        return value;
    }

    // Runs the conversions due by now: in continuous mode one every 1/ODR seconds since the mode was set.
    protected override void BeforeRead()
    {
        byte control = _registers[0x09];
        if ((control & 0b11) != 0b01) return; // standby
        int rate = RatesHz[(control >> 2) & 0b11];
        long due = (long)((time.GetUtcNow() - _modeStart).TotalSeconds * rate);
        if (due <= _conversions) return;
        _conversions = due;
        double perGauss = ((control >> 4) & 0b11) == 0 ? 12_000 : 3_000;
        bool overflow = false;
        Span<short> codes = stackalloc short[3];
        if (FieldModel is { } model) (_x, _y, _z) = model(time.GetUtcNow());
        double[] field = [_x, _y, _z];
        for (int i = 0; i < 3; i++)
        {
            double c = Math.Round(field[i] * perGauss);
            if (c is > short.MaxValue or < short.MinValue) overflow = true;
            codes[i] = (short)Math.Clamp(c, short.MinValue, short.MaxValue);
            _registers[i * 2] = (byte)codes[i];
            _registers[i * 2 + 1] = (byte)(codes[i] >> 8);
        }
        byte status = _registers[0x06];
        bool unread = (status & 0x01) != 0;
        status = (byte)(0x01 | (overflow ? 0x02 : 0) | (unread ? 0x04 : 0));
        _registers[0x06] = status;
    }
}
