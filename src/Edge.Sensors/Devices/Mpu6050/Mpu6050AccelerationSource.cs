using Edge.Sensors.Detection;
using Iot.Device.Imu;

namespace Edge.Sensors.Devices.Mpu6050;

/// <summary>
/// The real dotnet/iot MPU-6050 binding feeding the fall detector. The binding's constructor resets the chip, wakes
/// it and leaves it at ±2 g, which clips an impact (falls reach 3-6 g at the trunk): this selects ±8 g (4096 LSB/g,
/// register map §4.5). <see cref="Iot.Device.Imu.Mpu6050.GetAccelerometer"/> returns m/s² (it multiplies by its
/// constant g = 9.807), so this divides by the same constant to get g. Disposing disposes the binding and its device.
/// </summary>
public sealed class Mpu6050AccelerationSource : IAccelerationSource
{
    /// <summary>The binding's own standard gravity (Mpu6050.cs, "Gravity"), to undo its m/s² scaling exactly.</summary>
    public const double BindingGravity = 9.807f;

    private readonly Iot.Device.Imu.Mpu6050 _binding;

    public Mpu6050AccelerationSource(Iot.Device.Imu.Mpu6050 binding, AccelerometerRange range = AccelerometerRange.Range08G)
    {
        _binding = binding;
        _binding.AccelerometerRange = range; // the binding writes ACCEL_CONFIG and verifies the read-back
    }

    public bool TryReadAcceleration(out double xG, out double yG, out double zG)
    {
        var a = _binding.GetAccelerometer();
        (xG, yG, zG) = (a.X / BindingGravity, a.Y / BindingGravity, a.Z / BindingGravity);
        return true;
    }

    public void Dispose() => _binding.Dispose();
}
