namespace Edge.FirmwareSim.Devices;

/// <summary>
/// The I2C protocol shared by register-based chips, as an <see cref="I2cDevice"/> the real drivers can use: a write
/// starts with the register address, following bytes are written with auto-increment; a lone address byte sets the
/// read pointer; reads auto-increment unless <see cref="AdvancesPointer"/> says otherwise (FIFO data registers).
/// <see cref="Disconnected"/> makes every transfer fail like a NACK. Thread-safe; Dispose is a no-op because drivers
/// dispose the device they are given and a simulation outlives them.
/// </summary>
public abstract class RegisterI2cDevice(int busId, int address) : SimulatedI2cDevice(busId, address)
{
    private byte _pointer;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            if (buffer.Length == 0) return;
            _pointer = buffer[0];
            for (int i = 1; i < buffer.Length; i++) WriteRegister(_pointer++, buffer[i]);
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (Sync)
        {
            Check();
            BeforeRead();
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = ReadRegister(_pointer);
                if (AdvancesPointer(_pointer)) _pointer++;
            }
        }
    }

    /// <summary>Called under the lock before each read transfer: run the conversions due by now.</summary>
    protected virtual void BeforeRead()
    {
    }

    /// <summary>Applies a write; read-only registers ignore it.</summary>
    protected abstract void WriteRegister(byte register, byte value);

    /// <summary>Returns a register's value, applying read side effects (clearing status bits, popping a FIFO).</summary>
    protected abstract byte ReadRegister(byte register);

    protected virtual bool AdvancesPointer(byte register) => true;

    /// <summary>Throws like a NACK while disconnected; for subclasses that frame transfers themselves (16-bit registers, SMBus).</summary>

}
