namespace PaduHub.Households;

/// <summary>DOSM household income groups by gross monthly household income (docs/domain.md, income groups).</summary>
public static class IncomeGroups
{
    /// <summary>Survey year -> highest B40 income and lowest T20 income, RM a month.</summary>
    static readonly SortedDictionary<int, (decimal B40Max, decimal T20Min)> s_dosm = new()
    {
        [2022] = (5_249m, 11_820m),
        [2024] = (5_858m, 12_680m),
    };

    public const int DefaultYear = 2024;

    public static IReadOnlyCollection<int> Years => s_dosm.Keys;

    public static string Of(decimal monthlyHouseholdIncome, int year)
    {
        if (!s_dosm.TryGetValue(year, out var t))
        {
            throw new ArgumentException($"no DOSM income thresholds for {year}; known years: {string.Join(", ", s_dosm.Keys)}", nameof(year));
        }
        return monthlyHouseholdIncome <= t.B40Max ? "B40" : monthlyHouseholdIncome < t.T20Min ? "M40" : "T20";
    }
}
