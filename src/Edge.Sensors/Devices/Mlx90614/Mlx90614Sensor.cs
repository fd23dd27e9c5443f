using Edge.Readings;

namespace Edge.Sensors.Devices.Mlx90614;

/// <summary>
/// An MLX90614 aimed at a forehead as a sampled sensor (kind health.body_temperature, values body, skin and ambient
/// in °C). The chip reports a black-body temperature (its EEPROM emissivity is 1.0 from the factory); skin has an
/// emissivity near 0.98, so the skin temperature is recovered from the radiance balance
/// ε(Ts⁴ − Ta⁴) = (To⁴ − Ta⁴). Skin is cooler than the body core by an amount that grows with the room's coldness;
/// the core estimate is the arterial heat-balance model of temporal-artery thermometers,
/// Tcore = Ts + k (Ts − Ta) (Pompei, US patent 6,292,685), with k = <see cref="DefaultHeatBalanceK"/> unless
/// calibrated. With nothing warm in view (skin below <see cref="MinimumSkinCelsius"/>) there is no reading rather
/// than an invented body temperature.
/// </summary>
public sealed class Mlx90614Sensor(string id, Iot.Device.Mlx90614.Mlx90614 binding, double emissivity = 0.98, double heatBalanceK = Mlx90614Sensor.DefaultHeatBalanceK) : ISensor
{
    private const double Kelvin = 273.15;

    /// <summary>
    /// k of Tcore = Ts + k (Ts − Ta). Pompei's 0.19 was found for a scan over the temporal artery, where the skin is
    /// warmest; at mid-forehead the linear k is the ratio of the skin's heat loss (convection ~4 W/(m²·K) plus radiation
    /// ~6 W/(m²·K) at ε 0.98) to the tissue's conductance from the core (Pennes, ~50 W/(m²·K)), which is 0.19-0.21 and
    /// grows as the room cools and the core warms (convection goes with ΔT^¼). 0.20 keeps the estimate within
    /// 0.16 °C of that balance for rooms of 18-30 °C and cores of 35.5-41 °C, about half the ±0.3 °C a clinical
    /// thermometer may err (ASTM E1965, ISO 80601-2-56); 0.19 errs by up to −0.35 °C at a 41 °C fever in an 18 °C
    /// room. A ward with a clinical thermometer should still calibrate its own.
    /// </summary>
    public const double DefaultHeatBalanceK = 0.20;

    /// <summary>Below this the sensor is not looking at skin (a forehead in a cold room is still above ~32 °C).</summary>
    public const double MinimumSkinCelsius = 30;

    public string Id { get; } = id;

    public string Kind => ReadingKinds.BodyTemperature;

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = [];
        double ambient = binding.ReadAmbientTemperature().DegreesCelsius;
        double seen = binding.ReadObjectTemperature().DegreesCelsius;
        double skin = SkinCelsius(seen, ambient, emissivity);
        if (!double.IsFinite(skin) || skin < MinimumSkinCelsius) return false;
        double body = skin + heatBalanceK * (skin - ambient);
        values = [new("body", Math.Round(body, 2), "Cel"), new("skin", Math.Round(skin, 2), "Cel"), new("ambient", Math.Round(ambient, 2), "Cel")];
        return true;
    }

    /// <summary>The true surface temperature of a target of emissivity ε from the chip's black-body reading.</summary>
    public static double SkinCelsius(double objectCelsius, double ambientCelsius, double emissivity)
    {
        double to = Math.Pow(objectCelsius + Kelvin, 4), ta = Math.Pow(ambientCelsius + Kelvin, 4);
        return Math.Pow(ta + (to - ta) / emissivity, 0.25) - Kelvin;
    }

    public void Dispose() => binding.Dispose();
}
