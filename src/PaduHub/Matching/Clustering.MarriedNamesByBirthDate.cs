namespace PaduHub.Matching;

/// <summary>A dated form in a married woman's name, read by the birth date it gives (docs/matching.md, "A bare account at its home" and the rules after it).</summary>
public static partial class Clustering
{
    /// <summary>
    /// A form with a birth date and no identifier in a married woman's name, her given names and her husband's (THILAGA
    /// PRAKASH, born 1966-01-29, a pension or tax record; ANGELA GRACE ALBERT MASING), joins the one person born that day
    /// who is a woman of those given names written with her father's (THILAGA A/P GOVINDASAMY, ANGELA GRACE ANAK STANLEY). Pair by pair they share one name and a birth date, far
    /// from a link. Two people born that day with that first name, a man among her records, or a postcode none of hers
    /// gives leaves it alone.
    /// </summary>
    static void JoinMarriedNamesByTheirBirthDate(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart)
    {
        var forms = records.Where(r => r.Identifiers.Length == 0 && r.DateOfBirth is not null && r.Connector is null && r.NameTokens.Length is >= 2 and <= 4
            && r.Sex != 'M' && r.SurnameClans.Length == 0 && sets.Members(sets.Find(r.Index)).Count == 1).ToList();
        if (forms.Count == 0)
        {
            return;
        }
        var byBirthDate = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.DateOfBirth is { } born)
            {
                (byBirthDate.TryGetValue(born, out var same) ? same : byBirthDate[born] = []).Add(r.Index);
            }
        }
        foreach (var form in forms)
        {
            var given = form.NameTokens[0];
            var own = sets.Find(form.Index);
            var namesakes = byBirthDate[form.DateOfBirth!].Where(x => sets.Find(x) != own && records[x].NameTokens.Length > 0
                && (records[x].NameTokens[0] == given || records[x].OwnTokens is [var first, ..] && first == given)).Select(sets.Find).Distinct().ToList();
            if (namesakes is not [var joined])
            {
                continue;
            }
            var person = sets.Members(joined).Select(m => records[m]).ToList();
            if (!person.Any(r => r.Connector is "A/P" or "ANAK" && form.NameTokens.Length - r.OwnTokens.Length is 1 or 2
                    && form.NameTokens.AsSpan(0, r.OwnTokens.Length).SequenceEqual(r.OwnTokens))
                || person.Any(r => r.Sex == 'M')
                || form.Postcode is { } postcode && person.Any(r => r.Postcode is not null) && !person.Any(r => r.Postcode == postcode))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, joined);
        }
    }
}
