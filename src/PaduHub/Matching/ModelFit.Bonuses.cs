namespace PaduHub.Matching;

/// <summary>
/// What a fitted model adds where its fields are not independent: a move that changes every address part at once,
/// a name that meets a birth date or a phone. Each is measured from the candidate pairs after the m and u are fitted.
/// </summary>
sealed partial class ModelFit
{
    /// <summary>
    /// <see cref="MatchModel.MovedBits"/> from the candidate pairs: how much less a pair whose every location field
    /// disagrees (someone who moved) tells against a match than the fields' weights summed say. Each pair counts as a
    /// match with the probability the personal fields alone give it, so a move the summed weights punish cannot hide
    /// itself; where the fields disagree independently (strangers, or data without movers) it comes out 0.
    /// </summary>
    public void FitMoved(Dictionary<ulong, long> patterns)
    {
        MovedBits = 0;
        var location = Comparisons.Select(c => c.IsLocation).ToArray();
        if (location.Count(l => l) < 2)
        {
            return;
        }
        double mAll = 0, uAll = 0, mMoved = 0, uMoved = 0;
        var mDiffer = new double[Comparisons.Length];
        var uDiffer = new double[Comparisons.Length];
        foreach (var (key, count) in patterns)
        {
            var p = Posterior(key, withLocations: false);
            var (m, u) = (count * p, count * (1 - p));
            mAll += m;
            uAll += u;
            if (MatchModel.AllLocationsDiffer(key, location))
            {
                (mMoved, uMoved) = (mMoved + m, uMoved + u);
            }
        }
        double Bits(double m, double u) => LogRatio(m, u, mAll, uAll);
        var summed = 0.0;
        for (var i = 0; i < Comparisons.Length; i++)
        {
            if (location[i])
            {
                summed += Math.Log2(Parameters[i].M[0] / Parameters[i].U[0]);
            }
        }
        MovedBits = Math.Clamp(Bits(mMoved, uMoved) - summed, 0, 8);
    }

    /// <summary>
    /// <see cref="MatchModel.NameAndPhoneBits"/> from the candidate pairs that are surely two people (their dates of
    /// birth or their identifiers differ outright): for each depth of name agreement, log2 of how much rarer an exact
    /// phone is among those pairs with such a name than among them all. Within one person the phone does not depend on
    /// how the name was written, so that is all the model's independence misses. A household shares a phone and not a
    /// name, namesakes a name and not a phone; where phones are shared whatever the names it comes out 0. Posteriors
    /// cannot measure it: they come from the same fields, and the pairs it is for (two accounts under one name and one
    /// mobile, no birth date) are the ones they hold to be strangers. A depth with fewer than 20 such pairs earns nothing.
    /// Where records carry an address it is measured twice, for pairs at different homes and at the same one: strangers
    /// who share a phone mostly share the home too (a household's line), so among pairs at different homes the phone they
    /// share is an office's or a moved person's own, and a name agreeing there says far more than the two together.
    /// Each stratum's rate is set against the rate over both, the one the phone's own weight assumes; a stratum with
    /// fewer than 20 pairs at a depth takes the depth's figure over both.
    /// </summary>
    public void FitNameAndPhone(Dictionary<ulong, long> patterns) =>
        NameAndPhoneBits = NameAndSharedBits(patterns, Array.IndexOf(Comparisons, Matching.Comparisons.Phone),
            Array.IndexOf(Comparisons, Matching.Comparisons.Street));

    /// <summary>
    /// <see cref="MatchModel.NameAndHomeBits"/> as <see cref="FitNameAndPhone"/> measures the phone's: how much rarer
    /// the same numbered home is, among pairs surely two people, where the names agree to each depth. A household
    /// shares a home and not a name; namesakes share a name and seldom a home.
    /// </summary>
    public void FitNameAndHome(Dictionary<ulong, long> patterns) =>
        NameAndHomeBits = NameAndSharedBits(patterns, Array.IndexOf(Comparisons, Matching.Comparisons.Street));

    /// <param name="patterns">the candidate pairs' level patterns and counts</param>
    /// <param name="shared">what a household shares: the phone or the address</param>
    /// <param name="home">where given (not -1), the address: the bits are then measured apart for pairs at different
    /// homes (the first depths) and at the same one (the rest), as <see cref="MatchModel.NameAndSharedBonus"/> reads them</param>
    double[] NameAndSharedBits(Dictionary<ulong, long> patterns, int shared, int home = -1)
    {
        var (names, birth) = MatchModel.NameAndBirthOf(Comparisons);
        var identifier = Array.IndexOf(Comparisons, Matching.Comparisons.NationalId);
        if (shared < 0 || names.Length == 0 || birth < 0 && identifier < 0)
        {
            return [];
        }
        const int depths = MatchModel.LooserNameDepths + 1;
        var strata = home >= 0 ? 2 : 1;
        // Per stratum: all pairs, those sharing, and the same by the name's depth; the pooled counts come last.
        long[] all = new long[strata + 1], allShared = new long[strata + 1];
        long[] byName = new long[(strata + 1) * depths], byNameShared = new long[(strata + 1) * depths];
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        foreach (var (key, count) in patterns)
        {
            LevelPatterns.Unpack(key, levels);
            if (levels[shared] < 0 || !(birth >= 0 && levels[birth] == 0 || identifier >= 0 && levels[identifier] == 0))
            {
                continue;
            }
            var same = levels[shared] == Comparisons[shared].Exact;
            var name = MatchModel.NameDepth(levels, Comparisons, names);
            foreach (var stratum in (ReadOnlySpan<int>)[MatchModel.HomeStratum(levels, Comparisons, home), strata])
            {
                all[stratum] += count;
                allShared[stratum] += same ? count : 0;
                if (name >= 0)
                {
                    byName[stratum * depths + name] += count;
                    byNameShared[stratum * depths + name] += same ? count : 0;
                }
            }
        }
        // Against the rate over all strata, which is what the model's own weight for the shared field assumes.
        double Bits(int stratum, int name) =>
            Math.Clamp(Math.Log2((allShared[strata] + 0.5) / (all[strata] + 1.0)) - Math.Log2((byNameShared[stratum * depths + name] + 0.5) / (byName[stratum * depths + name] + 1.0)), 0, 8);
        var bits = new double[strata * depths];
        for (var name = 0; name < depths; name++)
        {
            var pooled = all[strata] == 0 || byName[strata * depths + name] < 20 ? 0 : Bits(strata, name);
            for (var stratum = 0; stratum < strata; stratum++)
            {
                bits[stratum * depths + name] = strata == 1 || byName[stratum * depths + name] < 20 ? pooled : Bits(stratum, name);
            }
        }
        return bits;
    }

    /// <summary>
    /// <see cref="MatchModel.AddressMoveBits"/> from the candidate pairs, as <see cref="FitMoved"/> measures a move of
    /// every location field: for each pattern of address parts with one differing, how much less it tells against a
    /// match than the parts' weights summed, each pair counted as a match with the probability the personal fields
    /// alone give it. Patterns held by fewer than 20 pairs, and those whose parts slip independently, get nothing.
    /// </summary>
    public void FitAddressMoves(Dictionary<ulong, long> patterns)
    {
        AddressMoveBits = [];
        var parts = MatchModel.AddressPartsOf(Comparisons);
        if (parts.Length < 2)
        {
            return;
        }
        double mAll = 0, uAll = 0;
        var byCode = new Dictionary<int, (double M, double U, long Pairs, ulong Example)>();
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        foreach (var (key, count) in patterns)
        {
            var p = Posterior(key, withLocations: false);
            var (m, u) = (count * p, count * (1 - p));
            mAll += m;
            uAll += u;
            LevelPatterns.Unpack(key, levels);
            var code = MatchModel.AddressCode(levels, parts);
            if (code >= 0)
            {
                var seen = byCode.GetValueOrDefault(code, (0, 0, 0, key));
                byCode[code] = (seen.M + m, seen.U + u, seen.Pairs + count, seen.Example);
            }
        }
        double Bits(double m, double u) => LogRatio(m, u, mAll, uAll);
        foreach (var (code, (m, u, pairs, example)) in byCode)
        {
            if (pairs < 20)
            {
                continue;
            }
            LevelPatterns.Unpack(example, levels);
            var summed = 0.0;
            foreach (var i in parts)
            {
                summed += levels[i] >= 0 ? Math.Log2(Parameters[i].M[levels[i]] / Parameters[i].U[levels[i]]) : 0;
            }
            var bits = Math.Clamp(Bits(m, u) - summed, 0, 8);
            if (bits > 0)
            {
                AddressMoveBits[code] = bits;
            }
        }
    }

    /// <summary>
    /// log2 of how much likelier a pattern is among matches than among the rest, from its share of each (m of mAll,
    /// u of uAll), smoothed by half a pair so an empty cell stays finite.
    /// </summary>
    static double LogRatio(double m, double u, double mAll, double uAll) => Math.Log2((m + 0.5) / (mAll + 1)) - Math.Log2((u + 0.5) / (uAll + 1));

    /// <summary>The probability of a match a pattern's fields give it, or those that are not locations only.</summary>
    double Posterior(ulong key, bool withLocations)
    {
        double lm = Math.Log(Lambda), lu = Math.Log(1 - Lambda);
        for (var i = 0; i < Comparisons.Length; i++)
        {
            var level = LevelPatterns.Unpack(key, i);
            if (level != 15 && (withLocations || !Comparisons[i].IsLocation))
            {
                lm += Math.Log(Parameters[i].M[level]);
                lu += Math.Log(Parameters[i].U[level]);
            }
        }
        return 1 / (1 + Math.Exp(lu - lm));
    }

    /// <summary>Every bonus a fit carries beyond its fields' weights, fitted on the candidate pairs.</summary>
    public void FitBonuses(Dictionary<ulong, long> patterns)
    {
        FitNameAndBirth(patterns);
        FitNameAndPhone(patterns);
        FitNameAndHome(patterns);
        FitMoved(patterns);
        FitAddressMoves(patterns);
    }

    /// <summary>
    /// <see cref="MatchModel.NameAndBirthBits"/> and <see cref="MatchModel.LooserNameAndBirthBits"/> from the candidate
    /// pairs, each counted as a match with the probability the model gives it: for each depth of name and of birth date
    /// agreement, log2 of how much likelier the two together are among matches than among the rest, less the same for
    /// the name and the birth date apart. Never negative, at most 8 bits.
    /// </summary>
    public void FitNameAndBirth(Dictionary<ulong, long> patterns)
    {
        var (names, birth) = MatchModel.NameAndBirthOf(Comparisons);
        (NameAndBirthBits, LooserNameAndBirthBits) = (0, []);
        if (birth < 0 || names.Length == 0)
        {
            return;
        }
        const int nameDepths = MatchModel.LooserNameDepths + 1, birthDepths = MatchModel.LooserBirthDepths + 1;
        double mAll = 0, uAll = 0;
        Span<double> mName = stackalloc double[nameDepths], uName = stackalloc double[nameDepths], mBirth = stackalloc double[birthDepths], uBirth = stackalloc double[birthDepths];
        Span<double> mBoth = stackalloc double[nameDepths * birthDepths], uBoth = stackalloc double[nameDepths * birthDepths];
        Span<sbyte> levels = stackalloc sbyte[Comparisons.Length];
        foreach (var (key, count) in patterns)
        {
            var p = Posterior(key, withLocations: true);
            var (m, u) = (count * p, count * (1 - p));
            mAll += m;
            uAll += u;
            LevelPatterns.Unpack(key, levels);
            var (name, born) = (MatchModel.NameDepth(levels, Comparisons, names), MatchModel.BirthDepth(levels, Comparisons, birth));
            if (name >= 0)
            {
                (mName[name], uName[name]) = (mName[name] + m, uName[name] + u);
            }
            if (born >= 0)
            {
                (mBirth[born], uBirth[born]) = (mBirth[born] + m, uBirth[born] + u);
            }
            if (name >= 0 && born >= 0)
            {
                var cell = name * birthDepths + born;
                (mBoth[cell], uBoth[cell]) = (mBoth[cell] + m, uBoth[cell] + u);
            }
        }
        double Bits(double m, double u) => LogRatio(m, u, mAll, uAll);
        var bits = new double[nameDepths * birthDepths];
        for (var name = 0; name < nameDepths; name++)
        {
            for (var born = 0; born < birthDepths; born++)
            {
                var cell = name * birthDepths + born;
                bits[cell] = Math.Clamp(Bits(mBoth[cell], uBoth[cell]) - Bits(mName[name], uName[name]) - Bits(mBirth[born], uBirth[born]), 0, 8);
            }
        }
        NameAndBirthBits = bits[0];
        LooserNameAndBirthBits = bits[1..];
    }
}
