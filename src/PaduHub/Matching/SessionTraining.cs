using System.Runtime.InteropServices;

namespace PaduHub.Matching;

/// <summary>
/// Training that cannot learn "same surname" for "same person", used when the ordinary fit fails its checks (ModelTraining.FitAndCheck). u comes
/// from random pairs and is held. m is estimated by EM in sessions, each over the pairs of records that agree exactly
/// on one personal field (date of birth, surname, given name, full name, identifier), with that field left out: among
/// pairs that share a birth date, strangers' names agree no more often than random pairs' do, so EM there can only
/// find the people, and the field that chose the pairs learns nothing from them. Each field's m is the mean over the
/// sessions it was not chosen by. Lambda is then the prior for any two records, from each session's share of
/// matches: with u from random pairs, a pair's weight is the same whatever blocking found it by.
/// </summary>
static class SessionTraining
{
    /// <summary>Sessions with fewer pairs than this are not run: too few to fit.</summary>
    const int MinSessionPairs = 50;

    /// <summary>Blocks of more records than this are left out of a session (a common surname is all pairs and no people).</summary>
    const int MaxSessionBlock = 200;

    /// <summary>A session takes at most this many pairs.</summary>
    const int MaxSessionPairs = 300_000;

    static readonly (Comparison Field, Func<MatchRecord, string?> Key)[] s_sessions =
    [
        (Comparisons.DateOfBirth, r => r.DateOfBirth),
        (Comparisons.Surname, r => r.Family),
        (Comparisons.GivenName, r => r.Given),
        (Comparisons.FullName, r => r.FullName),
        (Comparisons.NationalId, r => r.Identifiers.Length > 0 ? r.Identifiers[0].Value : null),
    ];

    /// <summary>
    /// Fits the model by sessions, each over every pair of records that share one field's exact value (its own
    /// blocking, not the run's candidates, which were chosen for agreeing on everything at once); false when fewer
    /// than two sessions could run. With <paramref name="poolLooserNames"/>, a name's looser level that comes out weighing
    /// more than its exact one is pooled with it (<see cref="PoolLooserNames"/>).
    /// </summary>
    public static bool Fit(ModelFit model, IReadOnlyList<MatchRecord> records, bool acrossSourcesOnly, Dictionary<ulong, long> candidates, int seed = 42,
        bool poolLooserNames = false)
    {
        var c = model.Comparisons.Length;
        var mSums = model.Parameters.Select(p => new double[p.Levels.Length]).ToArray();
        var mRuns = new int[c];
        var sessions = new List<(int Field, double Matches)>();
        var identifierU = IdentifierExactU(records);
        foreach (var (field, key) in s_sessions)
        {
            var b = Array.IndexOf(model.Comparisons, field);
            if (b < 0)
            {
                continue;
            }
            var pairs = SessionPairs(records, key, acrossSourcesOnly ? CandidateIndex.SidesOf(records) : null, seed);
            if (pairs.Count < MinSessionPairs)
            {
                continue;
            }
            var patterns = LevelPatterns.Count(LevelPatterns.Of(records, pairs, model.Comparisons));
            // A refinement sits the sessions out: it looks again at a field that votes already, and would count it twice.
            var active = Enumerable.Range(0, c).Select(i => i != b && model.Comparisons[i].Refines is null).ToArray();
            StartFromPriors(model, identifierU);
            model.EstimateM(patterns, 100, active, active, holdU: true);
            for (var i = 0; i < c; i++)
            {
                if (active[i])
                {
                    for (var l = 0; l < mSums[i].Length; l++)
                    {
                        mSums[i][l] += model.Parameters[i].M[l];
                    }
                    mRuns[i]++;
                }
            }
            // A pair where either record lacks the field is in no session of it: the session sees the matches among the
            // pairs that carry it on both sides, and the rest are counted back as that share.
            var carrying = records.Count(r => key(r) is not null) / (double)records.Count;
            sessions.Add((b, model.Lambda * pairs.Count / (carrying * carrying)));
        }
        StartFromPriors(model, identifierU);
        if (sessions.Count < 2)
        {
            return false;
        }
        for (var i = 0; i < c; i++)
        {
            if (mRuns[i] > 0)
            {
                for (var l = 0; l < mSums[i].Length; l++)
                {
                    model.Parameters[i].M[l] = mSums[i][l] / mRuns[i];
                }
            }
        }
        if (poolLooserNames)
        {
            PoolLooserNames(model);
        }
        // A session over pairs agreeing exactly on a field sees only the matches that agree on it: m[exact] of them.
        var matches = sessions.Select(s => s.Matches / Math.Max(model.Parameters[s.Field].M[^1], 0.01)).Order().ToArray();
        var expected = matches[matches.Length / 2];
        model.Lambda = Math.Clamp(expected / Math.Max(BaseRates.PairsThatCouldMatch(records, acrossSourcesOnly), 1), 1e-12, 0.5);
        // Where someone lives is fitted last, on the candidates, from the match probabilities the personal fields give:
        // a household shares its address, so among candidates an address agrees far more often than among random
        // pairs, and u from random pairs would call every household one person.
        model.FitAroundIdentity(candidates, [.. model.Comparisons.Select(x => x.IsIdentity)]);
        return true;
    }

    /// <summary>
    /// Each session holds one field exact. Where a copy carries one slip and no more (RLdata's duplicates), the people
    /// a session finds are those whose slip fell elsewhere: among pairs sharing a birth date, nearly every match has its
    /// slip in a name, so a name's slip comes out likelier than its exact agreement, and weighs more. A looser name
    /// never says more than an exact one: each such level is pooled with the exact level, both weighing their
    /// combined m over their combined u (the likeliest fit that keeps the order). ModelTraining.FitAndCheck decides
    /// when (decision record 16).
    /// </summary>
    static void PoolLooserNames(ModelFit model)
    {
        foreach (var (comparison, p) in model.Comparisons.Zip(model.Parameters))
        {
            if (comparison != Comparisons.GivenName && comparison != Comparisons.Surname || p.M.Length <= 2)
            {
                continue;
            }
            var exact = p.M.Length - 1;
            for (var l = exact - 1; l >= 1; l--)
            {
                if (p.M[l] / p.U[l] > p.M[exact] / p.U[exact])
                {
                    var ratio = (p.M[l] + p.M[exact]) / (p.U[l] + p.U[exact]);
                    (p.M[l], p.M[exact]) = (ratio * p.U[l], ratio * p.U[exact]);
                }
            }
        }
    }

    /// <summary>Every pair inside each block of one exact value, blocks in a random order until the budget is spent.</summary>
    static List<(int A, int B)> SessionPairs(IReadOnlyList<MatchRecord> records, Func<MatchRecord, string?> key, int[]? side, int seed)
    {
        // Blocks in the order their values first occur, as grouping gives them: the shuffle below depends on it.
        var byValue = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (key(r) is { } value)
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(byValue, value, out _) ??= []).Add(r.Index);
            }
        }
        var blocks = byValue.Values.Where(b => b.Count is > 1 and <= MaxSessionBlock).Select(b => b.ToArray()).ToList();
        var random = new Random(seed);
        var pairs = new List<(int A, int B)>();
        foreach (var block in blocks.OrderBy(_ => random.Next()))
        {
            for (var i = 0; i < block.Length && pairs.Count < MaxSessionPairs; i++)
            {
                for (var j = i + 1; j < block.Length && pairs.Count < MaxSessionPairs; j++)
                {
                    if (side is null || side[block[i]] != side[block[j]])
                    {
                        pairs.Add((block[i], block[j]));
                    }
                }
            }
        }
        return pairs;
    }

    /// <summary>
    /// The last resort: prior m, u from random pairs, and lambda fitted alone over the candidate pairs; a refinement, of
    /// which the prior says nothing, is fitted on the posteriors the rest then give, as in the other fits.
    /// </summary>
    public static void UsePriors(ModelFit model, Dictionary<ulong, long> patterns, double pairsThatCouldMatch = 0)
    {
        StartFromPriors(model);
        var all = model.Comparisons.Select(_ => true).ToArray();
        model.EstimateM(patterns, 100, all, model.Comparisons.Select(_ => false).ToArray(), pairsByChance: pairsThatCouldMatch);
        model.FitWithPosteriors(patterns, [.. model.Comparisons.Select(c => c.Refines is null)]);
    }

    static void StartFromPriors(ModelFit model, double identifierExactU = 0)
    {
        foreach (var (p, comparison) in model.Parameters.Zip(model.Comparisons))
        {
            // Nothing says beforehand how near a match's differing birth dates fall: until fitted, a refinement weighs nothing.
            (comparison.Refines is not null ? p.URandom : comparison.PriorM ?? ModelTraining.PriorM(p.Levels.Length)).CopyTo(p.M, 0);
            p.URandom.CopyTo(p.U, 0);
        }
        var id = Array.IndexOf(model.Comparisons, Comparisons.NationalId);
        if (id >= 0 && identifierExactU > 0)
        {
            // Random pairs almost never share an identifier, so their count says only "under one in 300,000"; the
            // values' own frequencies say how often two records share one.
            var u = model.Parameters[id].U;
            u[0] += u[^1] - identifierExactU;
            u[^1] = identifierExactU;
        }
        model.Lambda = 0.1;
    }

    /// <summary>
    /// How often two different people share an identifier: rarer than any sample of pairs can measure, and the pairs
    /// that do share one are nearly all the same person, so counting them would measure matches, not strangers. One
    /// in N squared: an exact identifier then outweighs the prior for any two records at every hub size.
    /// </summary>
    static double IdentifierExactU(IReadOnlyList<MatchRecord> records) => 1.0 / Math.Max((double)records.Count * records.Count, 1);
}
