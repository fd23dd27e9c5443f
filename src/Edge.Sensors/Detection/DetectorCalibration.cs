using Edge.Sensors.Configuration;

namespace Edge.Sensors.Detection;

/// <summary>
/// Calibration shared by the device types that feed one detector: the two magnetometers feed the vehicle detector,
/// the three ranging sensors the presence detector. Each Devices/&lt;chip&gt;/ type takes its defaults and options here
/// so the same names mean the same thing on every chip.
/// </summary>
internal static class DetectorCalibration
{
    /// <summary>The vehicle detector's thresholds (gauss), hysteresis between on and off.</summary>
    public static Dictionary<string, double> Vehicle() => new() { ["OnThresholdGauss"] = 0.06, ["OffThresholdGauss"] = 0.03 };

    public static VehicleDetectorOptions VehicleOptions(SensorSpec spec) => new()
    {
        OnThresholdGauss = spec.Setting("OnThresholdGauss"),
        OffThresholdGauss = spec.Setting("OffThresholdGauss"),
    };

    /// <summary>Ranging presence detectors: the mount height seeds the empty-road baseline; the threshold is how much nearer a vehicle is.</summary>
    public static Dictionary<string, double> Presence(double mountHeightMeters) => new()
    {
        ["MountHeightMeters"] = mountHeightMeters,
        ["ThresholdMeters"] = 0.5,
        ["ReportSeconds"] = 60,
    };

    public static PresenceDetectorOptions PresenceOptions(SensorSpec spec, int onSamples, int offSamples) => new()
    {
        InitialBaselineMeters = spec.Setting("MountHeightMeters"),
        OnThresholdMeters = spec.Setting("ThresholdMeters"),
        OffThresholdMeters = spec.Setting("ThresholdMeters") / 2,
        OnSamples = onSamples,
        OffSamples = offSamples,
    };

    public static TimeSpan Report(SensorSpec spec) => TimeSpan.FromSeconds(spec.Setting("ReportSeconds"));
}
