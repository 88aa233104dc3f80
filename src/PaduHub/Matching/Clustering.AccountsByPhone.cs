namespace PaduHub.Matching;

/// <summary>
/// Records without an identifier read by their phone: where no one else's records hold it, a phone is its one person's
/// (docs/matching.md, "A bare account at its home" and the rules after it).
/// </summary>
public static partial class Clustering
{
    /// <summary>
    /// A bare account in a married woman's name (MAGDALENE PAUL) whose phone only one person's records hold, where that
    /// person is a woman of the account's given name written with her father's (MAGDALENE ANAK UNTING) and he is not the
    /// account's second name: her account at a home she moved to. Pair by pair they share a phone and one name.
    /// </summary>
    static void JoinMarriedNamesByTheirPhone(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> phones)
    {
        foreach (var (account, holder) in PhoneHolders(records, sets, phones, r => IsAccount(r) && r.Sex != 'M' && r.SurnameClans.Length == 0))
        {
            var (given, husband) = (account.NameTokens[0], account.NameTokens[1]);
            var members = sets.Members(holder);
            if (members.Any(m => records[m].Sex == 'M')
                || !members.Any(m => records[m].Connector is "A/P" or "ANAK" && records[m].OwnTokens is [var own] && own == given
                    && !records[m].PatronymTokens.Contains(husband, StringComparer.Ordinal)))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, holder);
        }
    }

    /// <summary>
    /// A bare record (no identifier, no birth date) at a convert's home, in a name his conversion could have left behind
    /// (JASON WONG, LIM XIN KIT beside MOHAMAD FAHMI BIN ABDULLAH), whose phone is on his records and on no one else's:
    /// his account from before he converted. Pair by pair they share a home and a phone, as his father's account could,
    /// but his father's would carry his own phone.
    /// </summary>
    static void JoinConvertsByTheirPhone(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes,
        Dictionary<string, List<int>> phones)
    {
        foreach (var (account, holder) in PhoneHolders(records, sets, phones,
            r => r.Identifiers.Length == 0 && r.DateOfBirth is null && r.FullName is not null && Homes.Has(r)))
        {
            if (!homes.Of(account).Any(x => sets.Find(x) == holder) || !sets.Members(holder).Any(m => Comparisons.Converted(records[m], account)))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, holder);
        }
    }

    /// <summary>
    /// A record with no identifier whose whole name is a name of the one person whose records hold its phone, where no
    /// one else's do, or one slip from it (LIM SENG EAO on an electricity account with LIM SENG HAO's mobile), joins that
    /// person, at home or not; a record with a birth date, where the person was born that day. A common name with a
    /// phone scores as a namesake could; a phone on no one else's records is his. A brother with a rhyming name (LIM SENG
    /// BAO) has a phone of his own, and one the family's records share is no one's alone (but see
    /// <see cref="JoinWholeNamesByAHouseholdsPhone"/>).
    /// </summary>
    static void JoinSlipsByTheirPhone(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> phones)
    {
        foreach (var (form, holder) in PhoneHolders(records, sets, phones, r => r.Identifiers.Length == 0 && r.FullName is not null))
        {
            var person = sets.Members(holder);
            if (!person.Any(m => records[m].FullName is { } name && OneSlipAtMost(name, form.FullName!)) || !SexAndBirthAgree(records, form, person))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, holder);
        }
    }

    /// <summary>
    /// A household's phone, on the records of several people: a record without an identifier joins the one of them whose
    /// name it gives whole (its words in any order), where no one else holding the phone has a name one slip from it
    /// (SINNAPAH SOMCHAI's account at his old address, with the home's phone his wife TERESA's welfare form gives too).
    /// The others' records that give the phone must give one postcode: an office's or an agent's number spans towns.
    /// </summary>
    static void JoinWholeNamesByAHouseholdsPhone(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> phones)
    {
        foreach (var form in records.Where(r => r.Identifiers.Length == 0 && r.FullName is not null && r.Phone is not null
            && sets.Members(sets.Find(r.Index)).Count == 1).ToList())
        {
            var own = sets.Find(form.Index);
            var holding = phones[form.Phone!];
            if (holding.Count - 1 > MaxSharedPhone)
            {
                continue;
            }
            var words = form.NameTokens.Order(StringComparer.Ordinal).ToArray();
            var named = holding.Where(x => sets.Find(x) != own && records[x].NameTokens.Length == words.Length
                && records[x].NameTokens.Order(StringComparer.Ordinal).SequenceEqual(words, StringComparer.Ordinal)).Select(sets.Find).Distinct().ToList();
            if (named is not [var holder])
            {
                continue;
            }
            var others = holding.Where(x => sets.Find(x) != own && sets.Find(x) != holder).Select(x => records[x]).ToList();
            if (others.Where(r => r.Postcode is not null).Select(r => r.Postcode).Distinct().Count() > 1
                || others.Any(r => r.FullName is { } name && OneSlipAtMost(name, form.FullName!))
                || !SexAndBirthAgree(records, form, sets.Members(holder)))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, holder);
        }
    }

    /// <summary>Two stated sexes that differ; an unstated one ('\0') differs from neither.</summary>
    static bool SexesDiffer(char a, char b) => a != '\0' && b != '\0' && a != b;

    static bool OneSlipAtMost(string name, string other) => Similarity.WithinOneEdit(name, other) || Similarity.IsTransposition(name, other);

    /// <summary>No stated sex of the person's records differs from the record's, and a record's birth date is one of theirs.</summary>
    static bool SexAndBirthAgree(IReadOnlyList<MatchRecord> records, MatchRecord form, List<int> person) =>
        !person.Any(m => SexesDiffer(records[m].Sex, form.Sex))
        && !(form.DateOfBirth is { } born && !person.Any(m => records[m].DateOfBirth == born));

    /// <summary>
    /// Each record alone in its cluster that <paramref name="candidate"/> takes and that carries a phone, with the one
    /// other cluster whose records hold that phone; records whose phone no other cluster holds, or several, or more than
    /// <see cref="MaxSharedPhone"/> records, are left out. Read as the caller joins: each holder is found when reached.
    /// </summary>
    static IEnumerable<(MatchRecord Record, int Holder)> PhoneHolders(IReadOnlyList<MatchRecord> records, Sets sets,
        Dictionary<string, List<int>> phones, Func<MatchRecord, bool> candidate)
    {
        foreach (var r in records.Where(r => r.Phone is not null && candidate(r) && sets.Members(sets.Find(r.Index)).Count == 1).ToList())
        {
            var holding = phones[r.Phone!];
            if (holding.Count - 1 <= MaxSharedPhone && OnlyClusterBesides(holding, sets, sets.Find(r.Index)) is { } holder)
            {
                yield return (r, holder);
            }
        }
    }

    /// <summary>Every record that has a value for <paramref name="key"/> (a phone, a birth date), by that value.</summary>
    static Dictionary<string, List<int>> RecordsBy(IReadOnlyList<MatchRecord> records, Func<MatchRecord, string?> key)
    {
        var by = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (key(r) is { } value)
            {
                (by.TryGetValue(value, out var list) ? list : by[value] = []).Add(r.Index);
            }
        }
        return by;
    }

    /// <summary>The one cluster other than <paramref name="own"/> that holds these records; null for none or several.</summary>
    static int? OnlyClusterBesides(List<int> indexes, Sets sets, int own)
    {
        int? only = null;
        foreach (var x in indexes)
        {
            var cluster = sets.Find(x);
            if (cluster == own || cluster == only)
            {
                continue;
            }
            if (only is not null)
            {
                return null;
            }
            only = cluster;
        }
        return only;
    }
}
