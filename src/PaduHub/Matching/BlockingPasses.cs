namespace PaduHub.Matching;

/// <summary>
/// One blocking rule: two records that share one of its keys are compared, whatever else differs, as long as no more
/// than <see cref="MatchSettings.MaxBlock"/> records share it. Each pass covers a way the look-alike search can miss
/// a pair: a typo in every name word, a changed given name, a birth date missing or mistyped.
/// </summary>
/// <param name="Name">what the pass blocks on, in words, as evaluate and the run report show it</param>
/// <param name="Keys">the record's keys for this pass, each prefixed so no two passes share a key</param>
public sealed record BlockingPass(string Name, Func<MatchRecord, IEnumerable<string>> Keys);

/// <summary>
/// The exact-key passes beside the look-alike search, and the pairs they make. A whole run and the standing index
/// block on the same keys (<see cref="KeysOf"/>), so an incremental run finds what a full one would.
/// </summary>
public static class BlockingPasses
{
    public static readonly BlockingPass Identifier = new("same identifier", r => r.Identifiers.Select(id => "i:" + id.Value));

    public static readonly BlockingPass BirthAndFirstName = new("birth date + first name sound",
        r => r.DateOfBirth is { } dob && FirstNameSound(r) is { } first ? ["d:" + dob + ":" + first] : []);

    public static readonly BlockingPass Phone = new("same phone", r => r.Phone is { } phone ? ["p:" + phone] : []);

    public static readonly BlockingPass Email = new("same email", r => r.Email is { } email ? ["e:" + email] : []);

    /// <summary>A given name changed, anglicised or cut to initials: the birth date and the family name still agree.</summary>
    public static readonly BlockingPass BirthAndSurname = new("birth date + surname sound",
        r => r.DateOfBirth is { } dob && SurnameSound(r) is { } surname ? ["ds:" + dob + ":" + surname] : []);

    /// <summary>
    /// A utility account with neither IC nor birth date under a common name: its own record at the same home can fall
    /// outside the look-alike search's top-k, crowded out by the name's namesakes in the town. Keyed on the person's own
    /// name (before BIN, A/L, ANAK) so a dropped patronym still meets; few people at one home share one.
    /// </summary>
    public static readonly BlockingPass HomeAndOwnName = new("home + own name",
        r => Home(r) is { } home && (r.OwnName ?? r.FullName ?? NameOfParts(r)) is { } name ? ["h:" + home + ":" + name, "hs:" + home + ":" + Outline(name)] : []);

    /// <summary>The first two letters of a name's first and last words: a slip inside a word (SHARIL for SHAHRIL) keeps them.</summary>
    static string Outline(string name)
    {
        var words = name.Split([' ', '|'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "" : words[0][..Math.Min(2, words[0].Length)] + "." + words[^1][..Math.Min(2, words[^1].Length)];
    }

    /// <summary>Every pass, in the order its bit is numbered after the look-alike search's and identical copies'.</summary>
    public static readonly BlockingPass[] All =
        [Identifier, BirthAndFirstName, Phone, Email, BirthAndSurname, HomeAndOwnName];

    /// <summary>A candidate pair's sources, one bit each: the look-alike search, an identical copy, then <see cref="All"/>.</summary>
    public const int LookAlikeBit = 0, IdenticalBit = 1, FirstPassBit = 2;

    /// <summary>The names of a pair's bits, in bit order.</summary>
    public static readonly string[] BitNames = ["look-alikes", "identical copy", .. All.Select(p => p.Name)];

    /// <summary>Keys that, shared, make two records worth comparing whatever else differs: every pass's.</summary>
    public static IEnumerable<string> KeysOf(MatchRecord r) => All.SelectMany(pass => pass.Keys(r));

    /// <summary>A numbered unit in a postcode (or on a street, without one): one set of living quarters.</summary>
    static string? Home(MatchRecord r) => r.Unit is { } unit && (r.Postcode ?? r.Street) is { } place ? unit + "|" + place : null;

    static string? NameOfParts(MatchRecord r) => r.Given is null && r.Family is null ? null : $"{r.Given}|{r.Family}";

    static string? FirstNameSound(MatchRecord r) =>
        r.NameTokens.Length == 0 ? null : Similarity.Phonetic(r.Given?.Split(' ')[0] ?? r.NameTokens[0]);

    /// <summary>
    /// The family name's sound: the last word of a separate surname, the clan of a Chinese name written whole, or
    /// else the last word of the whole name (a Malay or Indian patronym).
    /// </summary>
    static string? SurnameSound(MatchRecord r)
    {
        if (r.Family is { Length: > 0 } family)
        {
            return Similarity.Phonetic(family.Split(' ')[^1]);
        }
        if (r.SurnameClans.Length > 0)
        {
            return "clan" + r.SurnameClans[0];
        }
        return r.NameTokens.Length > 1 ? Similarity.Phonetic(r.NameTokens[^1]) : null;
    }

    /// <summary>
    /// Each pass's pairs, sorted and distinct, over the records that are not copies of another; blocks of more than
    /// <paramref name="maxBlock"/> records are left out and counted. Linking, a block pairs only records of different sides.
    /// </summary>
    public static (long[][] PairsByPass, int Oversized) Pairs(IReadOnlyList<MatchRecord> records, int[] firstOf, int[]? side, int maxBlock)
    {
        var byPass = new long[All.Length][];
        var oversized = new int[All.Length];
        Parallel.For(0, All.Length, p =>
        {
            var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                if (firstOf[r.Index] != r.Index)
                {
                    continue;
                }
                foreach (var key in All[p].Keys(r))
                {
                    if (!blocks.TryGetValue(key, out var members))
                    {
                        blocks[key] = members = [];
                    }
                    if (members.Count <= maxBlock)
                    {
                        members.Add(r.Index);
                    }
                }
            }
            var pairs = new List<long>();
            foreach (var members in blocks.Values)
            {
                if (members.Count > maxBlock)
                {
                    oversized[p]++;
                    continue;
                }
                for (var x = 0; x < members.Count; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        if (side is null || side[members[x]] != side[members[y]])
                        {
                            pairs.Add(CandidateIndex.Key(members[x], members[y]));
                        }
                    }
                }
            }
            var keys = pairs.ToArray();
            byPass[p] = keys[..CandidateIndex.SortUnique(keys)];
        });
        return (byPass, oversized.Sum());
    }
}
