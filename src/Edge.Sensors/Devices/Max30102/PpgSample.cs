namespace Edge.Sensors.Devices.Max30102;

/// <summary>One FIFO sample: red and infrared ADC counts (18-bit at 411 µs pulse width).</summary>
public readonly record struct PpgSample(int Red, int Infrared);
