namespace PaduHub.Matching;

public static partial class Clustering
{
    /// <summary>
    /// A record with neither a name nor an identifier (BABY GIRL on a welfare form: a birth date, a sex, a home, a
    /// phone) about to join one registered person while it pairs as well with another of its sex, born the same day and
    /// holding a MyKad of their own: twins at one home. Nothing on the record chooses between them; a steward can.
    /// Two such records do not join each other either where they pair with two such people.
    /// </summary>
    static bool NamelessBetweenTwins(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b, Sets sets, Dictionary<int, List<int>> namelessPairs)
    {
        // A side of nameless records only: two forms of one day's babies (BABY BOY twice) are no less ambiguous than one,
        // and two such forms joining each other may be the two twins'.
        var (nameless, joining) = b.TrueForAll(namelessPairs.ContainsKey) ? (b, a) : a.TrueForAll(namelessPairs.ContainsKey) ? (a, b) : (null, a);
        if (nameless is null)
        {
            return false;
        }
        var bothNameless = joining.TrueForAll(namelessPairs.ContainsKey);
        var claimants = bothNameless ? [] : new List<List<int>> { joining };
        foreach (var r in bothNameless ? nameless.Concat(joining) : nameless)
        {
            if (records[r].DateOfBirth is not { } born)
            {
                continue;
            }
            foreach (var y in namelessPairs[r])
            {
                if (records[y].DateOfBirth != born || records[y].Sex != '\0' && records[r].Sex != '\0' && records[y].Sex != records[r].Sex)
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

    /// <summary>The records with neither a name nor an identifier, each with the records it pairs with at the review weight or above.</summary>
    static Dictionary<int, List<int>> NamelessPairs(IReadOnlyList<MatchRecord> records, IReadOnlyList<ScoredPair> pairs, double reviewWeight)
    {
        var paired = new Dictionary<int, List<int>>();
        foreach (var pair in pairs)
        {
            if (pair.Weight < reviewWeight)
            {
                continue;
            }
            foreach (var (x, y) in (ReadOnlySpan<(int, int)>)[(pair.A, pair.B), (pair.B, pair.A)])
            {
                if (Nameless(records[x]))
                {
                    (paired.TryGetValue(x, out var list) ? list : paired[x] = []).Add(y);
                }
            }
        }
        return paired;

        static bool Nameless(MatchRecord r) => r.FullName is null && r.Given is null && r.Family is null && r.Identifiers.Length == 0;
    }

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
