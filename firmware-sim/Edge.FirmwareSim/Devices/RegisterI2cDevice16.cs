namespace Edge.FirmwareSim.Devices;

/// <summary>
/// The I2C protocol of chips with a 16-bit register index (ST's VL53L1X and other ToF parts), as an
/// <see cref="I2cDevice"/> the real drivers can use: a write starts with the index, big-endian, and following bytes
/// are written with auto-increment; a lone two-byte index sets the read pointer; reads auto-increment.
/// <see cref="Disconnected"/> and <see cref="DisconnectedWhen"/> make every transfer fail like a NACK, as in
/// <see cref="RegisterI2cDevice"/>. Thread-safe; Dispose is a no-op because drivers dispose the device they are given
/// and a simulation outlives them.
/// </summary>
public abstract class RegisterI2cDevice16(int busId, int address) : SimulatedI2cDevice(busId, address)
{
    private ushort _pointer;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            if (buffer.Length < 2) throw new IOException($"I2C write of {buffer.Length} byte(s) to 0x{ConnectionSettings.DeviceAddress:X2}: a 16-bit register index needs two");
            _pointer = (ushort)(buffer[0] << 8 | buffer[1]);
            for (int i = 2; i < buffer.Length; i++) WriteRegister(_pointer++, buffer[i]);
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            BeforeRead();
            for (int i = 0; i < buffer.Length; i++) buffer[i] = ReadRegister(_pointer++);
        }
    }

    /// <summary>Called under the lock before each read transfer: run the conversions due by now.</summary>
    protected virtual void BeforeRead()
    {
    }

    /// <summary>Applies a write; read-only registers ignore it.</summary>
    protected abstract void WriteRegister(ushort register, byte value);

    /// <summary>Returns a register's value, applying read side effects.</summary>
    protected abstract byte ReadRegister(ushort register);


}
