namespace PaduHub.Matching;

/// <summary>Who shares a home in the data being fitted: families, or only a person's own records (decision record 13).</summary>
public static partial class ModelTraining
{
    /// <summary>
    /// Who shares a home in this data, from the candidate pairs at one address (exactly) whose identifier or birth date
    /// was compared: Shared where most of them differ outright in both (a home is a family's,
    /// <see cref="MatchModel.HomesShared"/>), Own where few do and there are enough of them to say (records share an
    /// address only with their own, as FEBRL's do: <see cref="MatchModel.HomesOwn"/>). Neither where nothing says.
    /// </summary>
    static (bool Shared, bool Own) Homes(Comparison[] comparisons, Dictionary<ulong, long> patterns)
    {
        var (street, identifier, birth, full) = (Array.IndexOf(comparisons, Comparisons.Street), Array.IndexOf(comparisons, Comparisons.NationalId),
            Array.IndexOf(comparisons, Comparisons.DateOfBirth), Array.IndexOf(comparisons, Comparisons.FullName));
        // With neither identifier nor birth date, the whole names say it: where few pairs at one address have names apart
        // (different, a conversion name, overlapping words), those few are a person's own records misspelt.
        var byNames = identifier < 0 && birth < 0;
        if (street < 0 || byNames && full < 0)
        {
            return (false, false);
        }
        var overlapping = byNames ? Array.IndexOf(comparisons[full].Levels, "overlapping words") : -1;
        Span<sbyte> levels = stackalloc sbyte[comparisons.Length];
        var (atOneHome, apart) = (0L, 0L);
        foreach (var (pattern, count) in patterns)
        {
            LevelPatterns.Unpack(pattern, levels);
            var compared = byNames ? levels[full] >= 0 : identifier >= 0 && levels[identifier] >= 0 || birth >= 0 && levels[birth] >= 0;
            if (levels[street] != comparisons[street].Exact || !compared)
            {
                continue;
            }
            atOneHome += count;
            apart += (byNames ? levels[full] <= overlapping : MatchModel.IdentityApart(levels, identifier, birth)) ? count : 0;
        }
        var own = atOneHome >= MinPairsAtOneHome && apart < (byNames ? OwnByNamesShare : OwnShare) * atOneHome;
        return (!byNames && apart * 2 > atOneHome, own);
    }

    /// <summary>Fewer pairs at one address than this say nothing of who shares a home.</summary>
    const int MinPairsAtOneHome = 30;

    /// <summary>
    /// Records share an address only with their own where fewer of the pairs there than this differ outright in
    /// identifier and birth date; the rest of the way to a half is left to neither rule, where populations of households
    /// fall (decision record 13 gives the shares found).
    /// </summary>
    const double OwnShare = 0.2;

    /// <summary>The same by whole names apart, which a person's own misspelt records reach more often.</summary>
    const double OwnByNamesShare = 0.35;
}
