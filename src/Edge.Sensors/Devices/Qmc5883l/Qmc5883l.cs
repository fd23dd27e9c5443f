using System.Buffers.Binary;
using System.Device.I2c;
using UnitsNet;

namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>
/// QST QMC5883L 3-axis magnetometer, the part on most cheap "HMC5883L" (GY-271) boards; Iot.Device.Bindings has no
/// driver and its Hmc5883l reads garbage from it. Written from the QMC5883L datasheet rev. 1.0 in dotnet/iot's style.
/// The driver owns and disposes the <see cref="I2cDevice"/> when <c>shouldDispose</c> is true.
/// </summary>
public sealed class Qmc5883l : IDisposable
{
    /// <summary>7-bit I2C address (datasheet §9.1, fixed).</summary>
    public const int DefaultI2cAddress = 0x0D;

    /// <summary>Value of register 0x0D (datasheet §9.2.6).</summary>
    public const byte ExpectedChipId = 0xFF;

    private readonly I2cDevice _device;
    private readonly bool _shouldDispose;

    /// <summary>Checks the chip id, soft-resets and starts continuous measurement at the given range and rate.</summary>
    /// <exception cref="IOException">No QMC5883L answers at this address (wrong chip id or NACK).</exception>
    public Qmc5883l(I2cDevice device, Qmc5883lRange range = Qmc5883lRange.Gauss8, Qmc5883lOutputRate rate = Qmc5883lOutputRate.Hz50, bool shouldDispose = true)
    {
        _device = device;
        _shouldDispose = shouldDispose;
        byte id = ReadByte(Register.ChipId);
        if (id != ExpectedChipId) throw new IOException($"no QMC5883L at 0x{device.ConnectionSettings.DeviceAddress:X2}: chip id 0x{id:X2}, expected 0x{ExpectedChipId:X2}");
        Range = range;
        WriteByte(Register.Control2, 0x80);            // SOFT_RST (§9.2.4): registers to defaults
        WriteByte(Register.SetResetPeriod, 0x01);      // "recommended to set to 0x01" (§9.2.5)
        // Control 1 (§9.2.3): OSR 512 (00) for the lowest noise, RNG, ODR, MODE continuous (01).
        WriteByte(Register.Control1, (byte)(((byte)range << 4) | ((byte)rate << 2) | 0b01));
    }

    public Qmc5883lRange Range { get; }

    /// <summary>LSB per gauss at the configured range (datasheet Table 2: 12,000 at ±2 G, 3,000 at ±8 G).</summary>
    public double CountsPerGauss => Range == Qmc5883lRange.Gauss2 ? 12_000 : 3_000;

    /// <summary>
    /// Reads the latest sample. Returns false (and no value) while no new sample is ready or when an axis overflowed
    /// the range (status OVL, §9.2.2): a saturated reading would be invented data.
    /// </summary>
    /// <exception cref="IOException">The device did not answer.</exception>
    public bool TryReadMagneticField(out MagneticFieldVector field)
    {
        field = default;
        byte status = ReadByte(Register.Status);
        if ((status & 0x01) == 0 || (status & 0x02) != 0) return false; // DRDY clear, or OVL set
        Span<byte> data = stackalloc byte[6];
        _device.WriteByte((byte)Register.DataXLsb);
        _device.Read(data); // X, Y, Z, each little-endian signed 16-bit (§9.2.1); reading clears DRDY
        field = new MagneticFieldVector(
            Gauss(BinaryPrimitives.ReadInt16LittleEndian(data)),
            Gauss(BinaryPrimitives.ReadInt16LittleEndian(data[2..])),
            Gauss(BinaryPrimitives.ReadInt16LittleEndian(data[4..])));
        return true;
    }

    private MagneticField Gauss(short counts) => MagneticField.FromGausses(counts / CountsPerGauss);

    private byte ReadByte(Register register)
    {
        _device.WriteByte((byte)register);
        return _device.ReadByte();
    }

    private void WriteByte(Register register, byte value) => _device.Write([(byte)register, value]);

    public void Dispose()
    {
        if (_shouldDispose) _device.Dispose();
    }
}
