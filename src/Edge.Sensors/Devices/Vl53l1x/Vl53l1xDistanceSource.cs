using System.Buffers.Binary;
using System.Device.I2c;
using Edge.Sensors.Detection;
using Iot.Device.Vl53L1X;

namespace Edge.Sensors.Devices.Vl53l1x;

/// <summary>
/// The real dotnet/iot VL53L1X binding as a distance source: long distance mode (up to 4 m), 33 ms timing budget,
/// a ranging every 35 ms. Two binding gaps are covered here, on the same I2C device: the model id (0x010F = 0xEACC)
/// is checked first, and data-ready is read from GPIO__TIO_HV_STATUS bit 0 at the polarity of GPIO_HV_MUX__CTRL
/// bit 4 (ST ULD VL53L1X_CheckForDataReady), because the binding tests the whole register against zero and its own
/// default configuration sets bit 1, so it would always see "ready" and return the previous range again.
/// A range status other than 9 (valid) means no target within range. Disposes the binding (and so the I2C device).
/// </summary>
public sealed class Vl53l1xDistanceSource : IDistanceSource
{
    /// <summary>Value of IDENTIFICATION__MODEL_ID (registers 0x010F-0x0110) on every VL53L1X.</summary>
    public const ushort ModelId = 0xEACC;

    private readonly I2cDevice _device;
    private readonly Vl53L1X _binding;

    public Vl53l1xDistanceSource(I2cDevice device, int operationTimeoutMilliseconds = 500)
    {
        _device = device;
        ushort id = ReadUInt16(0x010F);
        if (id != ModelId)
            throw new IOException($"No VL53L1X at I2C 0x{device.ConnectionSettings.DeviceAddress:X2}: model id 0x{id:X4}, expected 0x{ModelId:X4}");
        _binding = new Vl53L1X(device, operationTimeoutMilliseconds);
        _binding.Precision = Precision.Long;
        _binding.TimingBudgetInMs = TimingBudget.Budget33;
        _binding.InterMeasurementInMs = 35;
        _binding.StartRanging();
    }

    public bool TryReadDistance(out double? meters)
    {
        meters = null;
        if (!DataReady()) return false;
        var status = _binding.RangeStatus;
        double mm = _binding.GetDistance().Millimeters; // reads the range and clears the interrupt
        meters = status == RangeStatus.NoError ? mm / 1000.0 : null;
        return true;
    }

    private bool DataReady()
    {
        ushort v = ReadUInt16(0x0030);                 // GPIO_HV_MUX__CTRL then GPIO__TIO_HV_STATUS
        bool activeHigh = ((v >> 8) & 0x10) == 0;      // bit 4: 0 = active high
        int line = v & 0x01;                           // bit 0: the interrupt line
        return line == (activeHigh ? 1 : 0);
    }

    private ushort ReadUInt16(ushort register)
    {
        Span<byte> index = stackalloc byte[2];
        Span<byte> data = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(index, register);
        _device.WriteRead(index, data);
        return BinaryPrimitives.ReadUInt16BigEndian(data);
    }

    public void Dispose() => _binding.Dispose();
}
