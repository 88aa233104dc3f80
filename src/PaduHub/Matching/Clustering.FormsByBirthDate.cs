namespace PaduHub.Matching;

/// <summary>
/// Dated forms without an identifier in a name that changed, read by the birth date they give (docs/matching.md, "A bare
/// account at its home" and the rules after it): where one person born that day could have had the name before the
/// change, the form is that person's.
/// </summary>
public static partial class Clustering
{
    /// <summary>
    /// A form with a birth date and no identifier in a married woman's name, her given names and her husband's (THILAGA
    /// PRAKASH, born 1966-01-29, a pension or tax record; ANGELA GRACE ALBERT MASING), joins the one person born that day
    /// who is a woman of those given names written with her father's (THILAGA A/P GOVINDASAMY, ANGELA GRACE ANAK
    /// STANLEY). Pair by pair they share one name and a birth date, far from a link. Two people born that day with that
    /// first name, a man among her records, or a postcode none of hers gives leaves it alone.
    /// </summary>
    static void JoinMarriedNamesByTheirBirthDate(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> bornOn)
    {
        foreach (var form in LoneForms(records, sets, r => r.Connector is null && r.NameTokens.Length is >= 2 and <= 4 && r.Sex != 'M' && r.SurnameClans.Length == 0))
        {
            var given = form.NameTokens[0];
            var own = sets.Find(form.Index);
            var namesakes = bornOn[form.DateOfBirth!].Where(x => sets.Find(x) != own && records[x].NameTokens.Length > 0
                && (records[x].NameTokens[0] == given || records[x].OwnTokens is [var first, ..] && first == given)).Select(sets.Find).Distinct().ToList();
            if (namesakes is not [var joined])
            {
                continue;
            }
            var person = sets.Members(joined).Select(m => records[m]).ToList();
            if (!person.Any(r => r.Connector is "A/P" or "ANAK" && form.NameTokens.Length - r.OwnTokens.Length is 1 or 2
                    && form.NameTokens.AsSpan(0, r.OwnTokens.Length).SequenceEqual(r.OwnTokens))
                || person.Any(r => r.Sex == 'M')
                || PostcodeNoneGives(form, person))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, joined);
        }
    }

    /// <summary>
    /// A form with a birth date and no identifier in a Chinese married woman's name, her husband's surname before her
    /// whole name (CHIN CHUA JIA AH, born 1981-10-29), joins the one person born that day whose name is that whole name
    /// (CHUA JIA AH, or KELVIN CHUA JIA AH with the English given name the married one drops) and whose records state no
    /// man. Pair by pair a name part more and a birth date; a man, or a
    /// postcode none of hers gives, leaves it alone.
    /// </summary>
    static void JoinHusbandsSurnamesByTheirBirthDate(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> bornOn)
    {
        foreach (var form in LoneForms(records, sets, r => r.Connector is null && r.NameTokens.Length is >= 3 and <= 5 && r.Sex != 'M'
            && NameNormaliser.ClansOf(r.NameTokens[0]).Count > 0))
        {
            var own = sets.Find(form.Index);
            var named = bornOn[form.DateOfBirth!].Where(x => sets.Find(x) != own && AfterHusbandsSurname(form.NameTokens, records[x].NameTokens))
                .Select(sets.Find).Distinct().ToList();
            if (named is not [var joined])
            {
                continue;
            }
            var person = sets.Members(joined).Select(m => records[m]).ToList();
            if (person.Any(r => r.Sex == 'M') || PostcodeNoneGives(form, person))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, joined);
        }
    }

    /// <summary>
    /// A form with a birth date and no identifier in a convert's name (MUHAMMAD ARIF BIN ABDULLAH, born 1982-09-28, a
    /// pension record) joins the one person born that day whose name could be the one before the conversion
    /// (<see cref="Comparisons.Converted"/>: RAYMOND TING LING SENG, a name marked as not Malay or one the new name keeps a
    /// word of), where no record of that person states another sex. Pair by pair they share a birth date and the
    /// conversion, which strangers born that day share as often at a larger scale; two such people born that day leave
    /// the form alone unless the new name keeps a word of one of theirs alone, and so does a postcode none of the
    /// person's records gives.
    /// </summary>
    static void JoinConvertsByTheirBirthDate(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart,
        Dictionary<string, List<int>> bornOn)
    {
        foreach (var form in LoneForms(records, sets, r => r.FullName is not null))
        {
            var own = sets.Find(form.Index);
            // Anyone born that day of the form's sex whose name is not itself a Malay one could be the convert, marked or not
            // (JOHN PEREIRA as well as JIMMY ANAK MICHAEL).
            var before = bornOn[form.DateOfBirth!].Where(x => sets.Find(x) != own && records[x].FullName is not null && records[x].Connector is not ("BIN" or "BINTI")
                && !SexesDiffer(form.Sex, records[x].Sex)).Select(sets.Find).Distinct().ToList();
            if (before.Count > 1)
            {
                // Of several, the one whose name the new one keeps a word of (LO of MUHAMMAD OSMAN LO BIN ABDULLAH).
                before = [.. before.Where(c => sets.Members(c).Any(m => Comparisons.Converted(form, records[m]) && Comparisons.KeepsAWordOf(form, records[m])))];
            }
            if (before is not [var joined] || !sets.Members(joined).Any(m => Comparisons.Converted(form, records[m])))
            {
                continue;
            }
            var person = sets.Members(joined).Select(m => records[m]).ToList();
            if (person.Any(r => SexesDiffer(r.Sex, form.Sex)) || PostcodeNoneGives(form, person))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, joined);
        }
    }

    /// <summary>
    /// Whether a married name of a surname and more (CHIN CHUA JIA AH) is that surname before this whole name: the same
    /// name, not beginning with that surname, or that name after an English given name the married one drops (KELVIN
    /// CHUA JIA AH).
    /// </summary>
    static bool AfterHusbandsSurname(string[] married, string[] name)
    {
        var hers = married.AsSpan(1);
        return name.Length == hers.Length && name.AsSpan().SequenceEqual(hers) && name[0] != married[0]
            || name.Length == hers.Length + 1 && name.AsSpan(1).SequenceEqual(hers) && NameNormaliser.ClansOf(name[0]).Count == 0;
    }

    /// <summary>Records with a birth date and no identifier, alone in their clusters, that <paramref name="shaped"/> takes.</summary>
    static List<MatchRecord> LoneForms(IReadOnlyList<MatchRecord> records, Sets sets, Func<MatchRecord, bool> shaped) =>
        [.. records.Where(r => r.Identifiers.Length == 0 && r.DateOfBirth is not null && shaped(r) && sets.Members(sets.Find(r.Index)).Count == 1)];

    static bool PostcodeNoneGives(MatchRecord form, List<MatchRecord> person) =>
        form.Postcode is { } postcode && person.Any(r => r.Postcode is not null) && !person.Any(r => r.Postcode == postcode);
}
