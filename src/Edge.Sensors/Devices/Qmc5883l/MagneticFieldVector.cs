using UnitsNet;

namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>A three-axis magnetic field sample.</summary>
public readonly record struct MagneticFieldVector(MagneticField X, MagneticField Y, MagneticField Z)
{
    /// <summary>Field strength |B|.</summary>
    public MagneticField Magnitude => MagneticField.FromGausses(Math.Sqrt(X.Gausses * X.Gausses + Y.Gausses * Y.Gausses + Z.Gausses * Z.Gausses));
}
