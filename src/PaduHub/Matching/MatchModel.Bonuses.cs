namespace PaduHub.Matching;

/// <summary>
/// The bonuses a model adds where its fields are not independent (see <see cref="ModelFit"/> for how each is
/// measured), and the level tests they share with training.
/// </summary>
public sealed partial class MatchModel
{
    (int[] Names, int Birth) NameAndBirth => (_at.Names, _at.Birth);

    /// <summary>Which comparisons are the name (the full name, or given name and surname) and which the date of birth.</summary>
    internal static (int[] Names, int Birth) NameAndBirthOf(Comparison[] comparisons) => (
        Array.IndexOf(comparisons, Matching.Comparisons.FullName) is var full and >= 0 ? [full]
            : [.. new[] { Matching.Comparisons.GivenName, Matching.Comparisons.Surname }.Select(c => Array.IndexOf(comparisons, c)).Where(i => i >= 0)],
        Array.IndexOf(comparisons, Matching.Comparisons.DateOfBirth));

    bool[] IsLocation => _at.IsLocation;

    int[] AddressParts => _at.AddressParts;

    /// <summary>Where the address, postcode, town and state comparisons are, those the model has.</summary>
    internal static int[] AddressPartsOf(Comparison[] comparisons) =>
        [.. new[] { Matching.Comparisons.Street, Matching.Comparisons.Postcode, Matching.Comparisons.City, Matching.Comparisons.State }
            .Select(c => Array.IndexOf(comparisons, c)).Where(i => i >= 0)];

    /// <summary>
    /// The address parts' levels as one number (each level plus one, three bits a part), or -1 unless at least two
    /// parts are compared and one of them differs outright.
    /// </summary>
    internal static int AddressCode(ReadOnlySpan<sbyte> levels, int[] parts)
    {
        int code = 0, compared = 0;
        var differs = false;
        foreach (var i in parts)
        {
            code = code << 3 | (levels[i] + 1);
            if (levels[i] >= 0)
            {
                compared++;
                differs |= levels[i] == 0;
            }
        }
        return compared >= 2 && differs ? code : -1;
    }

    /// <summary>
    /// What a pair's location disagreement gets back: <see cref="MovedBits"/> when every location field differs,
    /// otherwise its address pattern's <see cref="AddressMoveBits"/>, if any.
    /// </summary>
    (double Bits, bool EveryLocation) MoveBonus(ReadOnlySpan<sbyte> levels)
    {
        if (MovedBits > 0 && AllLocationsDiffer(levels, IsLocation))
        {
            return (MovedBits, true);
        }
        return AddressMoveBits.Count > 0 && AddressCode(levels, AddressParts) is >= 0 and var code && AddressMoveBits.TryGetValue(code, out var bits)
            ? (bits, false) : (0, false);
    }

    /// <summary>Whether at least two location fields are compared and every one compared disagrees outright.</summary>
    internal static bool AllLocationsDiffer(ReadOnlySpan<sbyte> levels, bool[] location)
    {
        var compared = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            if (location[i] && levels[i] >= 0)
            {
                if (levels[i] != 0)
                {
                    return false;
                }
                compared++;
            }
        }
        return compared >= 2;
    }

    internal static bool AllLocationsDiffer(ulong pattern, bool[] location)
    {
        Span<sbyte> levels = stackalloc sbyte[location.Length];
        LevelPatterns.Unpack(pattern, levels);
        return AllLocationsDiffer(levels, location);
    }

    /// <summary>
    /// How far under exact the name is, by its loosest comparison: 0 exact, 1 or 2 levels under; -1 when further, when
    /// a side has no name, or when the level under is "different" (a two-level comparison has no looser agreement).
    /// </summary>
    internal static int NameDepth(ReadOnlySpan<sbyte> levels, Comparison[] comparisons, int[] names)
    {
        var depth = names.Length == 0 ? -1 : 0;
        foreach (var i in names)
        {
            var under = comparisons[i].Exact - levels[i];
            if (levels[i] <= 0 || under > LooserNameDepths)
            {
                return -1;
            }
            depth = Math.Max(depth, under);
        }
        return depth;
    }

    /// <summary>How far under exact the birth date is: 0 exact, 1 day and month swapped, 2 a slip, 3 one part off; -1 otherwise.</summary>
    internal static int BirthDepth(ReadOnlySpan<sbyte> levels, Comparison[] comparisons, int birth) =>
        birth < 0 || levels[birth] <= 0 || comparisons[birth].Exact - levels[birth] > LooserBirthDepths ? -1 : comparisons[birth].Exact - levels[birth];

    /// <summary>The name-and-birth bonus a pair's levels earn, and the name's and the birth date's depths (-1: none).</summary>
    (double Bits, int NameDepth, int BirthDepth) NameAndBirthBonus(ReadOnlySpan<sbyte> levels)
    {
        var (names, birth) = NameAndBirth;
        var (nameDepth, birthDepth) = (NameDepth(levels, Comparisons, names), BirthDepth(levels, Comparisons, birth));
        if (nameDepth < 0 || birthDepth < 0)
        {
            return (0, -1, -1);
        }
        var bits = nameDepth == 0 && birthDepth == 0 ? NameAndBirthBits
            : LooserNameAndBirthBits.Length == LooserCells ? LooserNameAndBirthBits[GridCell(nameDepth, birthDepth)] : 0;
        return bits > 0 ? (bits, nameDepth, birthDepth) : (0, -1, -1);
    }

    /// <summary>
    /// What a pair's identity fields (and their refinements) agreeing together earn beyond their weights summed: log2 of
    /// how far their candidate u multiplied exceeds the bound <see cref="CandidateShareOfStrangers"/> sets; 0 where it
    /// does not, and where the model has no share.
    /// </summary>
    double AgreeingTogetherBits(ReadOnlySpan<sbyte> levels)
    {
        if (CandidateShareOfStrangers <= 0)
        {
            return 0;
        }
        var terms = _togetherTerms.Value;
        var bits = Math.Log2(CandidateShareOfStrangers);
        for (var i = 0; i < levels.Length; i++)
        {
            if (levels[i] >= 0 && terms[i] is { } term)
            {
                bits += term[levels[i]];
            }
        }
        return Math.Max(bits, 0);
    }

    /// <summary>For each identity field or refinement, log2(u / u from random pairs) by level; null for the rest.</summary>
    double[]?[] TogetherTerms() => [.. Parameters.Zip(Comparisons).Select(pc => pc.Second.IsLocation || pc.Second.IsAttribute
        || pc.First.URandom.Length != pc.First.U.Length ? null : pc.First.U.Zip(pc.First.URandom, (u, random) => Math.Log2(u / random)).ToArray())];

    int PhoneAt => _at.Phone;

    int HomeAt => _at.Home;

    /// <summary>The name-and-phone bonus a pair's levels earn, and the name's depth (-1: none).</summary>
    (double Bits, int NameDepth) NameAndPhoneBonus(ReadOnlySpan<sbyte> levels, MatchRecord a) =>
        NameAndPhoneBonus(levels, ExactWeight(levels, PhoneAt, a));

    /// <param name="levels">the pair's levels</param>
    /// <param name="phoneWeight">the phone's weight: 0 for an office's, which is no evidence</param>
    (double Bits, int NameDepth) NameAndPhoneBonus(ReadOnlySpan<sbyte> levels, double phoneWeight) =>
        NameAndSharedBonus(levels, NameAndPhoneBits, PhoneAt, phoneWeight != 0);

    /// <summary>The name-and-home bonus a pair's levels earn, and the name's depth (-1: none).</summary>
    (double Bits, int NameDepth) NameAndHomeBonus(ReadOnlySpan<sbyte> levels, MatchRecord a) =>
        NameAndHomeBonus(levels, ExactWeight(levels, HomeAt, a));

    /// <param name="levels">the pair's levels</param>
    /// <param name="homeWeight">the address's weight: 0 for a crowded one (a hostel, an office), which is no evidence</param>
    (double Bits, int NameDepth) NameAndHomeBonus(ReadOnlySpan<sbyte> levels, double homeWeight) =>
        NameAndSharedBonus(levels, NameAndHomeBits, HomeAt, homeWeight > 0);

    /// <summary>A comparison's weight where the pair agrees on it exactly, 0 otherwise (then no bonus is looked up).</summary>
    double ExactWeight(ReadOnlySpan<sbyte> levels, int at, MatchRecord a) =>
        at >= 0 && levels[at] == Comparisons[at].Exact ? FieldWeight(at, levels[at], a) : 0;

    /// <summary>
    /// The bits a name earns beside an exact agreement on what a household shares (<paramref name="at"/>: the phone or
    /// the address), by the name's depth; nothing when that agreement is no evidence.
    /// </summary>
    (double Bits, int NameDepth) NameAndSharedBonus(ReadOnlySpan<sbyte> levels, double[] bits, int at, bool evidence)
    {
        if (bits.Length == 0 || at < 0 || levels[at] != Comparisons[at].Exact || !evidence)
        {
            return (0, -1);
        }
        var depth = NameDepth(levels, Comparisons, NameAndBirth.Names);
        if (depth < 0)
        {
            return (0, -1);
        }
        // Measured apart for pairs at different homes and at the same one where the bits hold both (ModelFit.NameAndSharedBits).
        var index = bits.Length > LooserNameDepths + 1 ? HomeStratum(levels, Comparisons, HomeAt) * (LooserNameDepths + 1) + depth : depth;
        return bits[index] > 0 ? (bits[index], depth) : (0, -1);
    }

    /// <summary>Which of a stratified bonus's halves a pair reads: 1 at the same numbered home, 0 elsewhere or unknown.</summary>
    internal static int HomeStratum(ReadOnlySpan<sbyte> levels, Comparison[] comparisons, int home) =>
        home >= 0 && levels[home] == comparisons[home].Exact ? 1 : 0;
}
