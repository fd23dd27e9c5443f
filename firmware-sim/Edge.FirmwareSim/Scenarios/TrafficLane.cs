namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// One lane of a simulated road: vehicles arrive as a Poisson process whose rate follows the day (rush hours from
/// the <see cref="TrafficProfile"/>), slow to a crawl and queue when congested, and may stop on the detector.
/// Everything a roadside sensor sees derives from the same vehicles: the magnetic field (Earth's field plus a bump
/// per vehicle), presence (loops, time-of-flight, ultrasonic) and motion (PIR), so detectors can be checked against
/// ground truth. Deterministic for a seed; thread-safe; memory stays flat (vehicles a minute gone are forgotten).
/// </summary>
public sealed class TrafficLane
{
    private readonly List<Vehicle> _vehicles = [];
    private readonly Random _random;
    private readonly TrafficProfile _profile;
    private readonly object _lock = new();
    private readonly double _origin;
    private double _generatedUntil = double.NaN;
    private double _lastEnd = double.NegativeInfinity;
    private int _retired;

    public TrafficLane(int seed = 7, double vehiclesPerHourAtPeak = 900)
        : this(seed, new TrafficProfile { PeakVehiclesPerHour = vehiclesPerHourAtPeak }, null)
    {
    }

    /// <param name="start">Scenario start: stopped vehicles are scheduled from it.</param>
    public TrafficLane(int seed, TrafficProfile profile, DateTimeOffset? start)
    {
        _random = new Random(seed);
        _profile = profile;
        _origin = start is { } s ? Seconds(s) : double.NaN;
    }

    /// <summary>Vehicles that have arrived by <paramref name="t"/> (ground truth for tests and dashboards).</summary>
    public int VehiclesSoFar(DateTimeOffset t)
    {
        lock (_lock)
        {
            Advance(Seconds(t));
            return _retired + _vehicles.Count(v => v.Start <= Seconds(t));
        }
    }

    /// <summary>Expected arrivals per hour at a time of day.</summary>
    public double FlowPerHour(DateTimeOffset t)
    {
        double hour = t.UtcDateTime.TimeOfDay.TotalHours;
        double bump = _profile.RushHours.Select(h => Math.Exp(-Math.Pow(hour - h, 2) / 2)).DefaultIfEmpty(0).Max();
        return _profile.PeakVehiclesPerHour * (_profile.OffPeakShare + (1 - _profile.OffPeakShare) * bump);
    }

    /// <summary>The vehicle over the zone at <paramref name="t"/>, if any.</summary>
    public Vehicle? VehicleAt(DateTimeOffset t)
    {
        double s = Seconds(t);
        lock (_lock)
        {
            Advance(s);
            foreach (var v in _vehicles)
                if (s >= v.Start && s < v.End) return v;
            return null;
        }
    }

    public bool Occupied(DateTimeOffset t) => VehicleAt(t) is not null;

    /// <summary>A PIR sees a moving vehicle; a stopped one stops triggering it.</summary>
    public bool Motion(DateTimeOffset t) => VehicleAt(t) is { SpeedKmh: > 0 };

    /// <summary>Field at a surface magnetometer (gauss): the Earth's field plus a raised-cosine bump per vehicle.</summary>
    public (double X, double Y, double Z) FieldAt(DateTimeOffset time)
    {
        double t = Seconds(time);
        double bump = 0;
        lock (_lock)
        {
            Advance(t);
            foreach (var v in _vehicles)
            {
                double u = (t - v.Start) / v.Dwell;
                if (u is < 0 or > 1) continue;
                // A stopped vehicle's field is flat while it stands, with the same rise and fall at the ends.
                bump += v.SpeedKmh > 0 ? v.PeakGauss * 0.5 * (1 - Math.Cos(2 * Math.PI * u)) : v.PeakGauss * Math.Min(1, Math.Min(t - v.Start, v.End - t));
            }
        }
        return (0.20, 0.05, 0.42 + bump);
    }

    /// <summary>
    /// Range seen by a sensor mounted <paramref name="mountHeightMeters"/> above the road looking down (time-of-flight or
    /// ultrasonic over a lane or bay): the roof when a vehicle is under it, the road surface otherwise.
    /// </summary>
    public double DistanceMeters(DateTimeOffset t, double mountHeightMeters) =>
        VehicleAt(t) is { } v ? Math.Max(0.05, mountHeightMeters - v.HeightMeters) : mountHeightMeters;

    // Generates arrivals five seconds ahead of the latest query and forgets vehicles gone for a minute.
    private void Advance(double t)
    {
        if (double.IsNaN(_generatedUntil))
        {
            _generatedUntil = t;
            if (!double.IsNaN(_origin))
                foreach (var (at, duration) in _profile.StoppedVehicles)
                    _vehicles.Add(new Vehicle(_origin + at.TotalSeconds, duration.TotalSeconds, 0.35, 0, 1.5));
        }
        while (_generatedUntil < t + 5)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(_generatedUntil * 1000));
            double perHour = FlowPerHour(at);
            bool congested = perHour > _profile.CongestionAbovePerHour;
            double gap = -Math.Log(1 - _random.NextDouble()) * 3600 / perHour;
            double kmh = congested ? 5 + _random.NextDouble() * 10 : 30 + _random.NextDouble() * 30;
            double length = 3.5 + _random.NextDouble() * 2.5;
            double dwell = (length + 1.0) / (kmh / 3.6); // vehicle length + detection zone over speed
            // A vehicle enters after the one before it has left: queued traffic closes up to about two metres,
            // free flow keeps half a second at least.
            _generatedUntil = Math.Max(_generatedUntil + gap, _lastEnd + (congested ? 2.0 / (kmh / 3.6) : 0.5));
            if (_vehicles.Any(v => v.SpeedKmh == 0 && _generatedUntil < v.End && _generatedUntil + dwell > v.Start))
                continue; // a stopped vehicle blocks the zone: the lane behind it waits
            _lastEnd = _generatedUntil + dwell;
            _vehicles.Add(new Vehicle(_generatedUntil, dwell, 0.15 + _random.NextDouble() * 0.5, kmh, 1.4 + _random.NextDouble() * 0.6));
        }
        _vehicles.Sort((a, b) => a.Start.CompareTo(b.Start));
        while (_vehicles.Count > 0 && _vehicles[0].End < t - 60)
        {
            _vehicles.RemoveAt(0);
            _retired++;
        }
    }

    private static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;
}
