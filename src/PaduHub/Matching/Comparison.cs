namespace PaduHub.Matching;

/// <summary>
/// One field compared between two records, as a small number of agreement levels. Level 0 is always "they
/// disagree"; the highest is "exactly the same"; -1 means one side has nothing to compare. Levels, not raw
/// similarities, are what the Fellegi-Sunter model weighs, so each level's meaning must be plain enough for a
/// steward to read.
/// </summary>
public sealed record Comparison(string Name, string[] Levels, Func<MatchRecord, MatchRecord, int> Level, Func<MatchRecord, string?>? Value = null)
{
    /// <summary>
    /// Where someone lives rather than who they are. A household shares all of these, so EM left to itself learns
    /// "same household" instead of "same person"; location m and u are therefore fitted after the identity fields have
    /// decided which pairs match (see ModelTraining.Train).
    /// </summary>
    public bool IsLocation { get; init; }

    /// <summary>
    /// Another fact a CSV's schema names (an occupation, a birth place): evidence, but not of who someone is, so like the
    /// location fields it is fitted on the posteriors the identity fields give.
    /// </summary>
    public bool IsAttribute { get; init; }

    /// <summary>
    /// The comparison this one looks closer at, compared only where that one disagrees (how near two birth dates fall that
    /// differ in every part). Fitted, like the attributes, on the posteriors the identity fields give: it adds evidence
    /// without moving EM's fit of who is one person, nor the checks made of it.
    /// </summary>
    public Comparison? Refines { get; init; }

    /// <summary>Who someone is (names, birth date, identifiers, sex), which EM fits first: not a location, an attribute or a refinement.</summary>
    public bool IsIdentity => !IsLocation && !IsAttribute && Refines is null;

    /// <summary>The value whose frequency adjusts the exact level: agreeing on TAN is weaker evidence than on TEOH.</summary>
    public bool HasTermFrequency => Value is not null;

    /// <summary>
    /// A value that is evidence only while few records carry it: a phone or email shared by more than
    /// <see cref="MatchModel.CrowdedAbove"/> records (an office's, an agency's default) says nothing about who a record is.
    /// </summary>
    public Func<MatchRecord, string?>? Shared { get; init; }

    /// <summary>m before anything is fitted (the last-resort fallback), where this comparison's levels need their own; else <see cref="ModelTraining.PriorM"/>.</summary>
    public double[]? PriorM { get; init; }

    public int Exact => Levels.Length - 1;
}
