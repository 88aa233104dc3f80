namespace PaduHub.Matching;

/// <summary>
/// A model while it is being fitted: the m, u and lambda that EM moves in place. Training (<see cref="ModelTraining"/>)
/// starts one, fits it, and hands out an immutable <see cref="MatchModel"/> copied from it.
/// </summary>
sealed partial class ModelFit
{
    public required Comparison[] Comparisons { get; init; }
    public required ComparisonParameters[] Parameters { get; init; }
    public double Lambda { get; set; }
    public int TotalRecords { get; init; }
    public int EmIterations { get; set; }
    public double NameAndBirthBits { get; set; }
    public double[] LooserNameAndBirthBits { get; set; } = [];
    public double MovedBits { get; set; }
    public double[] NameAndPhoneBits { get; set; } = [];
    public double[] NameAndHomeBits { get; set; } = [];
    public Dictionary<int, double> AddressMoveBits { get; set; } = [];
    public bool LocationVoteDropped { get; set; }
    public bool HomesShared { get; set; }
    public bool HomesOwn { get; set; }
    public double CandidateShareOfStrangers { get; set; }

    /// <summary>A fit that starts from a trained model's parameters, copied, so the model itself is never changed.</summary>
    public static ModelFit From(MatchModel model) => new()
    {
        Comparisons = model.Comparisons,
        Parameters = Copy(model.Parameters),
        Lambda = model.Lambda,
        TotalRecords = model.TotalRecords,
        EmIterations = model.EmIterations,
        NameAndBirthBits = model.NameAndBirthBits,
        LooserNameAndBirthBits = [.. model.LooserNameAndBirthBits],
        MovedBits = model.MovedBits,
        NameAndPhoneBits = [.. model.NameAndPhoneBits],
        NameAndHomeBits = [.. model.NameAndHomeBits],
        AddressMoveBits = new(model.AddressMoveBits),
        LocationVoteDropped = model.LocationVoteDropped,
        HomesShared = model.HomesShared,
        HomesOwn = model.HomesOwn,
        CandidateShareOfStrangers = model.CandidateShareOfStrangers,
    };

    /// <summary>The fitted model, its parameters copied out of the fit.</summary>
    public MatchModel ToModel(ModelSanity? sanity = null, bool fittedBySessions = false) => new()
    {
        Comparisons = Comparisons,
        Parameters = Copy(Parameters),
        Lambda = Lambda,
        TotalRecords = TotalRecords,
        EmIterations = EmIterations,
        NameAndBirthBits = NameAndBirthBits,
        LooserNameAndBirthBits = [.. LooserNameAndBirthBits],
        MovedBits = MovedBits,
        NameAndPhoneBits = [.. NameAndPhoneBits],
        NameAndHomeBits = [.. NameAndHomeBits],
        AddressMoveBits = new Dictionary<int, double>(AddressMoveBits),
        LocationVoteDropped = LocationVoteDropped,
        HomesShared = HomesShared,
        HomesOwn = HomesOwn,
        CandidateShareOfStrangers = CandidateShareOfStrangers,
        Sanity = sanity ?? ModelSanity.Passed,
        FittedBySessions = fittedBySessions,
    };

    static ComparisonParameters[] Copy(ComparisonParameters[] parameters) => [.. parameters.Select(p => new ComparisonParameters
    {
        Name = p.Name,
        Levels = p.Levels,
        M = (double[])p.M.Clone(),
        U = (double[])p.U.Clone(),
        URandom = (double[])p.URandom.Clone(),
        ValueCounts = p.ValueCounts,
        Crowded = p.Crowded,
    })];

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
    /// <param name="holdM">comparisons whose m is kept as it is, their u still re-estimated</param>
    /// <param name="pairsByChance">where above 0, how many pairs could match in all: a pattern's pairs are counted as
    /// strangers at least as many times as chance makes it among that many pairs (<see cref="ChanceShare"/>)</param>
    internal void EstimateM(Dictionary<ulong, long> patterns, int maxIterations, bool[] active, bool[] update,
        IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null, bool holdU = false, bool[]? holdM = null, double pairsByChance = 0)
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
                    var level = LevelPatterns.Unpack(keys[k], i);
                    if (level != 15 && active[i])
                    {
                        lm += Math.Log(Parameters[i].M[level]);
                        lu += Math.Log(Parameters[i].U[level]);
                    }
                }
                var p = 1 / (1 + Math.Exp(lu - lm));
                if (pairsByChance > 0)
                {
                    p = Math.Min(p, Math.Max(0, 1 - pairsByChance * ChanceShare(keys[k], active) / counts[k]));
                }
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
                var before = (double[])Parameters[i].M.Clone();
                for (var l = 0; l < mCounts[i].Length; l++)
                {
                    if (sum > 0 && holdM?[i] != true)
                    {
                        Parameters[i].M[l] = Math.Max((mCounts[i][l] + 0.01) / (sum + 0.01 * mCounts[i].Length), 1e-6);
                    }
                    if (uSum > 0 && !holdU)
                    {
                        Parameters[i].U[l] = Math.Max((uCounts[i][l] + 0.01) / (uSum + 0.01 * uCounts[i].Length), 1e-6);
                    }
                }
                if (holdM?[i] != true)
                {
                    FloorContactDisagreement(i);
                }
                // Convergence is judged after the floor: a floored m that EM keeps pulling under it has not moved.
                for (var l = 0; l < before.Length; l++)
                {
                    change = Math.Max(change, Math.Abs(Parameters[i].M[l] - before[l]));
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
                    var level = LevelPatterns.Unpack(pattern, i);
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
    /// The share of random pairs with a pattern's levels, the active fields' random-pair u multiplied: what chance
    /// alone makes of it among strangers.
    /// </summary>
    double ChanceShare(ulong key, bool[] active)
    {
        var share = 1.0;
        for (var i = 0; i < Comparisons.Length; i++)
        {
            var level = LevelPatterns.Unpack(key, i);
            if (level != 15 && active[i])
            {
                share *= Parameters[i].URandom[level];
            }
        }
        return share;
    }

    /// <summary>
    /// The fields that are not who someone is (locations, attributes, refinements) fitted on the posteriors the identity
    /// fields give; then each refinement again, on the posteriors all the other fields give: how near a match's differing
    /// birth dates fall is best fitted on the pairs everything else calls one person.
    /// </summary>
    internal void FitAroundIdentity(Dictionary<ulong, long> patterns, bool[] identity,
        IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null)
    {
        FitWithPosteriors(patterns, identity, labels);
        FitWithPosteriors(patterns, [.. Comparisons.Select(c => c.Refines is null)], labels);
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
                var level = LevelPatterns.Unpack(key, i);
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
                var level = LevelPatterns.Unpack(key, i);
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
            FloorContactDisagreement(i);
        }
    }

    /// <summary>
    /// A phone or an email is contact, not identity: people keep several and change them, so at least this share of one
    /// person's record pairs may carry different ones, however rarely EM saw it. Below it, a different email alone
    /// would outweigh a name, a birth date and a town agreeing, and keep a person's records apart.
    /// </summary>
    const double MinContactDisagreement = 0.01;

    void FloorContactDisagreement(int i)
    {
        var m = Parameters[i].M;
        if (Comparisons[i].Shared is null || m[0] >= MinContactDisagreement)
        {
            return;
        }
        var scale = (1 - MinContactDisagreement) / (1 - m[0]);
        for (var l = 1; l < m.Length; l++)
        {
            m[l] *= scale;
        }
        m[0] = MinContactDisagreement;
    }

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
}
