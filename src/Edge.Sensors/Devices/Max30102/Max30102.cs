using System.Device.I2c;

namespace Edge.Sensors.Devices.Max30102;

/// <summary>
/// Maxim MAX30102 pulse oximeter and heart-rate sensor (no Iot.Device.Bindings driver exists), written from the
/// MAX30102 datasheet (19-7740 rev 1). Runs SpO2 mode (red + IR LEDs) and reads PPG samples from the 32-sample
/// FIFO. The driver owns and disposes the <see cref="I2cDevice"/> when <c>shouldDispose</c> is true.
/// </summary>
public sealed class Max30102 : IDisposable
{
    /// <summary>7-bit I2C address (datasheet: write 0xAE, read 0xAF).</summary>
    public const int DefaultI2cAddress = 0x57;

    /// <summary>Part ID register 0xFF value.</summary>
    public const byte PartId = 0x15;

    private const byte RegFifoWritePointer = 0x04, RegOverflowCounter = 0x05, RegFifoReadPointer = 0x06, RegFifoData = 0x07;
    private const byte RegFifoConfig = 0x08, RegModeConfig = 0x09, RegSpO2Config = 0x0A, RegLed1 = 0x0C, RegLed2 = 0x0D, RegPartId = 0xFF;
    private const int FifoDepth = 32;
    private static readonly int[] Rates = [50, 100, 200, 400, 800, 1000, 1600, 3200];

    private readonly I2cDevice _device;
    private readonly bool _shouldDispose;

    /// <param name="sampleRate">Samples per second: 50, 100, 200, 400 (18-bit resolution allows up to 400 sps in SpO2 mode, Table 11).</param>
    /// <param name="ledCurrentMilliamps">LED drive current, 0-51 mA in 0.2 mA steps (Table 8); ~7 mA suits a fingertip.</param>
    public Max30102(I2cDevice device, int sampleRate = 100, double ledCurrentMilliamps = 7.2, bool shouldDispose = true)
    {
        _device = device;
        _shouldDispose = shouldDispose;
        byte id = Read(RegPartId);
        if (id != PartId) throw new IOException($"no MAX30102 at 0x{device.ConnectionSettings.DeviceAddress:X2}: part id 0x{id:X2}, expected 0x{PartId:X2}");
        int rateIndex = Array.IndexOf(Rates, sampleRate);
        if (rateIndex is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "MAX30102 at 18 bits supports 50, 100, 200 or 400 samples/s");
        if (ledCurrentMilliamps is < 0 or > 51) throw new ArgumentOutOfRangeException(nameof(ledCurrentMilliamps), ledCurrentMilliamps, "LED current is 0-51 mA");
        SampleRate = sampleRate;
        Write(RegModeConfig, 0x40);                              // RESET (self-clearing)
        for (int i = 0; (Read(RegModeConfig) & 0x40) != 0; i++)
            if (i > 100) throw new IOException("MAX30102 did not come out of reset");
        Write(RegFifoConfig, 0b000_1_1111);                      // SMP_AVE 1 (no averaging), FIFO_ROLLOVER_EN, A_FULL 15
        Write(RegSpO2Config, (byte)(0b01 << 5 | rateIndex << 2 | 0b11)); // ADC range 4096 nA, sample rate, 411 µs (18 bit)
        byte amplitude = (byte)Math.Round(ledCurrentMilliamps / 0.2);
        Write(RegLed1, amplitude);                               // red
        Write(RegLed2, amplitude);                               // IR
        Write(RegFifoWritePointer, 0);
        Write(RegOverflowCounter, 0);
        Write(RegFifoReadPointer, 0);
        Write(RegModeConfig, 0x03);                              // SpO2 mode: red and IR
    }

    public int SampleRate { get; }

    /// <summary>Samples lost because the FIFO overflowed since the last read (read too slowly).</summary>
    public int LastOverflow { get; private set; }

    /// <summary>Reads every sample waiting in the FIFO into <paramref name="destination"/> (at most 32); returns the count.</summary>
    /// <exception cref="IOException">The device did not answer.</exception>
    public int ReadFifo(Span<PpgSample> destination)
    {
        int write = Read(RegFifoWritePointer) & 0x1F;
        LastOverflow = Read(RegOverflowCounter) & 0x1F;
        int read = Read(RegFifoReadPointer) & 0x1F;
        int available = (write - read + FifoDepth) % FifoDepth;
        if (available == 0 && LastOverflow > 0) available = FifoDepth; // full FIFO: the pointers are equal
        int n = Math.Min(available, destination.Length);
        Span<byte> bytes = stackalloc byte[6];
        for (int i = 0; i < n; i++)
        {
            _device.WriteByte(RegFifoData);
            _device.Read(bytes); // the pointer stays on FIFO_DATA; each 6-byte read pops one sample
            destination[i] = new PpgSample(Sample(bytes), Sample(bytes[3..]));
        }
        return n;
    }

    // Three bytes, MSB first, data in bits 17:0 (datasheet "FIFO Data Register").
    private static int Sample(ReadOnlySpan<byte> b) => ((b[0] << 16) | (b[1] << 8) | b[2]) & 0x3FFFF;

    private byte Read(byte register)
    {
        _device.WriteByte(register);
        return _device.ReadByte();
    }

    private void Write(byte register, byte value) => _device.Write([register, value]);

    public void Dispose()
    {
        if (_shouldDispose) _device.Dispose();
    }
}
