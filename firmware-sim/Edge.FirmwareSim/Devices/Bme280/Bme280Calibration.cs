namespace Edge.FirmwareSim.Devices.Bme280;

/// <summary>
/// A BME280's factory trimming parameters and the datasheet's double-precision compensation formulas
/// (BST-BME280-DS002 §4.2.3 and §8.1), which the simulator inverts to turn chosen physical values into ADC codes.
/// The defaults are the BMP280 datasheet's worked-example coefficients (BST-BMP280-DS001, "Calculating pressure and temperature") for T and P, and
/// typical values read from a production BME280 for H.
/// </summary>
public sealed record Bme280Calibration
{
    public ushort T1 { get; init; } = 27504;
    public short T2 { get; init; } = 26435;
    public short T3 { get; init; } = -1000;
    public ushort P1 { get; init; } = 36477;
    public short P2 { get; init; } = -10685;
    public short P3 { get; init; } = 3024;
    public short P4 { get; init; } = 2855;
    public short P5 { get; init; } = 140;
    public short P6 { get; init; } = -7;
    public short P7 { get; init; } = 15500;
    public short P8 { get; init; } = -14600;
    public short P9 { get; init; } = 6000;
    public byte H1 { get; init; } = 75;
    public short H2 { get; init; } = 362;
    public byte H3 { get; init; } = 0;
    public short H4 { get; init; } = 313; // 12-bit
    public short H5 { get; init; } = 50;  // 12-bit
    public sbyte H6 { get; init; } = 30;

    /// <summary>Temperature in °C and t_fine from a 20-bit adc_T.</summary>
    public (double Celsius, double TFine) Temperature(int adcT)
    {
        double var1 = (adcT / 16384.0 - T1 / 1024.0) * T2;
        double var2 = (adcT / 131072.0 - T1 / 8192.0) * (adcT / 131072.0 - T1 / 8192.0) * T3;
        double tFine = var1 + var2;
        return (tFine / 5120.0, tFine);
    }

    /// <summary>Pressure in Pa from a 20-bit adc_P and t_fine.</summary>
    public double Pressure(int adcP, double tFine)
    {
        double var1 = tFine / 2.0 - 64000.0;
        double var2 = var1 * var1 * P6 / 32768.0;
        var2 += var1 * P5 * 2.0;
        var2 = var2 / 4.0 + P4 * 65536.0;
        var1 = (P3 * var1 * var1 / 524288.0 + P2 * var1) / 524288.0;
        var1 = (1.0 + var1 / 32768.0) * P1;
        if (var1 == 0) return 0;
        double p = 1048576.0 - adcP;
        p = (p - var2 / 4096.0) * 6250.0 / var1;
        var1 = P9 * p * p / 2147483648.0;
        var2 = p * P8 / 32768.0;
        return p + (var1 + var2 + P7) / 16.0;
    }

    /// <summary>Relative humidity in % (unclipped) from a 16-bit adc_H and t_fine.</summary>
    public double Humidity(int adcH, double tFine)
    {
        double h = tFine - 76800.0;
        h = (adcH - (H4 * 64.0 + H5 / 16384.0 * h)) * (H2 / 65536.0 * (1.0 + H6 / 67108864.0 * h * (1.0 + H3 / 67108864.0 * h)));
        return h * (1.0 - H1 * h / 524288.0);
    }

    /// <summary>The NVM image: 0x88-0xA1 (T1…P9 little-endian, 0xA0 unused, H1) and 0xE1-0xE7 (H2…H6, H4/H5 packed; §4.2.2 Table 16).</summary>
    public void WriteTo(byte[] registers)
    {
        ushort[] words = [T1, (ushort)T2, (ushort)T3, P1, (ushort)P2, (ushort)P3, (ushort)P4, (ushort)P5, (ushort)P6, (ushort)P7, (ushort)P8, (ushort)P9];
        for (int i = 0; i < words.Length; i++)
        {
            registers[0x88 + 2 * i] = (byte)words[i];
            registers[0x89 + 2 * i] = (byte)(words[i] >> 8);
        }
        registers[0xA1] = H1;
        registers[0xE1] = (byte)H2;
        registers[0xE2] = (byte)(H2 >> 8);
        registers[0xE3] = H3;
        registers[0xE4] = (byte)(H4 >> 4);                          // H4[11:4]
        registers[0xE5] = (byte)((H4 & 0x0F) | (H5 & 0x0F) << 4);   // H4[3:0] | H5[3:0] << 4
        registers[0xE6] = (byte)(H5 >> 4);                          // H5[11:4]
        registers[0xE7] = (byte)H6;
    }
}
