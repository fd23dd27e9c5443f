namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// A running scenario: the lanes, patients and weather that sensors observe, keyed by the site names of the sensor
/// configuration ("Sensors:&lt;id&gt;:Site"), so two sensors on one site watch the same vehicles or the same person.
/// Sites are created on first use with a seed derived from the scenario seed and the site name.
/// </summary>
public sealed class ScenarioWorld
{
    private readonly Dictionary<string, TrafficLane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Patient> _patients = new(StringComparer.Ordinal);

    public ScenarioWorld(Scenario scenario, int seed, DateTimeOffset now)
    {
        Scenario = scenario;
        Seed = seed;
        Start = scenario.StartTimeOfDay is { } tod ? new DateTimeOffset(now.UtcDateTime.Date + tod, TimeSpan.Zero) : now;
        Weather = new Weather(seed);
        Faults = new FaultSchedule(scenario.Faults, Start, seed);
    }

    public Scenario Scenario { get; }

    public int Seed { get; }

    /// <summary>Virtual instant the scenario starts at (the clock should start here).</summary>
    public DateTimeOffset Start { get; }

    public Weather Weather { get; }

    public FaultSchedule Faults { get; }

    public TrafficLane Lane(string site)
    {
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(site, out var lane))
                _lanes[site] = lane = new TrafficLane(SiteSeed(site), Scenario.Traffic, Start);
            return lane;
        }
    }

    public Patient Patient(string site)
    {
        lock (_patients)
        {
            if (!_patients.TryGetValue(site, out var patient))
                _patients[site] = patient = new Patient(SiteSeed(site), Scenario.Health, Start);
            return patient;
        }
    }

    // FNV-1a: stable across processes, unlike string.GetHashCode.
    private int SiteSeed(string site)
    {
        uint h = 2166136261;
        foreach (char c in site) h = (h ^ c) * 16777619;
        return (int)(h ^ (uint)Seed);
    }
}
