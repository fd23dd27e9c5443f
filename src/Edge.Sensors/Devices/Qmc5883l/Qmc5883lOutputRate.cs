namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>Output data rate in continuous mode (Control 1 ODR bits 3:2, datasheet §9.2.3).</summary>
public enum Qmc5883lOutputRate : byte
{
    Hz10 = 0b00,
    Hz50 = 0b01,
    Hz100 = 0b10,
    Hz200 = 0b11,
}
