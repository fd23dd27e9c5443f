using System.Device.I2c;

namespace Edge.FirmwareSim.Devices;

/// <summary>
/// What every register model shares, whatever its register addressing: its bus and address, the disconnect faults
/// (<see cref="Disconnected"/>, <see cref="DisconnectedWhen"/>) that make every transfer fail like a NACK, one lock
/// per chip, and a no-op Dispose — drivers dispose the device they are given and a simulation outlives them.
/// </summary>
public abstract class SimulatedI2cDevice(int busId, int address) : I2cDevice
{
    protected object Sync { get; } = new();

    public override I2cConnectionSettings ConnectionSettings { get; } = new(busId, address);

    /// <summary>While true every transfer fails like a NACK (a disconnected or dead device).</summary>
    public bool Disconnected { get; set; }

    /// <summary>A scheduled fault: while it returns true the device is disconnected (see <see cref="Scenarios.FaultSchedule"/>).</summary>
    public Func<bool>? DisconnectedWhen { get; set; }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <summary>Throws the IOException a NACK gives while a disconnect fault is active; call under <see cref="Sync"/>.</summary>
    protected void Check()
    {
        if (Disconnected || DisconnectedWhen?.Invoke() == true) throw new IOException($"I2C transfer to 0x{ConnectionSettings.DeviceAddress:X2} was not acknowledged");
    }

    protected override void Dispose(bool disposing)
    {
    }
}
