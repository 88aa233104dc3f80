namespace PaduHub.Matching;

/// <summary>
/// A trained Fellegi-Sunter model: for each comparison, the m and u probabilities of its levels (fitted by
/// <see cref="ModelTraining"/>; immutable once trained, a refinement is a new model). A pair's weight is the prior
/// log-odds plus the sum of log2(m/u) over its comparisons, with the exact level adjusted by how common the agreed
/// value is, plus <see cref="NameAndBirthBits"/> when name and date of birth both agree exactly.
/// </summary>
public sealed partial class MatchModel
{
    public required Comparison[] Comparisons
    {
        get => _comparisons;
        init => (_comparisons, _at) = (value, FieldsAt.Of(value));
    }

    readonly Comparison[] _comparisons = [];

    // Where each field the rules name sits, found once with the comparisons: a pair's weight reads them on every core,
    // and a cache filled on first use could be read half-written by another thread.
    readonly FieldsAt _at = FieldsAt.Of([]);

    public MatchModel() => _togetherTerms = new(TogetherTerms);

    // Made on first use, once (Lazy's default is thread-safe): the parameters are set after the comparisons.
    readonly Lazy<double[]?[]> _togetherTerms;

    /// <summary>The positions of the fields the rules name among a model's comparisons (-1: not compared).</summary>
    sealed record FieldsAt(int[] Names, int Birth, int Sex, int FullName, int Identifier, int Phone, int Home, bool[] IsLocation,
        int[] AddressParts, bool[] NoTermFrequency)
    {
        public static FieldsAt Of(Comparison[] comparisons)
        {
            var (names, birth) = NameAndBirthOf(comparisons);
            int At(Comparison c) => Array.IndexOf(comparisons, c);
            return new FieldsAt(names, birth, At(Matching.Comparisons.Sex), At(Matching.Comparisons.FullName), At(Matching.Comparisons.NationalId),
                At(Matching.Comparisons.Phone), At(Matching.Comparisons.Street), [.. comparisons.Select(c => c.IsLocation)], AddressPartsOf(comparisons),
                [.. comparisons.Select(s_noTermFrequency.Contains)]);
        }
    }
    public required ComparisonParameters[] Parameters { get; init; }
    /// <summary>The share of candidate pairs that are matches: the prior for a pair blocking found.</summary>
    public double Lambda { get; init; }

    /// <summary>
    /// The share of all pairs of two people that blocking made candidates; 0 where the model's u is the random pairs'.
    /// EM fits u among the candidates one field at a time, and blocking chose them for agreeing on something: a stranger
    /// among them agrees on a name often, but on a name and another name or a birth date at once seldom, so their u
    /// multiplied overstates how often strangers agree on several. No pattern can be commoner among the candidate strangers
    /// than among all strangers (the random pairs' u multiplied) over this share; <see cref="AgreeingTogetherBits"/> is
    /// what a pattern gains where it would be.
    /// </summary>
    public double CandidateShareOfStrangers { get; init; }
    public int TotalRecords { get; init; }
    public int EmIterations { get; init; }

    /// <summary>
    /// Exact-level adjustments are clamped: a one-off spelling is good evidence, not proof. Addresses and postcodes get
    /// none: a rare one is shared by everyone in its households, so its rarity says "same household", not "same person";
    /// towns keep theirs (docs/decisions/0007-figures-behind-the-code.md).
    /// </summary>
    const double MaxTermFrequencyBits = 4;

    /// <summary>
    /// More records than this sharing a phone or an email make it an office's or a default, not a person's: blocking
    /// refuses the block (<see cref="MatchSettings.MaxBlock"/>, the same number) and scoring gives it no weight either
    /// way. A household's phone is shared by a handful.
    /// </summary>
    public const int CrowdedAbove = 50;

    static readonly HashSet<Comparison> s_noTermFrequency = [Matching.Comparisons.Street, Matching.Comparisons.Postcode];

    public double PriorWeight => Math.Log2(Lambda / (1 - Lambda));

    /// <summary>
    /// Bits a pair gets when its name and date of birth both agree exactly, over what the two give apart. Blocking
    /// fetches people by name and by birth date, so among candidate pairs that are not one person the two seldom agree
    /// together, far less often than their separate rates multiplied; the model's independence assumption misses
    /// that, and a record held without any IC that agrees on both sat just under the link threshold. Measured from the
    /// trained model's own posteriors (see <see cref="ModelTraining"/>), never set by hand.
    /// </summary>
    public double NameAndBirthBits { get; init; }

    /// <summary>
    /// The same for a name up to two levels under exact and a birth date up to three, but not both exact: a name
    /// spelled differently or a part more or less (a record held without an IC whose name a clerk wrote another way), a
    /// birth date with day and month swapped, a slip or one part off. Indexed by <see cref="GridCell"/>; empty when
    /// training did not fit it.
    /// </summary>
    public double[] LooserNameAndBirthBits { get; init; } = [];

    /// <summary>How many levels under exact a name may be and still earn a bonus of its own.</summary>
    public const int LooserNameDepths = 2;

    /// <summary>How many levels under exact a birth date may be and still earn one: a swap, a slip, one part off.</summary>
    public const int LooserBirthDepths = 3;

    /// <summary>The depth of a birth date with a slip: the loosest that still says "the same date" (exact, swapped, a slip).</summary>
    const int SlipDepth = 2;

    /// <summary>The cells of name depth by birth date depth, but both exact.</summary>
    public const int LooserCells = (LooserNameDepths + 1) * (LooserBirthDepths + 1) - 1;

    internal static int GridCell(int nameDepth, int birthDepth) => nameDepth * (LooserBirthDepths + 1) + birthDepth - 1;

    /// <summary>
    /// Bits a pair gets back when every location field it has disagrees: one move changes the address, postcode, town
    /// and state at once, and the fields' weights summed count it four times. Measured from the trained model's own
    /// posteriors (see <see cref="ModelFit.FitMoved"/>), 0 where locations disagree independently.
    /// </summary>
    public double MovedBits { get; init; }

    /// <summary>
    /// Bits a pair gets back when its address parts (address, postcode, town, state) disagree together, some or all, as
    /// a move within a town or a state leaves them, keyed by <see cref="AddressCode"/>: their weights summed count one
    /// move several times. Measured for each pattern as <see cref="MovedBits"/> is, which a pair whose every location
    /// field differs takes instead; empty when training did not fit it.
    /// </summary>
    public IReadOnlyDictionary<int, double> AddressMoveBits { get; init; } = new Dictionary<int, double>();

    /// <summary>
    /// Bits a pair gets when its phone agrees exactly (and is no office's) and its name is at most two levels under
    /// exact, indexed by the name's depth: a household shares a phone but not a name, namesakes a name but not a phone,
    /// so the two together are rarer among pairs that are not one person than their rates multiplied. Where records carry
    /// an address, the depths for pairs at different homes come first and those at the same home follow; empty when
    /// training did not fit it.
    /// </summary>
    public double[] NameAndPhoneBits { get; init; } = [];

    /// <summary>
    /// Bits a pair gets when its address agrees exactly (the same numbered home, no crowded one) and its name is at most
    /// two levels under exact, indexed by the name's depth: a household shares a home but not a name, so an account in
    /// the registered name's own part at the registered home is rarer among two people than the two rates multiplied.
    /// Measured as <see cref="NameAndPhoneBits"/> is; empty when training did not fit it.
    /// </summary>
    public double[] NameAndHomeBits { get; init; } = [];

    /// <summary>What the checks said of the fit, and which fallback the model is, if any.</summary>
    public ModelSanity Sanity { get; init; } = ModelSanity.Passed;

    /// <summary>Whether m was fitted by sessions with u from random pairs (the fallback), rather than by EM over the candidates.</summary>
    public bool FittedBySessions { get; init; }

    /// <summary>
    /// Whether every comparison still has the levels the model was trained with. A model stored by an older version
    /// whose comparisons have since gained or renamed a level cannot score: the hub trains a new one (a full re-match).
    /// </summary>
    public bool IsCurrent => LooserNameAndBirthBits.Length is 0 or LooserCells && Parameters.Length == Comparisons.Length
        && Parameters.Zip(Comparisons).All(pc => pc.First.Levels.SequenceEqual(pc.Second.Levels, StringComparer.Ordinal));

    /// <summary>Set when training dropped the all-fields vote (see <see cref="ModelTraining"/>); not stored.</summary>
    public bool LocationVoteDropped { get; init; }

    /// <summary>The levels of every comparison for one pair, -1 where a side has nothing.</summary>
    public void Compare(MatchRecord a, MatchRecord b, Span<sbyte> levels)
    {
        for (var i = 0; i < Comparisons.Length; i++)
        {
            levels[i] = (sbyte)Comparisons[i].Level(a, b);
        }
    }

    public double Weight(MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Compare(a, b, levels);
        return Weight(levels, a);
    }

    /// <summary>
    /// A pair's weight as if it had no names, its identifiers compared as numbers alone: a number one digit from the
    /// other's is then the typo it is between two records of one name, not the twins' numbers the names made it.
    /// </summary>
    public double WeightWithoutNames(MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Compare(a, b, levels);
        foreach (var i in _at.Names)
        {
            levels[i] = Matching.Comparisons.Missing;
        }
        if (_at.Identifier >= 0 && levels[_at.Identifier] >= 0)
        {
            levels[_at.Identifier] = (sbyte)Matching.Comparisons.IdentifierLevel(a.Identifiers, b.Identifiers);
        }
        return Weight(levels, a);
    }

    /// <summary>A pair's weight as if one comparison had nothing to compare: what the rest of the pair says.</summary>
    public double WeightWithout(MatchRecord a, MatchRecord b, Comparison left)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Compare(a, b, levels);
        if (Array.IndexOf(Comparisons, left) is var i and >= 0)
        {
            levels[i] = Matching.Comparisons.Missing;
        }
        return Weight(levels, a);
    }

    /// <summary>The weight of a pair whose levels were already compared (see <see cref="LevelPatterns"/>).</summary>
    public double Weight(ulong pattern, MatchRecord a)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        LevelPatterns.Unpack(pattern, levels);
        return Weight(levels, a);
    }

    double Weight(ReadOnlySpan<sbyte> levels, MatchRecord a)
    {
        var weight = PriorWeight;
        var householdOnly = HouseholdOnly(levels);
        var identityHolds = IdentityHolds(levels);
        for (var i = 0; i < levels.Length; i++)
        {
            var w = NameWeight(i, levels[i], FieldWeight(i, levels[i], a), a, identityHolds);
            weight += Counted(i, w, householdOnly);
        }
        return weight + Math.Max(AgreeingTogetherBits(levels), NameAndBirthBonus(levels).Bits) + MoveBonus(levels).Bits + NameAndPhoneBonus(levels, a).Bits
            + NameAndHomeBonus(levels, a).Bits;
    }

    /// <summary>
    /// The weight of two clusters as two golden records: each comparison takes the best evidence any record of one
    /// gives with any record of the other (an earlier address, a second phone, the name another agency wrote), missing
    /// only where no record pair has both sides. Clusters of more than <paramref name="sample"/> records are compared
    /// on that many of each.
    /// </summary>
    public double GroupWeight(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b, int sample = 40)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Span<sbyte> best = stackalloc sbyte[Comparisons.Length];
        Span<double> bestWeight = stackalloc double[Comparisons.Length];
        best.Fill(Matching.Comparisons.Missing);
        foreach (var x in a.Take(sample))
        {
            foreach (var y in b.Take(sample))
            {
                Compare(records[x], records[y], levels);
                for (var i = 0; i < levels.Length; i++)
                {
                    if (levels[i] < 0)
                    {
                        continue;
                    }
                    var w = FieldWeight(i, levels[i], records[x]);
                    if (best[i] < 0 || w > bestWeight[i])
                    {
                        (best[i], bestWeight[i]) = (levels[i], w);
                    }
                }
            }
        }
        var weight = PriorWeight;
        var householdOnly = HouseholdOnly(best);
        var identityHolds = IdentityHolds(best);
        for (var i = 0; i < best.Length; i++)
        {
            if (best[i] >= 0)
            {
                var w = NameWeight(i, best[i], bestWeight[i], records[a[0]], identityHolds);
                weight += Counted(i, w, householdOnly);
            }
        }
        return weight + Math.Max(AgreeingTogetherBits(best), NameAndBirthBonus(best).Bits) + MoveBonus(best).Bits + NameAndPhoneBonus(best, PhoneAt >= 0 ? bestWeight[PhoneAt] : 0).Bits
            + NameAndHomeBonus(best, HomeAt >= 0 ? bestWeight[HomeAt] : 0).Bits;
    }

    public ScoredPair Score(MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Compare(a, b, levels);
        return Score(levels, a, b);
    }

    /// <summary>The scored pair, with why, from levels already compared (see <see cref="LevelPatterns"/>).</summary>
    public ScoredPair Score(ulong pattern, MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        LevelPatterns.Unpack(pattern, levels);
        return Score(levels, a, b);
    }

    ScoredPair Score(ReadOnlySpan<sbyte> levels, MatchRecord a, MatchRecord b)
    {
        var weight = PriorWeight;
        var (bonus, nameDepth, birthDepth) = NameAndBirthBonus(levels);
        // The name-and-birth bonus and the fields agreeing together say one thing, found two ways: the larger counts.
        var together = AgreeingTogetherBits(levels);
        var byTogether = together > bonus;
        var both = bonus > 0 && !byTogether;
        var joint = both || byTogether ? 1 : 0;
        var (moveBits, everyLocation) = MoveBonus(levels);
        var moved = moveBits > 0;
        var (phoneBonus, phoneNameDepth) = NameAndPhoneBonus(levels, a);
        var (homeBonus, homeNameDepth) = NameAndHomeBonus(levels, a);
        var fields = new FieldContribution[Comparisons.Length + joint + (moved ? 1 : 0) + (phoneBonus > 0 ? 1 : 0) + (homeBonus > 0 ? 1 : 0)];
        var householdOnly = HouseholdOnly(levels);
        var identityHolds = IdentityHolds(levels);
        for (var i = 0; i < levels.Length; i++)
        {
            var w = NameWeight(i, levels[i], FieldWeight(i, levels[i], a), a, identityHolds);
            w = Counted(i, w, householdOnly);
            weight += w;
            fields[i] = new FieldContribution(Comparisons[i].Name, levels[i], levels[i] < 0 ? "missing" : Comparisons[i].Levels[levels[i]], Math.Round(w, 3));
        }
        if (both)
        {
            weight += bonus;
            var born = birthDepth switch { 0 => "birth date exact", 1 => "birth date with day and month swapped", 2 => "birth date with a slip", _ => "birth date one part off" };
            fields[Comparisons.Length] = new FieldContribution(NameAndBirthField, LooserNameDepths + LooserBirthDepths + 1 - nameDepth - birthDepth,
                nameDepth == 0 && birthDepth == 0 ? "name and birth date both exact" : $"{born}, {NameDepthWords(nameDepth)}", Math.Round(bonus, 3));
        }
        if (byTogether)
        {
            weight += together;
            fields[Comparisons.Length] = new FieldContribution(AgreeingTogetherField, 1, "so much agreeing at once: rarer among strangers than each alone says",
                Math.Round(together, 3));
        }
        if (moved)
        {
            weight += moveBits;
            fields[Comparisons.Length + joint] = new FieldContribution(MovedField, 1,
                everyLocation ? "every location differs: one move, not four" : "address parts differing together: one move", Math.Round(moveBits, 3));
        }
        if (phoneBonus > 0)
        {
            weight += phoneBonus;
            fields[Comparisons.Length + joint + (moved ? 1 : 0)] = new FieldContribution(NameAndPhoneField, LooserNameDepths - phoneNameDepth,
                $"phone exact, {NameDepthWords(phoneNameDepth)}", Math.Round(phoneBonus, 3));
        }
        if (homeBonus > 0)
        {
            weight += homeBonus;
            fields[^1] = new FieldContribution(NameAndHomeField, LooserNameDepths - homeNameDepth, $"same home, {NameDepthWords(homeNameDepth)}", Math.Round(homeBonus, 3));
        }
        return new ScoredPair(a.Index, b.Index, weight, Probability(weight), fields);
    }

    public static double Probability(double weight) => 1 / (1 + Math.Pow(2, -weight));

    public const string NameAndBirthField = "name_and_birth";

    public const string AgreeingTogetherField = "agreeing_together";

    public const string MovedField = "moved";

    public const string NameAndPhoneField = "name_and_phone";

    public const string NameAndHomeField = "name_and_home";

    static string NameDepthWords(int depth) => depth switch { 0 => "name exact", 1 => "name spelled differently", _ => "a name part more or less" };

    // Read for every exact field of every pair scored: a comparison is a record, and hashing one hashes its delegates.
    bool[] NoTermFrequency => _at.NoTermFrequency;

    double FieldWeight(int comparison, int level, MatchRecord a)
    {
        if (level < 0)
        {
            return 0;
        }
        var p = Parameters[comparison];
        if (p.Crowded is { Count: > 0 } crowded && Comparisons[comparison].Shared?.Invoke(a) is { } shared && crowded.Contains(shared))
        {
            return 0;
        }
        var w = Math.Log2(p.M[level] / p.U[level]);
        if (level == p.Levels.Length - 1 && !NoTermFrequency[comparison] && p.ValueCounts is { } counts
            && Comparisons[comparison].Value?.Invoke(a) is { } value && counts.TryGetValue(value, out var count))
        {
            // Agreeing on a rare value is rarer by chance than agreeing on the average value.
            var tf = Math.Max((double)count / TotalRecords, 1.0 / TotalRecords);
            w += Math.Clamp(Math.Log2(p.URandom[level] / tf), -MaxTermFrequencyBits, MaxTermFrequencyBits);
        }
        return w;
    }
}
