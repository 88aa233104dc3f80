using System.Globalization;

namespace PaduHub.Matching;

/// <summary>Records identical in everything compared: the same record sent again, paired with its first copy alone.</summary>
static class IdenticalRecords
{
    /// <summary>
    /// For each record, the first record identical to it in everything compared, or itself: a copy is the same record
    /// sent again. It is paired with that first one alone and is neither searched nor blocked on, nor found in a
    /// search, so a file loaded a thousand times costs a thousand pairs and leaves every other record its own top-k.
    /// Scoring still decides: copies of a record with nothing to match on stay apart.
    /// </summary>
    public static int[] FirstOf(IReadOnlyList<MatchRecord> records, out int identical)
    {
        var hashes = new (int, int)[records.Count];
        Parallel.For(0, records.Count, i => hashes[i] = ContentHash(records[i]));
        var firstOf = new int[records.Count];
        var first = new Dictionary<(int, int), int>(records.Count);
        identical = 0;
        for (var i = 0; i < records.Count; i++)
        {
            firstOf[i] = i;
            if (!first.TryAdd(hashes[i], i) && first[hashes[i]] is var earlier && SameContent(records[earlier], records[i]))
            {
                firstOf[i] = earlier;
                identical++;
            }
        }
        return firstOf;
    }

    /// <summary>Two independent 32-bit hashes of what comparing reads; equal contents always agree, different ones almost never both do.</summary>
    static (int, int) ContentHash(MatchRecord r)
    {
        var (x, y) = (new HashCode(), new HashCode());
        y.Add(0x5041_4455);
        foreach (var field in ContentFields(r))
        {
            x.Add(field, StringComparer.Ordinal);
            y.Add(field?.Length ?? -1);
            y.Add(field, StringComparer.Ordinal);
        }
        return (x.ToHashCode(), y.ToHashCode());
    }

    static bool SameContent(MatchRecord a, MatchRecord b) => ContentFields(a).SequenceEqual(ContentFields(b), StringComparer.Ordinal);

    static IEnumerable<string?> ContentFields(MatchRecord r)
    {
        yield return r.Given;
        yield return r.Family;
        yield return r.FullName;
        yield return r.DateOfBirth;
        yield return r.Sex == '\0' ? null : r.Sex.ToString();
        yield return r.Identifiers.Length.ToString(CultureInfo.InvariantCulture);
        foreach (var id in r.Identifiers)
        {
            yield return id.Kind;
            yield return id.Value;
        }
        yield return r.Street;
        yield return r.Unit;
        yield return r.Postcode;
        yield return r.City;
        yield return r.State;
        yield return r.Phone;
        yield return r.Email;
    }
}
