namespace PaduHub.Matching;

/// <summary>
/// Fits a <see cref="MatchModel"/> without labels: u from random pairs, m, u and lambda by EM over the candidate
/// pairs' level patterns (each iteration costs the number of distinct patterns, not pairs), then the checks of
/// <see cref="ModelSanity"/> and, where the fit fails them, the fallbacks. Steward decisions refine a trained model
/// into a new one (<see cref="Refine"/>).
/// </summary>
public static partial class ModelTraining
{
    /// <summary>
    /// Trains a model without labels: u from random pairs, then m, u and lambda as <see cref="FitAndCheck"/> says.
    /// </summary>
    /// <param name="records">the run's records</param>
    /// <param name="candidates">the pairs blocking proposed</param>
    /// <param name="comparisons">what is compared</param>
    /// <param name="randomPairs">how many random pairs estimate u</param>
    /// <param name="seed">for the random pairs</param>
    /// <param name="pairPatterns">the candidates' levels, when the caller compared them already (see <see cref="LevelPatterns.Of"/>)</param>
    /// <param name="acrossSourcesOnly">a link of sources, not a dedupe: the random pairs and the sessions' own pairs cross sources too</param>
    public static MatchModel Train(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates, Comparison[] comparisons,
        int randomPairs = 1_000_000, int seed = 42, ulong[]? pairPatterns = null, bool acrossSourcesOnly = false)
    {
        var u = BaseRates.RandomPairU(records, comparisons, randomPairs, seed, acrossSourcesOnly ? CandidateIndex.SidesOf(records) : null);
        var fit = new ModelFit
        {
            Comparisons = comparisons,
            TotalRecords = records.Count,
            Parameters = [.. comparisons.Select((c, i) =>
            {
                var (values, crowded) = BaseRates.ValueCounts(records, c);
                return new ComparisonParameters
                {
                    Name = c.Name,
                    Levels = c.Levels,
                    M = InitialM(c.Levels.Length),
                    U = (double[])u[i].Clone(),
                    URandom = u[i],
                    ValueCounts = values,
                    Crowded = crowded,
                };
            })],
            Lambda = 0.1,
        };
        var patterns = LevelPatterns.Count(pairPatterns ?? LevelPatterns.Of(records, candidates, comparisons));
        return FitAndCheck(fit, patterns, records, acrossSourcesOnly);
    }

    /// <summary>
    /// Prior m's lambda expecting more than this many times the matches the sessions count has taken look-alikes for
    /// people (decision record 16 gives the ratios found on either side).
    /// </summary>
    const double PriorOverSessionsMatches = 4;

    /// <summary>The verdict's note when the sessions' fit was used with its looser names pooled.</summary>
    public const string PooledNamesNote = "prior m expected many times the matches the sessions count: the sessions' fit is used, a looser name pooled with its exact level";

    /// <summary>
    /// Fits the model and checks it (<see cref="ModelSanity"/>). First EM over the candidate pairs (u estimated among
    /// them, location fields on the identity fields' posteriors, then every field's vote). A vote that weakened an
    /// identity field's disagreement is kept only where <see cref="SessionTraining"/> (which cannot learn a family)
    /// finds the people differing in that field about as often (decision record 11). Where a personal field's
    /// disagreement weighs next to nothing, the sessions measure the field: disagreeing as often among their people,
    /// the field is noisy and EM's fit stands; far less often, EM's class was a family, and EM runs again with that
    /// field's m held at the sessions' measure (decision record 10). A fit that still fails is not used: the sessions'
    /// fit is (u from random pairs, held), and where that fails too, the prior m of <see cref="PriorM"/>, unless its lambda
    /// expects far more matches than the sessions count (<see cref="PriorOverSessionsMatches"/>): then the sessions' fit
    /// with its looser names pooled, where that passes. The model says which, and why.
    /// </summary>
    static MatchModel FitAndCheck(ModelFit fit, Dictionary<ulong, long> patterns, IReadOnlyList<MatchRecord> all, bool acrossSourcesOnly)
    {
        var records = all.Count;
        var pairs = patterns.Values.Sum();
        var identity = fit.Comparisons.Select(c => c.IsIdentity).ToArray();
        var weakenedVote = FitByEm(fit, patterns, identity);
        var (notes, noisyFields, peoplesNames) = (new List<string>(), Array.Empty<string>(), Array.Empty<string>());
        // The sessions' fit is made at most once, when a check needs it: the same pairs give the same fit.
        var (bySessions, sessionsTried) = ((MatchModel?)null, false);
        if (weakenedVote is not null && weakenedVote.LeavesAgreementPlausible(fit, identity) && BySessions() is { } measured
            && weakenedVote.Fields.All(i => ModelSanity.SameDisagreement(measured.Parameters[i].M[0], weakenedVote.Parameters[i].M[0])))
        {
            notes.AddRange(weakenedVote.Fields.Select(i => ModelSanity.Disagreement(weakenedVote.Parameters[i], measured.Parameters[i])
                + ": the locations' vote kept, it measured what the sessions do"));
            weakenedVote.Restore(fit);
            fit.FitAroundIdentity(patterns, identity);
        }
        var fitted = fit.ToModel();
        var problems = ModelSanity.Problems(fitted, pairs, records);
        var held = Array.Empty<int>();
        if (ModelSanity.WeakDisagreements(fitted) is { Count: > 0 } weak && BySessions() is { } sessions)
        {
            var noisy = ModelSanity.Noisy(fitted, sessions, weak);
            var collapsed = weak.Except(noisy).ToArray();
            noisyFields = [.. noisy.Select(i => fitted.Parameters[i].Name)];
            notes.AddRange(noisy.Select(i => ModelSanity.Disagreement(fitted.Parameters[i], sessions.Parameters[i]) + ": a noisy field, not a family"));
            // Only a fit whose sole fault is a weak disagreement is fitted again; one with grosser faults falls back, and
            // so does one collapsed in every personal field: with all of them held there is no identity left for EM to fit.
            if (collapsed.Length > 0 && collapsed.Length < ModelSanity.PersonalFields(fitted).Count
                && ProblemsBut([.. weak.Select(i => fitted.Parameters[i].Name)]).Count == 0)
            {
                foreach (var i in collapsed)
                {
                    sessions.Parameters[i].M.CopyTo(fit.Parameters[i].M, 0);
                }
                FitByEm(fit, patterns, identity, [.. fit.Comparisons.Select((_, i) => collapsed.Contains(i))]);
                notes.AddRange(collapsed.Select(i => ModelSanity.Disagreement(fitted.Parameters[i], sessions.Parameters[i])
                    + $": EM had learned a family or namesakes; fitted again with {fitted.Parameters[i].Name}'s m from sessions"));
            }
            problems = ProblemsBut(noisyFields);
            held = collapsed;
        }
        // Names whose slips outweigh their exact agreement fail the fit where its class is namesakes (decision record 8).
        // Where the sessions' fit passes its own checks (a field both fits find noisy aside) and its people write every
        // identity field alike as often as EM's class does, the class is people, and the names' order comes from blocking
        // alone (ModelSanity.OutOfOrderNames).
        if (fit.ToModel() is var written && ModelSanity.OutOfOrderNames(written) is { Length: > 0 } outOfOrder && BySessions() is { } writers
            && ModelSanity.VouchesFor(writers, written, noisyFields, pairs, records))
        {
            peoplesNames = [.. outOfOrder.Select(i => written.Parameters[i].Name)];
            notes.AddRange(outOfOrder.Select(i => ModelSanity.Writing(written.Parameters[i], writers.Parameters[i])));
            problems = ProblemsBut(noisyFields);
        }
        // A class that differs in a personal field far more often than the sessions' people do is a family or namesakes,
        // whatever that field weighs; the sessions run for it only where the class differs in one often enough to be.
        if (problems.Count == 0 && fit.ToModel() is var current && (held.Length > 0 || ModelSanity.MayBeAFamily(current)) && BySessions() is { } people)
        {
            problems.AddRange(ModelSanity.StillAFamily(current, people, held));
        }
        if (problems.Count == 0)
        {
            // EM's u is the candidates' own; the fallbacks' is the random pairs', which never overstate (see the property).
            var strangers = (1 - fit.Lambda) * pairs;
            fit.CandidateShareOfStrangers = Math.Clamp(strangers / Math.Max(BaseRates.PairsThatCouldMatch(all, acrossSourcesOnly) - fit.Lambda * pairs, 1), 0, 1);
            fit.FitBonuses(patterns);
            fit.HomesOwn = Homes(fit.Comparisons, patterns).Own;
            return fit.ToModel(new ModelSanity(ModelSanity.Sound, [], [.. notes, .. ModelSanity.OrderNotes(fit.ToModel())], noisyFields, peoplesNames));
        }
        if (BySessions() is { } fallback)
        {
            fit = ModelFit.From(fallback);
            var sessionProblems = ModelSanity.Problems(fallback, pairs, records);
            if (sessionProblems.Count == 0)
            {
                return AsSessionsFit(fit, [.. notes, .. ModelSanity.OrderNotes(fallback)]);
            }
            problems.AddRange(sessionProblems.Select(p => "by sessions: " + p));
        }
        else
        {
            problems.Add("by sessions: too few records share a birth date, a name or an identifier to fit");
        }
        var couldMatch = BaseRates.PairsThatCouldMatch(all, acrossSourcesOnly);
        if (bySessions is { } failedSessions)
        {
            // Prior m's lambda as EM alone fits it, set against the sessions' count: many times more, prior m has taken
            // namesakes for people (a name agrees, a birth date differs, and the prior forgives a differing birth date
            // enough to count them). The sessions' fit with its looser names pooled is used instead where it passes the
            // checks (decision record 16).
            SessionTraining.UsePriors(fit, patterns);
            if (fit.Lambda * pairs > PriorOverSessionsMatches * failedSessions.Lambda * couldMatch)
            {
                var pooled = ModelFit.From(fit.ToModel());
                if (SessionTraining.Fit(pooled, all, acrossSourcesOnly, patterns, poolLooserNames: true) && pooled.ToModel() is var rescued
                    && ModelSanity.Problems(rescued, pairs, records).Count == 0)
                {
                    return AsSessionsFit(pooled, [.. notes, PooledNamesNote, .. ModelSanity.OrderNotes(rescued)]);
                }
            }
        }
        // Prior m as used: its lambda counts as strangers at least the pairs chance alone makes (decision record 17).
        SessionTraining.UsePriors(fit, patterns, couldMatch);
        (fit.HomesShared, fit.HomesOwn) = Homes(fit.Comparisons, patterns);
        return fit.ToModel(new ModelSanity(ModelSanity.FellBackToPriors, [.. problems], [.. notes, .. ModelSanity.OrderNotes(fit.ToModel())]));

        // A sessions' fit as used. The bonuses that come from posteriors come from this fit's own; a name with a phone
        // or a home is counted on pairs surely two people, so it holds for the sessions' fit as for EM's.
        MatchModel AsSessionsFit(ModelFit sessions, string[] verdictNotes)
        {
            sessions.FitBonuses(patterns);
            (sessions.HomesShared, sessions.HomesOwn) = Homes(sessions.Comparisons, patterns);
            return sessions.ToModel(new ModelSanity(ModelSanity.FellBackToSessions, [.. problems], verdictNotes), fittedBySessions: true);
        }

        // The fit's problems, the weak disagreement of the fields named left out.
        List<string> ProblemsBut(string[] fields) => ModelSanity.Problems(fit.ToModel(new ModelSanity(ModelSanity.Sound, [], null, fields, peoplesNames)), pairs, records);

        // The sessions' fit, made on a copy so the fit in hand is left as it is; null where too few sessions could run.
        MatchModel? BySessions()
        {
            if (!sessionsTried)
            {
                sessionsTried = true;
                var copy = ModelFit.From(fit.ToModel());
                bySessions = SessionTraining.Fit(copy, all, acrossSourcesOnly, patterns) ? copy.ToModel() : null;
            }
            return bySessions;
        }
    }

    /// <summary>EM over the identity fields, the location fields on their posteriors, then every field's vote; m of <paramref name="holdM"/> held.</summary>
    static WeakenedVote? FitByEm(ModelFit fit, Dictionary<ulong, long> patterns, bool[] identity, bool[]? holdM = null)
    {
        fit.EstimateM(patterns, 100, identity, identity, holdM: holdM);
        fit.FitAroundIdentity(patterns, identity);
        return VoteWithAllFields(fit, patterns, identity, holdM: holdM);
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
    /// detector. Unless the vote goes the other way: where pairs sharing a household's address and phone outnumber the
    /// people found twice, EM takes them for the matches and an exact date of birth comes out as evidence *against* a
    /// match (decision 7). Agreeing on who someone is must never count against being the same person, so such a vote
    /// is dropped and the identity fields keep their own fit. So is a vote that takes more than a third of what
    /// disagreeing on an identity field weighs; it is handed back, for <see cref="FitAndCheck"/> to keep where the
    /// sessions confirm it.
    /// </summary>
    internal static WeakenedVote? VoteWithAllFields(ModelFit fit, Dictionary<ulong, long> patterns, bool[] identity, IReadOnlyDictionary<ulong, (double Matches, double NonMatches)>? labels = null,
        bool[]? holdM = null)
    {
        var own = fit.Parameters.Select(p => (M: (double[])p.M.Clone(), U: (double[])p.U.Clone())).ToArray();
        var lambda = fit.Lambda;
        fit.EstimateM(patterns, 100, fit.Comparisons.Select(_ => true).ToArray(), identity, labels, holdM: holdM);
        var evidence = fit.AgreementIsEvidence(identity);
        var weakened = WeakenedDisagreements(own, fit, identity);
        fit.LocationVoteDropped = !evidence || weakened.Length > 0;
        if (!fit.LocationVoteDropped)
        {
            // The vote moved only the identity fields; the locations were fitted on their posteriors before it, which may
            // have been a class of namesakes that the vote has since put right.
            fit.FitAroundIdentity(patterns, identity, labels);
            return null;
        }
        var vote = evidence ? new WeakenedVote(weakened, fit.ToModel().Parameters, fit.Lambda) : null;
        for (var i = 0; i < own.Length; i++)
        {
            own[i].M.CopyTo(fit.Parameters[i].M, 0);
            own[i].U.CopyTo(fit.Parameters[i].U, 0);
        }
        fit.Lambda = lambda;
        return vote;
    }

    /// <summary>
    /// The identity fields whose plain disagreement the vote took more than a third of. With more records the
    /// locations' vote can pull whole households into the match class, and a different IC or birth date then weighs too
    /// little to keep twins and siblings apart (figures in docs/matching.md).
    /// </summary>
    static int[] WeakenedDisagreements((double[] M, double[] U)[] before, ModelFit fit, bool[] identity) =>
        [.. Enumerable.Range(0, before.Length).Where(i =>
        {
            var was = Math.Log2(before[i].M[0] / before[i].U[0]);
            var now = Math.Log2(fit.Parameters[i].M[0] / fit.Parameters[i].U[0]);
            return identity[i] && was < -2 && now > was * 2 / 3;
        })];

    /// <summary>A vote dropped for weakening the disagreement of <c>Fields</c>: its parameters and lambda, to put back if confirmed.</summary>
    internal sealed record WeakenedVote(int[] Fields, ComparisonParameters[] Parameters, double Lambda)
    {
        /// <summary>
        /// Whether every identity field's exact agreement stays about as common among the vote's non-matches as among the
        /// fit's own (within a factor of ten): a vote that pulls every pair agreeing on a name into its match class makes
        /// that name near proof by itself.
        /// </summary>
        public bool LeavesAgreementPlausible(ModelFit fit, bool[] identity) =>
            Enumerable.Range(0, Parameters.Length).All(i => !identity[i] || Parameters[i].U[^1] * 10 >= fit.Parameters[i].U[^1]);

        public void Restore(ModelFit fit)
        {
            for (var i = 0; i < Parameters.Length; i++)
            {
                Parameters[i].M.CopyTo(fit.Parameters[i].M, 0);
                Parameters[i].U.CopyTo(fit.Parameters[i].U, 0);
            }
            fit.Lambda = Lambda;
            fit.LocationVoteDropped = false;
        }
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

    /// <summary>
    /// Re-estimates m and u with steward decisions as labelled pairs: EM's guess at a decided pair's class is replaced
    /// by the class a person gave it. Each decision counts once, as the pair it is, not many times over: stewards see
    /// the doubtful pairs, which are not a fair sample of matches, and weighting them up pulled m towards the hard
    /// cases (LearningFromDecisionsTests).
    /// </summary>
    /// <param name="model">the trained model, left as it is</param>
    /// <param name="records">the run's records</param>
    /// <param name="candidates">the pairs blocking proposed</param>
    /// <param name="decisions">steward decisions, as record-index pairs</param>
    /// <param name="pairPatterns">the candidates' levels, when the caller compared them already</param>
    public static MatchModel Refine(MatchModel model, IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates, IReadOnlyList<(int A, int B, bool Match)> decisions,
        ulong[]? pairPatterns = null)
    {
        var fit = ModelFit.From(model);
        var patterns = LevelPatterns.Count(pairPatterns ?? LevelPatterns.Of(records, candidates, model.Comparisons));
        var candidateSet = candidates.Select(p => (Math.Min(p.A, p.B), Math.Max(p.A, p.B))).ToHashSet();
        Span<sbyte> levels = stackalloc sbyte[model.Comparisons.Length];
        var labels = new Dictionary<ulong, (double Matches, double NonMatches)>();
        foreach (var (a, b, match) in decisions.DistinctBy(d => (Math.Min(d.A, d.B), Math.Max(d.A, d.B))))
        {
            model.Compare(records[a], records[b], levels);
            var key = LevelPatterns.Pack(levels);
            if (!candidateSet.Contains((Math.Min(a, b), Math.Max(a, b))))
            {
                patterns[key] = patterns.GetValueOrDefault(key) + 1; // a decided pair blocking never proposed still counts
            }
            var (m, n) = labels.GetValueOrDefault(key);
            labels[key] = match ? (m + 1, n) : (m, n + 1);
        }
        var identity = model.Comparisons.Select(c => c.IsIdentity).ToArray();
        if (model.FittedBySessions)
        {
            // u stays the random pairs'; decisions move m and lambda, as EM's guesses would.
            fit.EstimateM(patterns, 100, identity, identity, labels, holdU: true);
            fit.FitAroundIdentity(patterns, identity, labels);
            return fit.ToModel(model.Sanity, fittedBySessions: true);
        }
        fit.EstimateM(patterns, 100, identity, identity, labels);
        fit.FitAroundIdentity(patterns, identity, labels);
        VoteWithAllFields(fit, patterns, identity, labels);
        fit.FitBonuses(patterns);
        return fit.ToModel(model.Sanity);
    }
}
