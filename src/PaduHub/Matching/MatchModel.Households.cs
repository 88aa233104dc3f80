namespace PaduHub.Matching;

/// <summary>
/// What a household shares, kept from making its members one person: names apart, twins, homes shared by families or
/// only by a person's own records (decision record 13), and a name that changed while the identity held.
/// </summary>
public sealed partial class MatchModel
{
    /// <summary>
    /// Set by the fallbacks where most candidate pairs at one address differ outright in identifier and birth date
    /// (<see cref="ModelTraining"/>): homes in this data are shared by families, not only by a person's own records. Prior
    /// m knows nothing of that, the sessions little, and a household's address, postcode, town, state and phone summed
    /// outweigh two personal fields differing; so for such a pair they count only against (<see cref="HouseholdOnly"/>).
    /// EM's own fit is left alone: it learns how often its matches differ so.
    /// </summary>
    public bool HomesShared { get; init; }

    /// <summary>
    /// Set by training where few candidate pairs at one address differ outright in identifier and birth date, and enough
    /// of them to say: records here share an address only with their own (FEBRL's), so there are no households for
    /// names apart to be siblings in, and their locations count as any pair's (<see cref="NamesApart"/>).
    /// </summary>
    public bool HomesOwn { get; init; }

    /// <summary>
    /// Whether what a pair's locations agree on can only be a household: the names are apart (<see cref="NamesApart"/>),
    /// or homes are shared (<see cref="HomesShared"/>) and the identifier and birth date, where compared, both differ
    /// outright. Such a pair's locations count only where they disagree. Where homes are shared, also whether the pair
    /// may be twins: names apart and no identifier agreeing.
    /// </summary>
    (bool HouseholdOnly, bool Twins) HouseholdOnly(ReadOnlySpan<sbyte> levels)
    {
        var namesApart = NamesApart(levels) && !HomesOwn;
        if (!HomesShared)
        {
            return (namesApart, false);
        }
        var (identifier, birth) = (_at.Identifier, _at.Birth);
        return (namesApart || IdentityApart(levels, identifier, birth), namesApart && (identifier < 0 || levels[identifier] <= 0));
    }

    /// <summary>
    /// A field's weight as a pair counts it: locations only against where they can only say "household"; and where homes
    /// are shared, a birth date only against for names apart with no identifier agreeing (twins: nothing personal
    /// of their own agrees).
    /// </summary>
    double Counted(int i, double weight, (bool HouseholdOnly, bool Twins) pair) =>
        pair.HouseholdOnly && IsLocation[i] || pair.Twins && i == _at.Birth ? Math.Min(weight, 0) : weight;

    /// <summary>Whether the identifier and the birth date differ outright where compared, and at least one was.</summary>
    internal static bool IdentityApart(ReadOnlySpan<sbyte> levels, int identifier, int birth)
    {
        var id = identifier >= 0 ? levels[identifier] : Matching.Comparisons.Missing;
        var born = birth >= 0 ? levels[birth] : Matching.Comparisons.Missing;
        return (id >= 0 || born >= 0) && id <= 0 && born <= 0;
    }

    /// <summary>
    /// Whether the whole names say two people (different, or sharing only some words) while no identifier agrees
    /// exactly. Twins and siblings share a birth date or a family name and everything a household shares: address,
    /// postcode, town, state, phone. For such a pair those say "same household", never "same person", so their agreement
    /// counts nothing (their disagreement still counts against). A convert's new name is apart too unless the birth
    /// dates agree (exactly, swapped or with a slip): a brother who converted shares the family name and the home.
    /// Names split into given name and surname are left alone: there a slip in the given name (FEBRL's) is as common as
    /// a sibling.
    /// </summary>
    bool NamesApart(ReadOnlySpan<sbyte> levels)
    {
        var (full, identifier) = (_at.FullName, _at.Identifier);
        if (full < 0 || identifier >= 0 && levels[identifier] == Comparisons[identifier].Exact)
        {
            return false;
        }
        return levels[full] is 0 or 2
            || levels[full] == 1 && BirthDepth(levels, Comparisons, NameAndBirth.Birth) is < 0 or > SlipDepth
            || levels[full] >= 0 && levels[full] < Comparisons[full].Exact && TwoNumbersOneBirthday(levels);
    }

    /// <summary>
    /// Identifiers that differ beyond a slip between records born the same day: twins' numbers (or two born that day in
    /// one state), not one person's typed twice with two slips. Twins' names may be a letter apart (HANIS and ANIS BINTI
    /// RAMLI), so such a name counts as apart unless it is written the same.
    /// </summary>
    bool TwoNumbersOneBirthday(ReadOnlySpan<sbyte> levels)
    {
        var (identifier, birth) = (_at.Identifier, _at.Birth);
        return identifier >= 0 && birth >= 0 && levels[identifier] == 0 && levels[birth] == Comparisons[birth].Exact;
    }

    /// <summary>
    /// Whether an identifier and the birth date agree exactly and no stated sex differs. Then a whole name that differs
    /// is a name that changed (a marriage, a conversion, an English name, a clerk's shorthand) rather than another
    /// person, and weighs against no more than the conversion-name level EM fitted (<see cref="NameWeight"/>).
    /// </summary>
    bool IdentityHolds(ReadOnlySpan<sbyte> levels)
    {
        var (full, identifier, birth, sex) = (_at.FullName, _at.Identifier, _at.Birth, _at.Sex);
        return full >= 0 && identifier >= 0 && birth >= 0 && levels[identifier] == Comparisons[identifier].Exact
            && levels[birth] == Comparisons[birth].Exact && (sex < 0 || levels[sex] != 0);
    }

    /// <summary>A field's weight in a pair, the whole name's held up where it was compared and the identity holds (<see cref="IdentityHolds"/>).</summary>
    double NameWeight(int comparison, int level, double weight, MatchRecord a, bool identityHolds) =>
        identityHolds && level >= 0 && comparison == _at.FullName && Comparisons[comparison].Levels.Length > 1
            ? Math.Max(weight, FieldWeight(comparison, 1, a)) : weight;
}
