namespace Edge.FirmwareSim.Devices.Mlx90614;

/// <summary>
/// Register-level model of a Melexis MLX90614 infrared thermometer (datasheet 3901090614, "SMBus communication",
/// "RAM", "EEPROM" and "Temperature reading" sections) as an <see cref="System.Device.I2c.I2cDevice"/> for the real
/// Iot.Device.Mlx90614 binding. SMBus read word: a command byte, then LSB, MSB and a PEC byte (CRC-8, polynomial
/// x⁸+x²+x+1, over the address, command, repeated address and data). RAM (opcode 000x_xxxx): 0x06 Ta and 0x07 Tobj1
/// in 0.02 K/LSB (T = word × 0.02 − 273.15 °C), refreshed every <see cref="RefreshPeriod"/>; bit 15 of Tobj is the
/// error flag. EEPROM (opcode 001x_xxxx): 0x24 emissivity (0xFFFF = 1.0), the rest readable as zero.
/// The chip linearises radiance assuming the EEPROM emissivity, so a target of another emissivity reads off; that is
/// modelled from the Stefan-Boltzmann balance εₜ(To⁴ − Ta⁴) = ε_set(T_read⁴ − Ta⁴).
/// </summary>
public sealed class Mlx90614Simulator(TimeProvider time, int busId = 1, int address = 0x5A) : RegisterI2cDevice(busId, address)
{
    private const double KelvinOffset = 273.15;
    private readonly ushort[] _eeprom = InitialEeprom();
    private readonly byte[] _answer = new byte[3];
    private int _answerByte;
    private double _object = 25, _ambient = 25;
    private DateTimeOffset _refreshed = DateTimeOffset.MinValue;
    private ushort _ta, _tobj;

    /// <summary>How often the RAM temperatures are refreshed (set by the IIR/FIR settings of config register 0x25).</summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Emissivity of the target in view (human skin ≈ 0.98); the chip assumes the EEPROM value.</summary>
    public double TargetEmissivity { get; set; } = 1.0;

    /// <summary>When set, the (object, ambient) temperatures in °C at each refresh (a scenario's patient and room).</summary>
    public Func<DateTimeOffset, (double ObjectCelsius, double AmbientCelsius)>? TemperatureModel { get; set; }

    /// <summary>Sets the true object and ambient (die) temperatures in °C.</summary>
    public void SetTemperatures(double objectCelsius, double ambientCelsius)
    {
        lock (Sync)
        {
            (_object, _ambient) = (objectCelsius, ambientCelsius);
            _refreshed = DateTimeOffset.MinValue;
        }
    }

    private static ushort[] InitialEeprom()
    {
        var eeprom = new ushort[32];
        eeprom[0x04] = 0xFFFF; // emissivity 1.0 (factory default)
        return eeprom;
    }

    // Every read transfer is one SMBus read-word answer to the last command byte; the pointer never moves.
    protected override bool AdvancesPointer(byte register) => false;

    protected override void BeforeRead()
    {
        _answerByte = 0;
        Refresh();
    }

    protected override byte ReadRegister(byte command)
    {
        if (_answerByte == 0)
        {
            ushort word = Word(command);
            _answer[0] = (byte)word;
            _answer[1] = (byte)(word >> 8);
            int a = ConnectionSettings.DeviceAddress;
            _answer[2] = Pec([(byte)(a << 1), command, (byte)((a << 1) | 1), _answer[0], _answer[1]]);
        }
        return _answerByte < 3 ? _answer[_answerByte++] : (byte)0xFF; // past the PEC the bus idles high
    }

    // RAM is read-only; EEPROM writes over the bus (erase, then write word with PEC) are not modelled: the binding
    // never writes, and tests set EEPROM through WriteEeprom.
    protected override void WriteRegister(byte register, byte value)
    {
    }

    /// <summary>Writes an EEPROM word (command 0x20-0x3F), e.g. the emissivity at 0x24, as the SMBus write-word does.</summary>
    public void WriteEeprom(byte command, ushort value)
    {
        if (command is < 0x20 or > 0x3F) throw new ArgumentOutOfRangeException(nameof(command), "EEPROM commands are 0x20-0x3F");
        lock (Sync)
        {
            _eeprom[command - 0x20] = value;
            _refreshed = DateTimeOffset.MinValue;
        }
    }

    private ushort Word(byte command) => command switch
    {
        0x06 => _ta,
        0x07 => _tobj,
        >= 0x20 and <= 0x3F => _eeprom[command - 0x20],
        _ => 0,
    };

    private void Refresh()
    {
        var now = time.GetUtcNow();
        if (_refreshed != DateTimeOffset.MinValue && now - _refreshed < RefreshPeriod) return;
        _refreshed = now;
        if (TemperatureModel is { } model) (_object, _ambient) = model(now);
        double ta = _ambient + KelvinOffset, to = _object + KelvinOffset;
        double assumed = Math.Max(_eeprom[0x04], (ushort)1) / 65535.0;
        double seen = Math.Pow(Math.Pow(ta, 4) + TargetEmissivity / assumed * (Math.Pow(to, 4) - Math.Pow(ta, 4)), 0.25);
        _ta = Code(ta, -40, 125);
        _tobj = Code(seen, -70, 380);
    }

    // 0.02 K per LSB; outside the measurement range the word saturates and Tobj sets its error flag (bit 15).
    private static ushort Code(double kelvin, double minCelsius, double maxCelsius)
    {
        double c = kelvin - KelvinOffset;
        if (c < minCelsius || c > maxCelsius) return 0x8000;
        return (ushort)Math.Round(kelvin / 0.02);
    }

    /// <summary>SMBus packet error code: CRC-8, polynomial 0x07, initial value 0.</summary>
    public static byte Pec(ReadOnlySpan<byte> bytes)
    {
        byte crc = 0;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (byte)((crc & 0x80) != 0 ? (crc << 1) ^ 0x07 : crc << 1);
        }
        return crc;
    }
}
