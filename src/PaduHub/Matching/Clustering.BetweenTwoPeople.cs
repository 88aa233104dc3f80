namespace PaduHub.Matching;

public static partial class Clustering
{
    /// <summary>
    /// A record with neither a name nor an identifier (BABY GIRL on a welfare form: a birth date, a sex, a home, a
    /// phone) about to join one registered person while it pairs as well with another of its sex, born the same day and
    /// holding a MyKad of their own: twins at one home. Nothing on the record chooses between them; a steward can.
    /// Two such records do not join each other either where they pair with two such people.
    /// </summary>
    static bool NamelessBetweenTwins(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b, Sets sets, Dictionary<int, List<(int Other, double Weight)>> idlessPairs)
    {
        // A side of nameless records only: two forms of one day's babies (BABY BOY twice) are no less ambiguous than one,
        // and two such forms joining each other may be the two twins'.
        bool Nameless(int i) => idlessPairs.ContainsKey(i) && IsNameless(records[i]);
        var (nameless, joining) = b.TrueForAll(Nameless) ? (b, a) : a.TrueForAll(Nameless) ? (a, b) : (null, a);
        if (nameless is null)
        {
            return false;
        }
        var bothNameless = joining.TrueForAll(Nameless);
        var claimants = bothNameless ? [] : new List<List<int>> { joining };
        foreach (var r in bothNameless ? nameless.Concat(joining) : nameless)
        {
            if (records[r].DateOfBirth is not { } born)
            {
                continue;
            }
            foreach (var (y, _) in idlessPairs[r])
            {
                if (records[y].DateOfBirth != born || OtherSex(records[r], records[y]))
                {
                    continue;
                }
                var members = sets.Members(sets.Find(y));
                if (members != nameless && members != joining && !claimants.Contains(members) && claimants.Count < 20)
                {
                    claimants.Add(members);
                }
            }
        }
        for (var i = 0; i < claimants.Count; i++)
        {
            for (var j = i + 1; j < claimants.Count; j++)
            {
                if (TwoRegisteredPeople(records, claimants[i], claimants[j]))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// A record with a birth date and no identifier about to join one registered person while it pairs nearly as well
    /// (within a quarter of a bit) with another of its sex, whose MyKad the identity guard holds apart: a convert's tax
    /// record under her new name beside twin sisters of the old surname. What it holds cannot choose between them; a
    /// steward can. An account without a birth date is left to the order of the pairs: between a father and a son of
    /// one name it is the household head's more often than not, and holding every such account cost recall with no
    /// precision gained (benchmarks/results/linkage-amd-epyc.md, session 37).
    /// </summary>
    static bool IdlessBetweenTwo(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b, Sets sets, Dictionary<int, List<(int Other, double Weight)>> idlessPairs)
    {
        var (r, joining) = b.Count == 1 && idlessPairs.ContainsKey(b[0]) ? (b[0], a) : a.Count == 1 && idlessPairs.ContainsKey(a[0]) ? (a[0], b) : (-1, a);
        if (r < 0 || records[r].DateOfBirth is null)
        {
            return false;
        }
        var best = double.NegativeInfinity;
        foreach (var (y, weight) in idlessPairs[r])
        {
            if (joining.Contains(y))
            {
                best = Math.Max(best, weight);
            }
        }
        foreach (var (y, weight) in idlessPairs[r])
        {
            // Nor is one of the other sex, or a child a bare record may not join (decision 19).
            if (weight >= best - 0.25 && !joining.Contains(y) && !OtherSex(records[r], records[y]) && sets.Members(sets.Find(y)) is var other
                && TwoRegisteredPeople(records, joining, other) && !BareRecordsAndAChild(records, [r], other))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The records without an identifier that give a birth date, each with the records it pairs with at the review
    /// weight or above: both guards above read only those (a third of a million records have no identifier).
    /// </summary>
    static Dictionary<int, List<(int Other, double Weight)>> IdlessPairs(IReadOnlyList<MatchRecord> records, IReadOnlyList<ScoredPair> pairs, double reviewWeight)
    {
        var paired = new Dictionary<int, List<(int Other, double Weight)>>();
        foreach (var pair in pairs)
        {
            if (pair.Weight < reviewWeight)
            {
                continue;
            }
            foreach (var (x, y) in (ReadOnlySpan<(int, int)>)[(pair.A, pair.B), (pair.B, pair.A)])
            {
                if (records[x].Identifiers.Length == 0 && records[x].DateOfBirth is not null)
                {
                    (paired.TryGetValue(x, out var list) ? list : paired[x] = []).Add((y, pair.Weight));
                }
            }
        }
        return paired;
    }

    static bool OtherSex(MatchRecord a, MatchRecord b) => a.Sex != '\0' && b.Sex != '\0' && a.Sex != b.Sex;

    static bool IsNameless(MatchRecord r) => r.FullName is null && r.Given is null && r.Family is null && r.Identifiers.Length == 0;

    /// <summary>
    /// Whether a record of one cluster and a record of the other hold MyKads that are two people's (twins' numbers one
    /// digit apart under their two names count: the identity guard's level, not the digits').
    /// </summary>
    static bool TwoRegisteredPeople(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b)
    {
        foreach (var x in a.Take(40))
        {
            foreach (var y in b.Take(40))
            {
                if (HasMyKad(records[x]) && HasMyKad(records[y]) && Comparisons.NationalId.Level(records[x], records[y]) == 0)
                {
                    return true;
                }
            }
        }
        return false;

        static bool HasMyKad(MatchRecord r) => Array.Exists(r.Identifiers, id => id.Kind == "MYKAD");
    }
}
