namespace Edge.FirmwareSim.Devices.Mlx90614;

/// <summary>
/// Forehead skin temperature from the body core and the room, by a steady-state heat balance at the skin surface:
/// the heat the perfused tissue brings from the core equals what the skin loses to still room air by natural
/// convection and to the room's walls (at air temperature) by radiation,
/// <c>K (Tc − Ts) = h_c(Ts − Ta)·(Ts − Ta) + εσ(Ts⁴ − Ta⁴)</c>, solved for Ts.
/// <para>
/// This is the simulator's physics, written independently of the mlx90614 sensor's calibration (its linear
/// Tcore = Ts + k(Ts − Ta)), so that accuracy tests measure that linear fit against a nonlinear world: convection
/// grows with the ¼ power of the skin-to-room difference and radiation with the cube of the absolute temperature,
/// so the effective k drifts from about 0.19 in a warm room to 0.21 in a cold one with a fever.
/// </para>
/// Not modelled: sweating and insensible evaporation (a patient at rest in a temperate room), drafts (forced
/// convection), a cold or hot wall, hair or a dressing over the forehead, and the minutes the skin takes to settle.
/// </summary>
public static class ForeheadHeatBalance
{
    private const double Kelvin = 273.15;

    /// <summary>Stefan-Boltzmann constant, W/(m²·K⁴) (CODATA 2018).</summary>
    private const double Sigma = 5.670374419e-8;

    /// <summary>Emissivity of human skin in the 8-14 µm band (Steketee, Phys. Med. Biol. 18:686, 1973: 0.98 ± 0.01).</summary>
    public const double SkinEmissivity = 0.98;

    /// <summary>
    /// Height of the boundary layer's run up the face, m: still air rising along the face from the chin; the
    /// convection correlation takes the surface's height.
    /// </summary>
    private const double FaceHeight = 0.2;

    /// <summary>Thermal conductivity of skin, W/(m·K) (IT'IS Foundation tissue database; McIntosh and Anderson, Biophys. Rev. Lett. 5:129, 2010: ~0.37).</summary>
    private const double SkinConductivity = 0.37;

    /// <summary>Volumetric heat capacity of blood, J/(m³·K): density 1050 kg/m³ × specific heat 3617 J/(kg·K) (IT'IS database).</summary>
    private const double BloodHeatCapacity = 1050 * 3617;

    /// <summary>
    /// Skin blood perfusion under the forehead, 1/s (ml of blood per ml of tissue per second; 1.8·10⁻³ is ~11 ml per
    /// 100 ml per minute). Facial skin is among the best-perfused skin and, unlike the limbs, hardly vasoconstricts in
    /// a cool room — why the forehead is used at all; the databases above give a wide spread for skin, and this value
    /// within it is the model's choice, not a fit to any thermometer.
    /// </summary>
    private const double Perfusion = 1.8e-3;

    /// <summary>
    /// Conductance from core to skin surface, W/(m²·K): Pennes' bioheat equation (J. Appl. Physiol. 1:93, 1948) in a
    /// deep perfused layer fed by arterial blood at core temperature gives T(x) − Tc = (Ts − Tc)·e^(−mx),
    /// m² = ωρc_b / k, so the surface flux is √(k·ωρc_b)·(Tc − Ts). About 50 W/(m²·K).
    /// </summary>
    public static double TissueConductance { get; } = Math.Sqrt(SkinConductivity * Perfusion * BloodHeatCapacity);

    /// <summary>
    /// Natural convection from a vertical surface to still air, laminar: h_c = 1.42·(ΔT/L)^¼ W/(m²·K) (ASHRAE Handbook —
    /// Fundamentals, ch. 4, simplified free-convection equations for air); 3.3-4.3 W/(m²·K) at a forehead in 30-18 °C rooms.
    /// </summary>
    public static double ConvectionCoefficient(double skinMinusRoom) => 1.42 * Math.Pow(Math.Abs(skinMinusRoom) / FaceHeight, 0.25);

    /// <summary>
    /// Forehead skin temperature, °C, of a body at <paramref name="coreCelsius"/> in still air and walls at
    /// <paramref name="roomCelsius"/>. The balance's residual falls strictly as Ts rises, so the root lies between
    /// room and core and bisection finds it (60 halvings: far below the chip's 0.02 K step).
    /// </summary>
    public static double SkinCelsius(double coreCelsius, double roomCelsius)
    {
        double lo = Math.Min(coreCelsius, roomCelsius), hi = Math.Max(coreCelsius, roomCelsius);
        for (int i = 0; i < 60; i++)
        {
            double mid = (lo + hi) / 2;
            if (Residual(mid, coreCelsius, roomCelsius) > 0) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>Heat in from the core minus heat out to the room, W/m², at skin temperature <paramref name="skin"/>.</summary>
    private static double Residual(double skin, double core, double room)
    {
        double d = skin - room;
        double radiation = SkinEmissivity * Sigma * (Math.Pow(skin + Kelvin, 4) - Math.Pow(room + Kelvin, 4));
        return TissueConductance * (core - skin) - ConvectionCoefficient(d) * d - radiation;
    }
}
