namespace Edge.FirmwareSim.Scenarios;

/// <summary>The named scenarios (`firmware-sim run &lt;name&gt;`, and "Simulation:Scenario" in the gateway).</summary>
public static class ScenarioCatalog
{
    private static readonly TimeSpan M = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new()
        {
            Name = "default",
            Description = "a working day: traffic following the time of day, a resting patient who walks now and then and falls every 30 minutes",
            Health = new HealthProfile { Exercise = [(2 * M, 3 * M, 105), (20 * M, 5 * M, 110)], Falls = [TimeSpan.FromSeconds(90)], FallEvery = 30 * M },
            SuggestedDuration = 10 * M,
        },
        new()
        {
            Name = "rush-hour",
            Description = "07:30-09:30 on a busy road: flow builds to 1,800 vehicles/h and congests at the peak",
            StartTimeOfDay = new TimeSpan(7, 30, 0),
            Traffic = new TrafficProfile { PeakVehiclesPerHour = 1800, CongestionAbovePerHour = 1500 },
            SuggestedDuration = 120 * M,
        },
        new()
        {
            Name = "stopped-vehicle",
            Description = "moderate midday traffic; a vehicle stops on the detectors after 2 minutes and stands for 5",
            StartTimeOfDay = new TimeSpan(12, 0, 0),
            Traffic = new TrafficProfile { StoppedVehicles = [(2 * M, 5 * M)] },
            SuggestedDuration = 10 * M,
        },
        new()
        {
            Name = "exercise",
            Description = "rest, 10 minutes of exercise up to 150 bpm, recovery",
            Health = new HealthProfile { Exercise = [(2 * M, 10 * M, 150)] },
            SuggestedDuration = 20 * M,
        },
        new()
        {
            Name = "arrhythmia",
            Description = "an irregular rhythm (beat intervals varying by 25%) from minute 2 to minute 7",
            Health = new HealthProfile { Arrhythmia = [(2 * M, 5 * M)] },
        },
        new()
        {
            Name = "desaturation",
            Description = "SpO2 falls to 86% from minute 1 for 3 minutes, then recovers",
            Health = new HealthProfile { Desaturation = [(M, 3 * M, 86)] },
            SuggestedDuration = 8 * M,
        },
        new()
        {
            Name = "fever",
            Description = "body temperature rises to 39.4 °C over 2 hours and falls again",
            Health = new HealthProfile { Fever = [(10 * M, 8 * 60 * M, 39.4)] },
            SuggestedDuration = 6 * 60 * M,
        },
        new()
        {
            Name = "fall",
            Description = "a walking patient falls after 1 minute and lies still",
            Health = new HealthProfile { Exercise = [(TimeSpan.Zero, M, 95)], Falls = [M] },
            SuggestedDuration = 3 * M,
        },
        new()
        {
            Name = "faults",
            Description = "the lane magnetometer disconnects for a minute, the weather station sticks, the bay range sensor gets a noise burst",
            StartTimeOfDay = new TimeSpan(12, 0, 0),
            Faults =
            [
                new Fault("mag-lane1", FaultKind.Disconnect, M, M),
                new Fault("env-1", FaultKind.Stuck, M, 3 * M),
                new Fault("tof-bay1", FaultKind.NoiseBurst, 2 * M, M),
            ],
        },
    ];

    public static IReadOnlyList<string> Names => All.Select(s => s.Name).ToArray();

    public static bool TryGet(string name, out Scenario scenario)
    {
        scenario = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return scenario is not null;
    }
}
