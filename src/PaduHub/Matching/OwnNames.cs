namespace PaduHub.Matching;

/// <summary>
/// Whether two records' own names (the person's, not the father's or the family's) say two people. Siblings share a
/// patronym or a surname, twins a birth date too, and the names as wholes look alike; what tells them apart is a word
/// of each one's own name that the other has nothing like. A dropped or added word (an English given name, a second
/// given name) is not that: one side's words are all found in the other's.
/// </summary>
static class OwnNames
{
    /// <summary>
    /// Both sides carry an own-name word the other has no close match for (not equal, not one edit, not its initial, not
    /// alike). Only names that set the own name apart say so: a patronym's (bin, binti, a/l) or a given-name field's.
    /// A Chinese name in one field has no such mark, and its family name's romanisations (Tan, Chan, Chen) would pass
    /// for a different own name.
    /// </summary>
    public static bool Differ(MatchRecord a, MatchRecord b)
    {
        if (!OwnNameSetApart(a) || !OwnNameSetApart(b))
        {
            return false;
        }
        var (x, y) = (a.OwnTokens, b.OwnTokens);
        return x.Length > 0 && y.Length > 0 && HasUnmatched(x, y) && HasUnmatched(y, x);
    }

    static bool OwnNameSetApart(MatchRecord r) => r.FullName is null ? r.Given is not null : r.OwnName is { } own && own.Length < r.FullName.Length;

    static bool HasUnmatched(string[] words, string[] other)
    {
        foreach (var w in words)
        {
            var matched = false;
            foreach (var o in other)
            {
                if (Alike(w, o))
                {
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                return true;
            }
        }
        return false;
    }

    static bool Alike(string a, string b) =>
        a == b
        || (a.Length == 1 || b.Length == 1) && a[0] == b[0]
        || Similarity.WithinOneEdit(a, b) || Similarity.IsTransposition(a, b)
        || Similarity.JaroWinkler(a, b) >= 0.9;
}
