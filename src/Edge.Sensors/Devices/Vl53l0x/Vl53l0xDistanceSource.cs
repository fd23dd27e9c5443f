using System.Device.I2c;
using Edge.Sensors.Detection;
using Iot.Device.Vl53L0X;

namespace Edge.Sensors.Devices.Vl53l0x;

/// <summary>
/// The real dotnet/iot VL53L0X binding as a distance source, in back-to-back continuous ranging (one result per
/// timing budget, 33 ms by default), so a read waits at most one budget. The binding does not check the chip, so
/// this reads IDENTIFICATION_MODEL_ID (0xC0 = 0xEE, datasheet §"Device identification"/ST API) first: a wrong part
/// at 0x29 (a VL53L1X answers there too) is refused instead of read as garbage. Calibration failures, which the
/// binding throws as a bare <see cref="Exception"/>, become <see cref="IOException"/> so the sampler retries.
/// A range of 8190 mm is the part's "no target in range" code. Disposes the binding (and so the I2C device).
/// </summary>
public sealed class Vl53l0xDistanceSource : IDistanceSource
{
    /// <summary>Value of IDENTIFICATION_MODEL_ID (register 0xC0) on every VL53L0X.</summary>
    public const byte ModelId = 0xEE;

    private readonly Vl53L0X _binding;

    public Vl53l0xDistanceSource(I2cDevice device, int operationTimeoutMilliseconds = 500)
    {
        device.WriteByte(0xC0);
        byte id = device.ReadByte();
        if (id != ModelId)
            throw new IOException($"No VL53L0X at I2C 0x{device.ConnectionSettings.DeviceAddress:X2}: model id 0x{id:X2}, expected 0x{ModelId:X2}");
        try
        {
            _binding = new Vl53L0X(device, operationTimeoutMilliseconds);
            _binding.StartContinuousMeasurement();
        }
        catch (Exception e) when (e.GetType() == typeof(Exception))
        {
            throw new IOException($"VL53L0X initialisation failed: {e.Message}", e);
        }
    }

    public bool TryReadDistance(out double? meters)
    {
        ushort mm = _binding.DistanceContinuous; // throws IOException on a NACK or when no result comes within the timeout
        meters = mm >= (ushort)OperationRange.OutOfRange ? null : mm / 1000.0;
        return true;
    }

    public void Dispose() => _binding.Dispose();
}
