namespace Edge.FirmwareSim.Scenarios;

public enum FaultKind
{
    /// <summary>The device stops answering (every I2C transfer is NACKed).</summary>
    Disconnect,

    /// <summary>The device keeps answering with the value it had when the fault began.</summary>
    Stuck,

    /// <summary>Large random noise on the device's input (EMI, a loose ground, rain on an ultrasonic sensor).</summary>
    NoiseBurst,
}
