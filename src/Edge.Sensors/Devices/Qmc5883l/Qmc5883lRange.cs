namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>Full-scale range (Control 1 RNG bits 5:4, datasheet §9.2.3).</summary>
public enum Qmc5883lRange : byte
{
    /// <summary>±2 gauss, 12,000 LSB/G.</summary>
    Gauss2 = 0b00,

    /// <summary>±8 gauss, 3,000 LSB/G.</summary>
    Gauss8 = 0b01,
}
