using Edge.FirmwareSim.Devices.Mlx90614;

namespace Edge.FirmwareSim.Tests;

/// <summary>The forehead the mlx90614 model aims at: physically plausible, and not the sensor's linear calibration inverted.</summary>
public class ForeheadHeatBalanceTests
{
    [Fact]
    public void A_37_degree_core_in_a_22_degree_room_gives_a_forehead_of_34_to_35_degrees_warming_with_the_room_and_the_core()
    {
        double skin = ForeheadHeatBalance.SkinCelsius(37, 22);
        Assert.InRange(skin, 34, 35); // forehead skin of a resting adult in a temperate room
        Assert.True(ForeheadHeatBalance.SkinCelsius(37, 28) > skin);
        Assert.True(ForeheadHeatBalance.SkinCelsius(39.5, 22) > skin);
        Assert.True(ForeheadHeatBalance.SkinCelsius(37, 18) < skin);
    }

    [Fact]
    public void The_heat_from_the_core_equals_the_convection_and_radiation_to_the_room()
    {
        double core = 38.2, room = 19.5, skin = ForeheadHeatBalance.SkinCelsius(core, room);
        double radiation = ForeheadHeatBalance.SkinEmissivity * 5.670374419e-8 * (Math.Pow(skin + 273.15, 4) - Math.Pow(room + 273.15, 4));
        double lost = ForeheadHeatBalance.ConvectionCoefficient(skin - room) * (skin - room) + radiation;
        Assert.Equal(ForeheadHeatBalance.TissueConductance * (core - skin), lost, 1e-6);
    }

    // The effective k = (Tc − Ts) / (Ts − Ta) of a linear calibration is a constant; the balance's is not (convection
    // grows with ΔT^¼, radiation with T³), which is what lets the sensor tests measure a linear calibration's error.
    [Fact]
    public void The_effective_heat_balance_k_changes_with_room_and_core_so_no_linear_fit_is_exact()
    {
        static double K(double core, double room)
        {
            double skin = ForeheadHeatBalance.SkinCelsius(core, room);
            return (core - skin) / (skin - room);
        }
        Assert.InRange(K(40.5, 18) - K(35.5, 30), 0.01, 0.05);
    }
}
