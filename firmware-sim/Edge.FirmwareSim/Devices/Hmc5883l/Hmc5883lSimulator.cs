namespace Edge.FirmwareSim.Devices.Hmc5883l;

/// <summary>
/// Register-level model of a Honeywell HMC5883L (datasheet "3-Axis Digital Compass IC HMC5883L", rev. E) as an
/// <see cref="System.Device.I2c.I2cDevice"/> for the real Iot.Device.Hmc5883l binding: configuration A/B and mode registers, data output
/// X, Z, Y as big-endian 12-bit two's complement at 0x03-0x08 scaled by the gain of configuration B bits 7:5
/// (Table 9: 1370 ... 230 LSB/G), −4096 on overflow, status 0x09 (RDY), identification 'H' '4' '3' at 0x0A-0x0C.
/// The I2C protocol is <see cref="RegisterI2cDevice"/>'s.
/// </summary>
public sealed class Hmc5883lSimulator : RegisterI2cDevice
{
    private static readonly int[] GainLsbPerGauss = [1370, 1090, 820, 660, 440, 390, 330, 230];
    private readonly byte[] _registers = new byte[0x0D];
    private double _x, _y, _z;

    private readonly TimeProvider _time;

    public Hmc5883lSimulator(TimeProvider time, int busId = 1, int address = 0x1E) : base(busId, address)
    {
        _time = time;
        _registers[0x00] = 0x10; // defaults (§ register descriptions): 15 Hz, normal measurement
        _registers[0x01] = 0x20; // gain 1090 LSB/G
        _registers[0x02] = 0x01; // single-measurement mode
        _registers[0x0A] = (byte)'H';
        _registers[0x0B] = (byte)'4';
        _registers[0x0C] = (byte)'3';
    }

    /// <summary>When set, the field (gauss) at each read's time: a scenario such as <see cref="Scenarios.TrafficLane"/>.</summary>
    public Func<DateTimeOffset, (double X, double Y, double Z)>? FieldModel { get; set; }

    public void SetField(double xGauss, double yGauss, double zGauss)
    {
        lock (Sync) (_x, _y, _z) = (xGauss, yGauss, zGauss);
    }

    // Only the three configuration registers are writable.
    protected override void WriteRegister(byte register, byte value)
    {
        if (register <= 0x02) _registers[register] = value;
    }

    protected override byte ReadRegister(byte register) => register < _registers.Length ? _registers[register] : (byte)0;

    protected override void BeforeRead() => Latch();

    private void Latch()
    {
        if (FieldModel is { } model) (_x, _y, _z) = model(_time.GetUtcNow());
        int gain = GainLsbPerGauss[_registers[0x01] >> 5];
        Put(0x03, _x, gain);
        Put(0x05, _z, gain); // the data registers run X, Z, Y
        Put(0x07, _y, gain);
        _registers[0x09] = 0x01; // RDY
    }

    private void Put(int register, double gauss, int gain)
    {
        double counts = Math.Round(gauss * gain);
        short value = counts is < -2048 or > 2047 ? (short)-4096 : (short)counts; // 12-bit output, -4096 on overflow
        _registers[register] = (byte)(value >> 8);
        _registers[register + 1] = (byte)value;
    }
}
