namespace PaduHub.Matching;

/// <summary>
/// What blocking did: how many pairs it handed to scoring, how many common values it refused to block on, and how many
/// records gave it nothing to block on at all.
/// </summary>
public sealed record BlockingReport(long PairsCompared, long FromIndex, long FromExactKeys, int OversizedBlocks, int SkippedCommonTerms,
    double IndexSeconds = 0, double QuerySeconds = 0, int NothingToMatchOn = 0, int Identical = 0)
{
    /// <summary>How many pairs each way of blocking proposed (<see cref="BlockingPasses.BitNames"/>), a pair found by several counted in each.</summary>
    public IReadOnlyDictionary<string, long>? ByPass { get; init; }

    /// <summary>
    /// What blocking left out, in a sentence for the log and the command line (counts only: the values themselves may be
    /// someone's IC or name); null when it left nothing out.
    /// </summary>
    public string? LeftOut(MatchSettings settings)
    {
        var parts = new List<string>();
        void Say(int count, FormattableString what)
        {
            if (count > 0)
            {
                parts.Add(FormattableString.Invariant(what));
            }
        }
        Say(SkippedCommonTerms,
            $"searched on none of {SkippedCommonTerms:N0} values carried by more than {settings.MaxTermDocs:N0} records (a placeholder identifier, a shared phone, a very common name word)");
        Say(OversizedBlocks,
            $"paired none of the records in {OversizedBlocks:N0} exact-key blocks of more than {settings.MaxBlock:N0} records (each record still has its {settings.TopK} most alike)");
        Say(Identical, $"found {Identical:N0} records identical in everything compared to an earlier one (the same record sent again), each paired with that one");
        Say(NothingToMatchOn,
            $"found {NothingToMatchOn:N0} records with nothing to match on (no name, date of birth, identifier, postcode, phone or email), which stay on their own");
        return parts.Count == 0 ? null : "blocking " + string.Join("; ", parts);
    }
}
