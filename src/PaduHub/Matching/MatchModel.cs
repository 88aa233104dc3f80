using System.Runtime.InteropServices;

namespace PaduHub.Matching;

/// <summary>
/// A Fellegi-Sunter model: for each comparison, the m and u probabilities of its levels. u comes from random pairs
/// (almost all non-matches), m from expectation-maximisation over the candidate pairs, no labels needed; steward
/// decisions, when there are any, are added as labelled pairs (see <see cref="Refine"/>). A pair's weight is the
/// prior log-odds plus the sum of log2(m/u) over its comparisons, with the exact level adjusted by how common the
/// agreed value is, plus <see cref="NameAndBirthBits"/> when name and date of birth both agree exactly.
/// </summary>
public sealed class MatchModel
{
    public required Comparison[] Comparisons { get; init; }
    public required ComparisonParameters[] Parameters { get; init; }
    /// <summary>The share of candidate pairs that are matches: the prior for a pair blocking found.</summary>
    public double Lambda { get; set; }
    public int TotalRecords { get; set; }
    public int EmIterations { get; set; }

    /// <summary>
    /// Exact-level adjustments are clamped: a one-off spelling is good evidence, not proof. Addresses and postcodes get
    /// none: a rare one is shared by everyone in its households, so its rarity says "same household", not "same person"
    /// (at 100,000 people it added 4 bits to two people of one household, JPN's record of one and TNB's of the other).
    /// Without it F1 went from 0.9867 to 0.9875 there and from 0.9960 to 0.9970 on FEBRL dataset1 without the id;
    /// towns keep theirs, which Splink's fake_1000 needs (0.9313; 0.9217 without).
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
    /// trained model's own posteriors (see <see cref="FitNameAndBirth"/>), never set by hand.
    /// </summary>
    public double NameAndBirthBits { get; set; }

    (int[] Names, int Birth)? _nameAndBirth;

    (int[] Names, int Birth) NameAndBirth => _nameAndBirth ??= (
        Array.IndexOf(Comparisons, Matching.Comparisons.FullName) is var full and >= 0 ? [full]
            : [.. new[] { Matching.Comparisons.GivenName, Matching.Comparisons.Surname }.Select(c => Array.IndexOf(Comparisons, c)).Where(i => i >= 0)],
        Array.IndexOf(Comparisons, Matching.Comparisons.DateOfBirth));

    bool NameAndBirthExact(ReadOnlySpan<sbyte> levels)
    {
        var (names, birth) = NameAndBirth;
        if (birth < 0 || names.Length == 0 || levels[birth] != Comparisons[birth].Exact)
        {
            return false;
        }
        foreach (var i in names)
        {
            if (levels[i] != Comparisons[i].Exact)
            {
                return false;
            }
        }
        return true;
    }

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

    /// <summary>The weight of a pair whose levels were already compared (see <see cref="PairPatterns"/>).</summary>
    public double Weight(ulong pattern, MatchRecord a)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Unpack(pattern, levels);
        return Weight(levels, a);
    }

    double Weight(ReadOnlySpan<sbyte> levels, MatchRecord a)
    {
        var weight = PriorWeight;
        for (var i = 0; i < levels.Length; i++)
        {
            weight += FieldWeight(i, levels[i], a);
        }
        return NameAndBirthBits > 0 && NameAndBirthExact(levels) ? weight + NameAndBirthBits : weight;
    }

    public ScoredPair Score(MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Compare(a, b, levels);
        return Score(levels, a, b);
    }

    /// <summary>The scored pair, with why, from levels already compared (see <see cref="PairPatterns"/>).</summary>
    public ScoredPair Score(ulong pattern, MatchRecord a, MatchRecord b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        Unpack(pattern, levels);
        return Score(levels, a, b);
    }

    ScoredPair Score(ReadOnlySpan<sbyte> levels, MatchRecord a, MatchRecord b)
    {
        var weight = PriorWeight;
        var both = NameAndBirthExact(levels) && NameAndBirthBits > 0;
        var fields = new FieldContribution[Comparisons.Length + (both ? 1 : 0)];
        for (var i = 0; i < levels.Length; i++)
        {
            var w = FieldWeight(i, levels[i], a);
            weight += w;
            fields[i] = new FieldContribution(Comparisons[i].Name, levels[i], levels[i] < 0 ? "missing" : Comparisons[i].Levels[levels[i]], Math.Round(w, 3));
        }
        if (both)
        {
            weight += NameAndBirthBits;
            fields[^1] = new FieldContribution(NameAndBirthField, 1, "name and birth date both exact", Math.Round(NameAndBirthBits, 3));
        }
        return new ScoredPair(a.Index, b.Index, weight, Probability(weight), fields);
    }

    public static double Probability(double weight) => 1 / (1 + Math.Pow(2, -weight));

    public const string NameAndBirthField = "name_and_birth";

    /// <summary>
    /// <see cref="NameAndBirthBits"/> from the candidate pairs, each counted as a match with the probability the model
    /// gives it: log2 of how much likelier "both exact" is among matches than among the rest, less the same for name
    /// and birth date apart. Never negative, at most 8 bits.
    /// </summary>
    void FitNameAndBirth(Dictionary<ulong, long> patterns)
    {
        var (names, birth) = NameAndBirth;
        NameAndBirthBits = 0;
        if (birth < 0 || names.Length == 0)
        {
            return;
        }
        double mAll = 0, uAll = 0, mName = 0, uName = 0, mBirth = 0, uBirth = 0, mBoth = 0, uBoth = 0;
        foreach (var (key, count) in patterns)
        {
            double lm = Math.Log(Lambda), lu = Math.Log(1 - Lambda);
            for (var i = 0; i < Comparisons.Length; i++)
            {
                var level = Unpack(key, i);
                if (level != 15)
                {
                    lm += Math.Log(Parameters[i].M[level]);
                    lu += Math.Log(Parameters[i].U[level]);
                }
            }
            var p = 1 / (1 + Math.Exp(lu - lm));
            var (m, u) = (count * p, count * (1 - p));
            mAll += m;
            uAll += u;
            var nameExact = names.All(i => Unpack(key, i) == Comparisons[i].Exact);
            var birthExact = Unpack(key, birth) == Comparisons[birth].Exact;
            if (nameExact)
            {
                (mName, uName) = (mName + m, uName + u);
            }
            if (birthExact)
            {
                (mBirth, uBirth) = (mBirth + m, uBirth + u);
            }
            if (nameExact && birthExact)
            {
                (mBoth, uBoth) = (mBoth + m, uBoth + u);
            }
        }
        double Bits(double m, double u) => Math.Log2((m + 0.5) / (mAll + 1)) - Math.Log2((u + 0.5) / (uAll + 1));
        NameAndBirthBits = Math.Clamp(Bits(mBoth, uBoth) - Bits(mName, uName) - Bits(mBirth, uBirth), 0, 8);
    }

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
        if (level == p.Levels.Length - 1 && !s_noTermFrequency.Contains(Comparisons[comparison]) && p.ValueCounts is { } counts
            && Comparisons[comparison].Value?.Invoke(a) is { } value && counts.TryGetValue(value, out var count))
        {
            // Agreeing on a value shared by 1 in 10,000 is rarer than agreeing by chance on the average value.
            var tf = Math.Max((double)count / TotalRecords, 1.0 / TotalRecords);
            w += Math.Clamp(Math.Log2(p.URandom[level] / tf), -MaxTermFrequencyBits, MaxTermFrequencyBits);
        }
        return w;
    }

    /// <summary>
    /// Trains a model without labels: u from random pairs, then m, u and lambda as <see cref="FitAndCheck"/> says, over
    /// level patterns counted, so each EM iteration costs the number of distinct patterns, not pairs.
    /// </summary>
    /// <param name="records">the run's records</param>
    /// <param name="candidates">the pairs blocking proposed</param>
    /// <param name="comparisons">what is compared</param>
    /// <param name="randomPairs">how many random pairs estimate u</param>
    /// <param name="seed">for the random pairs</param>
    /// <param name="pairPatterns">the candidates' levels, when the caller compared them already (see <see cref="PairPatterns"/>)</param>
    /// <param name="acrossSourcesOnly">a link of sources, not a dedupe: the sessions' own pairs cross sources too</param>
    public static MatchModel Train(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates, Comparison[] comparisons,
        int randomPairs = 1_000_000, int seed = 42, ulong[]? pairPatterns = null, bool acrossSourcesOnly = false)
    {
        var model = new MatchModel
        {
            Comparisons = comparisons,
            TotalRecords = records.Count,
            Parameters = comparisons.Select(c => new ComparisonParameters
            {
                Name = c.Name,
                Levels = c.Levels,
                M = InitialM(c.Levels.Length),
                U = new double[c.Levels.Length],
                URandom = new double[c.Levels.Length],
            }).ToArray(),
            Lambda = 0.1,
        };
        model.EstimateU(records, randomPairs, seed);
        model.CountValues(records);
        var patterns = CountPatterns(pairPatterns ?? PairPatterns(records, candidates, comparisons));
        model.FitAndCheck(patterns, records, acrossSourcesOnly);
        return model;
    }

    /// <summary>What the checks said of the fit, and which fallback the model is, if any.</summary>
    public ModelSanity Sanity { get; set; } = ModelSanity.Passed;

    /// <summary>Whether m was fitted by sessions with u from random pairs (the fallback), rather than by EM over the candidates.</summary>
    public bool FittedBySessions { get => _fittedBySessions; init => _fittedBySessions = value; }

    bool _fittedBySessions;

    /// <summary>
    /// Fits the model and checks it (<see cref="ModelSanity"/>). First EM over the candidate pairs (u estimated among
    /// them, location fields on the identity fields' posteriors, then every field's vote). A fit that fails is not
    /// used: <see cref="SessionTraining"/> fits again (u from random pairs, held; m from sessions blocked on one field
    /// each); where that fails too, the prior m of <see cref="PriorM"/>. The model says which, and why.
    /// </summary>
    void FitAndCheck(Dictionary<ulong, long> patterns, IReadOnlyList<MatchRecord> all, bool acrossSourcesOnly)
    {
        var records = all.Count;
        var pairs = patterns.Values.Sum();
        var identity = Comparisons.Select(c => !c.IsLocation).ToArray();
        EstimateM(patterns, 100, identity, identity);
        FitWithPosteriors(patterns, identity);
        VoteWithAllFields(patterns, identity);
        var problems = ModelSanity.Problems(this, pairs, records);
        if (problems.Count == 0)
        {
            FitNameAndBirth(patterns);
            Sanity = new ModelSanity(ModelSanity.Sound, [], [.. ModelSanity.OrderNotes(this)]);
            return;
        }
        if (SessionTraining.Fit(this, all, acrossSourcesOnly, patterns))
        {
            var bySessions = ModelSanity.Problems(this, pairs, records);
            if (bySessions.Count == 0)
            {
                _fittedBySessions = true;
                Sanity = new ModelSanity(ModelSanity.FellBackToSessions, [.. problems], [.. ModelSanity.OrderNotes(this)]);
                return;
            }
            problems.AddRange(bySessions.Select(p => "by sessions: " + p));
        }
        else
        {
            problems.Add("by sessions: too few records share a birth date, a name or an identifier to fit");
        }
        SessionTraining.UsePriors(this, patterns);
        Sanity = new ModelSanity(ModelSanity.FellBackToPriors, [.. problems], [.. ModelSanity.OrderNotes(this)]);
    }

    /// <summary>
    /// The m a fallback starts from (and keeps, when EM cannot be trusted at all): most matches agree exactly (0.85),
    /// few disagree outright (0.03), and the levels between share the rest, the closer the more.
    /// </summary>
    public static double[] PriorM(int levels)
    {
        var m = new double[levels];
        m[^1] = 0.85;
        m[0] = 0.03;
        var between = levels - 2;
        for (var l = 1; l <= between; l++)
        {
            m[l] = 0.12 * l / (between * (between + 1) / 2.0);
        }
        if (between == 0)
        {
            m[^1] = 0.97;
        }
        return m;
    }

    /// <summary>
    /// EM once more with every field voting on which pairs match, only the identity fields' parameters moving: the
    /// address then helps a person whose date of birth has a typo, and still cannot turn the model into a household
    /// detector. Unless the vote goes the other way: at a million records pairs sharing a household's address and phone
    /// outnumbered the people found twice, EM took them for the matches, and an exact date of birth came out as evidence
    /// *against* a match (m 0.84, u 0.97; 224,479 pairs sent for review). Agreeing on who someone is must never count
    /// against being the same person, so such a vote is dropped and the identity fields keep their own fit.
    /// </summary>
    void VoteWithAllFields(Dictionary<ulong, long> patterns, bool[] identity, IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null)
    {
        var own = Parameters.Select(p => (M: (double[])p.M.Clone(), U: (double[])p.U.Clone())).ToArray();
        var lambda = Lambda;
        EstimateM(patterns, 100, Comparisons.Select(_ => true).ToArray(), identity, labels);
        LocationVoteDropped = !AgreementIsEvidence(identity);
        if (LocationVoteDropped)
        {
            for (var i = 0; i < own.Length; i++)
            {
                own[i].M.CopyTo(Parameters[i].M, 0);
                own[i].U.CopyTo(Parameters[i].U, 0);
            }
            Lambda = lambda;
        }
    }

    /// <summary>Set when training dropped the all-fields vote (see <see cref="AgreementIsEvidence"/>); not stored.</summary>
    public bool LocationVoteDropped { get; private set; }

    /// <summary>
    /// Whether, for every identity comparison, agreeing exactly weighs more than disagreeing: the least any model of
    /// "same person" must say, whatever the data.
    /// </summary>
    internal bool AgreementIsEvidence(bool[] identity)
    {
        for (var i = 0; i < Parameters.Length; i++)
        {
            var p = Parameters[i];
            if (identity[i] && Math.Log(p.M[^1] / p.U[^1]) <= Math.Log(p.M[0] / p.U[0]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A starting point that calls agreement likely among matches; EM moves it from there.</summary>
    static double[] InitialM(int levels)
    {
        var m = new double[levels];
        m[^1] = 0.8;
        var rest = 0.2 / (levels - 1);
        for (var i = 0; i < levels - 1; i++)
        {
            m[i] = rest * (i + 1) / (levels / 2.0);
        }
        var total = m.Sum();
        return m.Select(x => x / total).ToArray();
    }

    void EstimateU(IReadOnlyList<MatchRecord> records, int randomPairs, int seed)
    {
        var n = records.Count;
        long allPairs = (long)n * (n - 1) / 2;
        var exhaustive = allPairs <= randomPairs;
        var partitions = Environment.ProcessorCount;
        var partial = new double[partitions][][];
        Parallel.For(0, partitions, p =>
        {
            var counts = Parameters.Select(x => new double[x.Levels.Length]).ToArray();
            Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
            var random = new Random(seed + p);
            if (exhaustive)
            {
                for (var i = p; i < n; i += partitions)
                {
                    for (var j = i + 1; j < n; j++)
                    {
                        Add(records[i], records[j], levels, counts);
                    }
                }
            }
            else
            {
                for (var k = p; k < randomPairs; k += partitions)
                {
                    var i = random.Next(n);
                    var j = random.Next(n - 1);
                    Add(records[i], records[j >= i ? j + 1 : j], levels, counts);
                }
            }
            partial[p] = counts;
        });
        for (var c = 0; c < Parameters.Length; c++)
        {
            var counts = Enumerable.Range(0, Parameters[c].Levels.Length).Select(l => partial.Sum(p => p[c][l])).ToArray();
            // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
            var total = counts.Sum() + counts.Length;
            for (var l = 0; l < counts.Length; l++)
            {
                Parameters[c].U[l] = Parameters[c].URandom[l] = (counts[l] + 1) / total;
            }
        }

        void Add(MatchRecord a, MatchRecord b, Span<sbyte> levels, double[][] counts)
        {
            Compare(a, b, levels);
            for (var c = 0; c < levels.Length; c++)
            {
                if (levels[c] >= 0)
                {
                    counts[c][levels[c]]++;
                }
            }
        }
    }

    void CountValues(IReadOnlyList<MatchRecord> records)
    {
        Dictionary<string, int> Count(Func<MatchRecord, string?> valueOf)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                if (valueOf(r) is { } v)
                {
                    counts[v] = counts.GetValueOrDefault(v) + 1;
                }
            }
            return counts;
        }
        for (var c = 0; c < Comparisons.Length; c++)
        {
            var (value, shared) = (Comparisons[c].Value, Comparisons[c].Shared);
            var counts = value is null ? null : Count(value);
            Parameters[c].ValueCounts = counts;
            if (shared is not null)
            {
                // An email's counts serve both; a phone, which has no term frequency, is counted for this alone.
                var times = shared == value ? counts! : Count(shared);
                var crowded = times.Where(t => t.Value > CrowdedAbove).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
                Parameters[c].Crowded = crowded.Count > 0 ? crowded : null;
            }
        }
    }

    /// <summary>
    /// Every pair's levels, packed four bits a comparison (15 = missing). Comparing is nearly all of the cost of training and of scoring, and both need the same levels of the
    /// same pairs: a full run compares each pair once and keeps the result (8 bytes a pair).
    /// </summary>
    public static ulong[] PairPatterns(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> pairs, Comparison[] comparisons)
    {
        if (comparisons.Length > 16)
        {
            throw new ArgumentException("at most 16 comparisons fit a packed pattern", nameof(comparisons));
        }
        var patterns = new ulong[pairs.Count];
        var partitions = Environment.ProcessorCount;
        // Arrays and spans, not the lists' interfaces: an interface call per record and pair fetched was a twentieth of comparing (perf).
        var recordArray = records as MatchRecord[] ?? [.. records];
        var pairList = pairs as List<(int A, int B)>;
        var pairArray = pairList is null ? pairs as (int A, int B)[] ?? [.. pairs] : null;
        Parallel.For(0, partitions, p =>
        {
            Span<sbyte> levels = stackalloc sbyte[comparisons.Length];
            ReadOnlySpan<(int A, int B)> pairSpan = pairList is not null ? CollectionsMarshal.AsSpan(pairList) : pairArray;
            for (var k = p; k < pairSpan.Length; k += partitions)
            {
                var (a, b) = (recordArray[pairSpan[k].A], recordArray[pairSpan[k].B]);
                for (var i = 0; i < comparisons.Length; i++)
                {
                    levels[i] = (sbyte)comparisons[i].Level(a, b);
                }
                patterns[k] = Pack(levels);
            }
        });
        return patterns;
    }

    /// <summary>The distinct level patterns, with how many pairs show each: EM iterates over these, not over pairs.</summary>
    internal static Dictionary<ulong, long> CountPatterns(ulong[] pairPatterns)
    {
        var patterns = new Dictionary<ulong, long>();
        foreach (var key in pairPatterns)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(patterns, key, out _);
            count++;
        }
        return patterns;
    }

    static void Unpack(ulong key, Span<sbyte> levels)
    {
        for (var i = 0; i < levels.Length; i++)
        {
            var level = Unpack(key, i);
            levels[i] = (sbyte)(level == 15 ? -1 : level);
        }
    }

    static ulong Pack(ReadOnlySpan<sbyte> levels)
    {
        ulong key = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            key |= (ulong)(levels[i] < 0 ? 15 : levels[i]) << (4 * i);
        }
        return key;
    }

    internal static int Unpack(ulong key, int comparison) => (int)(key >> (4 * comparison)) & 15;

    /// <summary>
    /// EM for m, u and lambda over candidate pairs. u starts from random pairs but is re-estimated: blocking chose
    /// these pairs because they share something, so a non-matching candidate agrees far more often than a random pair,
    /// and holding u at its random-pair value would call every pair that shares a first name a match.
    /// </summary>
    /// <param name="patterns">level patterns of the candidate pairs, with counts</param>
    /// <param name="maxIterations">EM stops here if it has not converged</param>
    /// <param name="active">comparisons that count in each pair's match probability</param>
    /// <param name="update">comparisons whose m and u are re-estimated</param>
    /// <param name="labels">steward decisions: pairs whose class is known</param>
    /// <param name="holdU">keep u as it is and re-estimate m alone</param>
    internal void EstimateM(Dictionary<ulong, long> patterns, int maxIterations, bool[] active, bool[] update,
        IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null, bool holdU = false)
    {
        var keys = patterns.Keys.ToArray();
        var counts = keys.Select(k => (double)patterns[k]).ToArray();
        var c = Comparisons.Length;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var mCounts = Parameters.Select(p => new double[p.Levels.Length]).ToArray();
            var uCounts = Parameters.Select(p => new double[p.Levels.Length]).ToArray();
            double matches = 0, total = 0;
            for (var k = 0; k < keys.Length; k++)
            {
                double lm = Math.Log(Lambda), lu = Math.Log(1 - Lambda);
                for (var i = 0; i < c; i++)
                {
                    var level = Unpack(keys[k], i);
                    if (level != 15 && active[i])
                    {
                        lm += Math.Log(Parameters[i].M[level]);
                        lu += Math.Log(Parameters[i].U[level]);
                    }
                }
                var p = 1 / (1 + Math.Exp(lu - lm));
                // Pairs a steward decided have a known class; the rest of the pattern's pairs get EM's guess.
                var (known, knownMatches) = labels is not null && labels.TryGetValue(keys[k], out var l) ? (l.Matches + l.NonMatches, l.Matches) : (0, 0);
                Accumulate(keys[k], (counts[k] - known) * p + knownMatches, counts[k]);
            }
            var change = 0.0;
            for (var i = 0; i < c; i++)
            {
                if (!update[i])
                {
                    continue;
                }
                var sum = mCounts[i].Sum();
                var uSum = uCounts[i].Sum();
                for (var l = 0; l < mCounts[i].Length; l++)
                {
                    if (sum > 0)
                    {
                        var m = Math.Max((mCounts[i][l] + 0.01) / (sum + 0.01 * mCounts[i].Length), 1e-6);
                        change = Math.Max(change, Math.Abs(m - Parameters[i].M[l]));
                        Parameters[i].M[l] = m;
                    }
                    if (uSum > 0 && !holdU)
                    {
                        Parameters[i].U[l] = Math.Max((uCounts[i][l] + 0.01) / (uSum + 0.01 * uCounts[i].Length), 1e-6);
                    }
                }
            }
            var newLambda = Math.Clamp(matches / total, 1e-6, 1 - 1e-6);
            change = Math.Max(change, Math.Abs(newLambda - Lambda));
            Lambda = newLambda;
            EmIterations = iteration + 1;
            if (change < 1e-5)
            {
                break;
            }

            void Accumulate(ulong pattern, double matchWeight, double weight)
            {
                matches += matchWeight;
                total += weight;
                for (var i = 0; i < c; i++)
                {
                    var level = Unpack(pattern, i);
                    if (level != 15)
                    {
                        mCounts[i][level] += matchWeight;
                        uCounts[i][level] += weight - matchWeight;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Re-estimates m and u with steward decisions as labelled pairs: EM's guess at a decided pair's class is replaced
    /// by the class a person gave it. Each decision counts once, as the pair it is, not many times over: stewards see
    /// the doubtful pairs, which are not a fair sample of matches, and weighting them up pulled m towards the hard
    /// cases (a test measured it moving m away from the truth).
    /// </summary>
    /// <param name="records">the run's records</param>
    /// <param name="candidates">the pairs blocking proposed</param>
    /// <param name="decisions">steward decisions, as record-index pairs</param>
    /// <param name="pairPatterns">the candidates' levels, when the caller compared them already</param>
    public void Refine(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates, IReadOnlyList<(int A, int B, bool Match)> decisions,
        ulong[]? pairPatterns = null)
    {
        var patterns = CountPatterns(pairPatterns ?? PairPatterns(records, candidates, Comparisons));
        var candidateSet = candidates.Select(p => (Math.Min(p.A, p.B), Math.Max(p.A, p.B))).ToHashSet();
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        var labels = new Dictionary<ulong, (double Matches, double NonMatches)>();
        foreach (var (a, b, match) in decisions.DistinctBy(d => (Math.Min(d.A, d.B), Math.Max(d.A, d.B))))
        {
            Compare(records[a], records[b], levels);
            var key = Pack(levels);
            if (!candidateSet.Contains((Math.Min(a, b), Math.Max(a, b))))
            {
                patterns[key] = patterns.GetValueOrDefault(key) + 1; // a decided pair blocking never proposed still counts
            }
            var (m, n) = labels.GetValueOrDefault(key);
            labels[key] = match ? (m + 1, n) : (m, n + 1);
        }
        var identity = Comparisons.Select(c => !c.IsLocation).ToArray();
        if (FittedBySessions)
        {
            // u stays the random pairs'; decisions move m and lambda, as EM's guesses would.
            EstimateM(patterns, 100, identity, identity, labels, holdU: true);
            FitWithPosteriors(patterns, identity, labels);
            return;
        }
        EstimateM(patterns, 100, identity, identity, labels);
        FitWithPosteriors(patterns, identity, labels);
        VoteWithAllFields(patterns, identity, labels);
        FitNameAndBirth(patterns);
    }

    /// <summary>
    /// m and u for the comparisons EM left out, from the match probabilities the others give: among pairs the identity
    /// fields call the same person, how often do they share a postcode? One weighted count, no iteration, so the
    /// location fields cannot pull the classes towards "same household".
    /// </summary>
    internal void FitWithPosteriors(Dictionary<ulong, long> patterns, bool[] used, IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null)
    {
        var c = Comparisons.Length;
        var mCounts = Parameters.Select(p => new double[p.Levels.Length]).ToArray();
        var uCounts = Parameters.Select(p => new double[p.Levels.Length]).ToArray();
        foreach (var (key, count) in patterns)
        {
            double lm = Math.Log(Lambda), lu = Math.Log(1 - Lambda);
            for (var i = 0; i < c; i++)
            {
                var level = Unpack(key, i);
                if (level != 15 && used[i])
                {
                    lm += Math.Log(Parameters[i].M[level]);
                    lu += Math.Log(Parameters[i].U[level]);
                }
            }
            var p = 1 / (1 + Math.Exp(lu - lm));
            var (known, knownMatches) = labels is not null && labels.TryGetValue(key, out var l) ? (l.Matches + l.NonMatches, l.Matches) : (0, 0);
            var matchCount = (count - known) * p + knownMatches;
            for (var i = 0; i < c; i++)
            {
                var level = Unpack(key, i);
                if (level != 15 && !used[i])
                {
                    mCounts[i][level] += matchCount;
                    uCounts[i][level] += count - matchCount;
                }
            }
        }
        for (var i = 0; i < c; i++)
        {
            if (used[i])
            {
                continue;
            }
            double mSum = mCounts[i].Sum(), uSum = uCounts[i].Sum();
            for (var l = 0; l < mCounts[i].Length; l++)
            {
                if (mSum > 0)
                {
                    Parameters[i].M[l] = Math.Max((mCounts[i][l] + 0.01) / (mSum + 0.01 * mCounts[i].Length), 1e-6);
                }
                if (uSum > 0)
                {
                    Parameters[i].U[l] = Math.Max((uCounts[i][l] + 0.01) / (uSum + 0.01 * uCounts[i].Length), 1e-6);
                }
            }
        }
    }
}
