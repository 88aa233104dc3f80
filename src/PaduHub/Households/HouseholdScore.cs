using PaduHub.Matching;

namespace PaduHub.Households;

/// <summary>
/// Households scored against a truth: a formed household counts as right only when it holds exactly the people of
/// one true household (precision over formed households, recall over true ones), and the same-household pairs are
/// scored as matching scores its pairs. Only people present on both sides count.
/// </summary>
public sealed record HouseholdScore(int FormedHouseholds, int TrueHouseholds, int ExactHouseholds, PairwiseScore Pairs)
{
    public double Precision => FormedHouseholds == 0 ? 1 : (double)ExactHouseholds / FormedHouseholds;
    public double Recall => TrueHouseholds == 0 ? 1 : (double)ExactHouseholds / TrueHouseholds;

    public override string ToString() =>
        $"households: {FormedHouseholds} formed, {TrueHouseholds} true, {ExactHouseholds} exact; precision {Precision:0.0000} recall {Recall:0.0000}; "
        + $"same-household pairs precision {Pairs.Precision:0.0000} recall {Pairs.Recall:0.0000} F1 {Pairs.F1:0.0000}";
}
