namespace PaduHub.Matching;

/// <summary>Bare utility accounts read by who lives at their home (docs/matching.md, "A bare account at its home").</summary>
public static partial class Clustering
{
    /// <summary>
    /// A utility account in a name of two words with nothing else to say who it is (no identifier, no birth date), an
    /// English given name and a surname (DANIEL CHIN), joins the one person at its home, by unit and street or by phone,
    /// whose full name has that surname and not that given name (CHIN HAO CHOON). Pair by pair they share only a
    /// surname, as brothers do; but where one person of that surname lives there, the account is his. Everyone at the
    /// home counts, not only the account's candidates: two or more such people leave it alone, and so does one whose
    /// records give another short name (DANIEL HO is not JESSICA HO) or another sex than the account states. A welfare
    /// record in such a name with a birth date and no IC (JESSICA LOH, born 1999-10-22) joins the same way the one person
    /// at its home with that surname and that birth date: the twin guard keeps the pair apart (names apart, same birth
    /// date, same home), and twins registered there are two such people, which leaves it alone. Of two or more such
    /// people, the one whose records alone hold the account's phone is its holder (his pension record's number). An
    /// English given name's sex counts as a stated one (MICHAEL KOH is not KOH XIN SIEW's).
    /// </summary>
    static void JoinAccountsByTheirHome(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes,
        Dictionary<string, List<int>> phones)
    {
        var accounts = records.Where(r => (IsAccount(r) || IsDatedAccountWithPapers(r)) && LoneAccount(records, sets, r)).ToList();
        if (accounts.Count == 0)
        {
            return;
        }
        foreach (var account in accounts)
        {
            // An earlier account of the same cluster may have joined it to its person already.
            if (!LoneAccount(records, sets, account))
            {
                continue;
            }
            var own = sets.Find(account.Index);
            var ownMembers = sets.Members(own);
            var born = account.DateOfBirth ?? ownMembers.Select(m => records[m].DateOfBirth).FirstOrDefault(d => d is not null);
            // A sex the account's records state, else the one its English given name nearly always has (JASON, CHERYL).
            var sex = account.Sex != '\0' ? account.Sex : ownMembers.Select(m => records[m].Sex).FirstOrDefault(s => s != '\0');
            sex = sex != '\0' ? sex : EnglishGivenNames.SexOf(account.NameTokens[0]);
            var accountPhones = ownMembers.Select(m => records[m].Phone).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            // Who lives there: full names of three words or more without a connector, by the home and by the phone.
            var living = homes.Of(account).Where(x => WholeName(records[x]))
                .Concat(accountPhones.SelectMany(p => phones[p].Where(x => WholeName(records[x])).ToList() is { Count: <= MaxSharedPhone } sharing ? sharing : []));
            var found = new List<(int Cluster, MatchRecord Person, string Given)>();
            foreach (var x in living)
            {
                var person = records[x];
                if (!Homes.PostcodesAgree(account, person)
                    || born is not null && person.DateOfBirth != born
                    || SurnameOf(account, person) is not { } given
                    || account.Identifiers.Length > 0 && sets.Members(sets.Find(x)).Any(m => records[m].Identifiers.Any(i => account.Identifiers.Any(j => j.Kind == i.Kind))))
                {
                    continue;
                }
                var cluster = sets.Find(x);
                if (cluster != own && !found.Any(f => f.Cluster == cluster))
                {
                    found.Add((cluster, person, given));
                }
            }
            if (found.Count > 1)
            {
                // Two or more such people at the home: the account belongs to the one whose records alone hold its phone.
                found = [.. found.Where(f => accountPhones.Any(p => OnlyClusterBesides(phones[p], sets, own) == f.Cluster))];
            }
            if (found is not [var (joined, only, onlyGiven)]
                || sets.Members(joined).Any(m => SexesDiffer(records[m].Sex, sex)
                    || records[m].NameTokens.Length == 2 && records[m].Connector is null && !records[m].NameTokens.Contains(onlyGiven, StringComparer.Ordinal)
                        && SurnameOf(records[m], only) is not null))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, joined);
        }

        static bool WholeName(MatchRecord r) => r.Connector is null && r.NameTokens.Length >= 3;

        // The account's given name when its last word is the person's surname (the first or last word of a full name),
        // or the first word in another dialect's spelling (CAI for CHUA YEN KIT; not the last, which is a given syllable
        // as often: ENG of CHEAH HOCK ENG is NG in Hokkien), and its given name is none of the person's words. Read the
        // other way, CATHERINE NUR would take CATHERINE for the surname of Catherine Sim Seng Keng.
        static string? SurnameOf(MatchRecord account, MatchRecord person)
        {
            var (given, surname) = (account.NameTokens[0], account.NameTokens[1]);
            var (first, last) = (person.NameTokens[0], person.NameTokens[^1]);
            return (surname == first || surname == last || NameAlignment.SameClan(surname, first)) && !person.NameTokens.Contains(given, StringComparer.Ordinal)
                ? given : null;
        }
    }

    /// <summary>
    /// A bare account in a married woman's name, her own given name and her husband's (MARY PETER for MARY ANAK BUJANG,
    /// LAKSHMI RAJU for LAKSHMI A/P MUTHU), joins her at their home, by unit and street: the one woman there of that
    /// given name, where a man of the account's second name lives too or her records hold the account's phone. Pair by
    /// pair they share only a given name. A daughter named for that man (MARY ANAK PETER) could own the account as well
    /// and leaves it alone, as do two women of that given name, a woman born on another day than a dated account, or
    /// neither such a man nor her phone.
    /// </summary>
    static void JoinMarriedNamesByTheirHome(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes)
    {
        // A Chinese surname in front (CHEAH WEI) is a man's name or a surname's, not a woman's given name.
        var accounts = records.Where(r => IsAccount(r) && r.Sex != 'M' && r.SurnameClans.Length == 0 && Homes.Has(r)
            && sets.Members(sets.Find(r.Index)).Count == 1).ToList();
        foreach (var account in accounts)
        {
            var (given, husband) = (account.NameTokens[0], account.NameTokens[1]);
            int? wife = null;
            var (ambiguous, husbandThere) = (false, false);
            foreach (var x in homes.Of(account).Where(x => records[x].NameTokens.Length >= 2))
            {
                var person = records[x];
                if (x == account.Index)
                {
                    continue;
                }
                var (first, hasHusband) = (person.NameTokens[0], person.NameTokens.Contains(husband, StringComparer.Ordinal));
                husbandThere |= first == husband && person.Sex == 'M';
                if (first != given || person.Sex == 'M' || IsAccount(person))
                {
                    continue;
                }
                var cluster = sets.Find(x);
                ambiguous |= hasHusband || wife is { } w && w != cluster || account.DateOfBirth is { } born && person.DateOfBirth is { } hers && born != hers;
                wife = cluster;
            }
            // Without him there, her own phone on the account says it is hers.
            if (ambiguous || wife is not { } joined
                || !husbandThere && !(account.Phone is { } phone && sets.Members(joined).Any(m => records[m].Phone == phone)))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, joined);
        }
    }

    /// <summary>
    /// A bare account in a Chinese married woman's name, her husband's surname before her whole name (TSE CHEAH YEE
    /// HONG), joins the one person at its home, by unit and street, whose name is that whole name (CHEAH YEE HONG, or it
    /// after an English given name the account drops), where her records state no man. Pair by pair a name part more and
    /// a home, as a daughter's name with another word would be; a second such person at the home leaves it alone.
    /// </summary>
    static void JoinHusbandsSurnamesByTheirHome(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes)
    {
        foreach (var account in records.Where(r => r.Identifiers.Length == 0 && r.DateOfBirth is null && r.Connector is null && r.NameTokens.Length is >= 3 and <= 5
            && r.Sex != 'M' && NameNormaliser.ClansOf(r.NameTokens[0]).Count > 0 && Homes.Has(r) && sets.Members(sets.Find(r.Index)).Count == 1).ToList())
        {
            var own = sets.Find(account.Index);
            var named = homes.Of(account).Where(x => sets.Find(x) != own && AfterHusbandsSurname(account.NameTokens, records[x].NameTokens))
                .Select(sets.Find).Distinct().ToList();
            if (named is not [var joined] || sets.Members(joined).Any(m => records[m].Sex == 'M'))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, joined);
        }
    }

    /// <summary>
    /// A bare record (no identifier, no birth date) and the one person at its home whose name is the same person's
    /// before or after a conversion that kept the surname (ONG KOK SZE, NUR ROSNAH ONG BINTI ABDULLAH) join. Pair by pair
    /// they share a surname and a home, as a convert's brother would. Anyone else there with that word in the name who
    /// could own the record (a brother ONG KOK WAI; not a son ONG WEI JIE, whose own names share no word with KOK SZE,
    /// nor a daughter when the record's BIN says it is a man's), two such people, or another stated sex leaves the record alone.
    /// </summary>
    static void JoinConvertsByTheirHome(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes)
    {
        var bare = records.Where(r => r.Identifiers.Length == 0 && r.DateOfBirth is null && r.FullName is not null && Homes.Has(r)
            && sets.Members(sets.Find(r.Index)).Count == 1).ToList();
        foreach (var account in bare)
        {
            var living = homes.Of(account).Where(x => x != account.Index && records[x].FullName is not null).ToList();
            var (found, kept) = ((int?)null, (MatchRecord?)null);
            var ambiguous = false;
            foreach (var x in living)
            {
                var person = records[x];
                var convert = Comparisons.Converted(account, person) && Comparisons.KeepsAWordOf(account, person) ? account
                    : Comparisons.Converted(person, account) && Comparisons.KeepsAWordOf(person, account) ? person : null;
                if (convert is null || SexesDiffer(account.Sex, person.Sex))
                {
                    continue;
                }
                var cluster = sets.Find(x);
                ambiguous |= found is { } f && f != cluster;
                (found, kept) = (cluster, convert);
            }
            if (ambiguous || found is not { } joined)
            {
                continue;
            }
            // The surname the convert kept: anyone else at the home who carries it could be the record's owner as well,
            // unless the account is in the old name and their own names tell them apart (a name in the new one says
            // nothing of which of them converted).
            if (living.Any(x => sets.Find(x) != joined && records[x] != kept && Comparisons.KeepsAWordOf(kept!, records[x])
                && !(kept != account && SurnameCarriersApart(account, records[x], kept!))
                && !sets.Members(sets.Find(x)).Any(m => SexesDiffer(records[m].Sex, account.Sex))))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, account, joined);
        }
    }

    /// <summary>
    /// A record with a birth date and no identifier (a welfare form without the IC) whose whole name is one slip from the
    /// name of the one person at its home born that day (HR LIANG LING for HO LIANG LING, YEO KAI OING for YEO KAI MING)
    /// joins that person, where the person's records hold an identifier (registered twins are two people with one). Pair
    /// by pair a first letter changed in a short word is another name, as twins' rhyming names are (MING, LING); but
    /// twins are two people born that day at the home, which leaves it alone, as does another stated sex.
    /// </summary>
    static void JoinSlipsByTheirHome(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, Homes homes)
    {
        foreach (var form in records.Where(r => r.Identifiers.Length == 0 && r.DateOfBirth is not null && r.FullName is not null && Homes.Has(r)
            && sets.Members(sets.Find(r.Index)).Count == 1).ToList())
        {
            var bornThatDay = homes.Of(form).Where(x => x != form.Index && records[x].DateOfBirth == form.DateOfBirth).Select(sets.Find).Distinct().ToList();
            if (bornThatDay is not [var joined])
            {
                continue;
            }
            var person = sets.Members(joined).Select(i => records[i]).ToList();
            if (!person.Any(r => r.Identifiers.Length > 0)
                || !person.Any(r => r.FullName is { } name && (Similarity.WithinOneEdit(name, form.FullName!) || Similarity.IsTransposition(name, form.FullName!)))
                || person.Any(r => SexesDiffer(r.Sex, form.Sex)))
            {
                continue;
            }
            JoinUnlessKeptApart(records, settings, sets, apart, form, joined);
        }
    }

    /// <summary>
    /// Two carriers of a family's surname whose other words differ wholly, each with at least two of them: CHUA YONG KAH
    /// is not CHUA JUN PEI, his son. Sharing a word (the generation name of ONG KOK SZE and ONG KOK WAI) or having
    /// fewer (JASON CHUA, CHUA Y K) leaves it open.
    /// </summary>
    static bool SurnameCarriersApart(MatchRecord a, MatchRecord b, MatchRecord convert)
    {
        var ownA = OtherWords(a);
        var ownB = OtherWords(b);
        return ownA.Length >= 2 && ownB.Length >= 2 && !ownA.Any(w => ownB.Any(v => v == w || NameAlignment.Alike(v, w)));

        string[] OtherWords(MatchRecord r) =>
            [.. r.NameTokens.Where(w => w.Length > 1 && !convert.NameTokens.Any(c => c == w || NameAlignment.Alike(c, w)))];
    }

    /// <summary>
    /// Who lives at the homes of the records no identifier says who they are (the bare accounts the joins above read):
    /// named records, by unit and street and by unit and postcode, so that a street written with a short form the
    /// normaliser does not know (PSRI for PANGSAPURI) is still one home; a home's records are the ones whose unit and
    /// street agree (<see cref="StreetComparison.SameWordsAbbreviated"/>) and whose postcodes do not contradict. Only
    /// those homes are kept: a million records hold a few thousand such accounts.
    /// </summary>
    sealed class Homes
    {
        readonly IReadOnlyList<MatchRecord> _records;
        readonly Dictionary<(string Unit, string Street), List<int>> _byStreet = [];
        readonly Dictionary<(string Unit, string Postcode), List<int>> _byPostcode = [];

        public Homes(IReadOnlyList<MatchRecord> records, Sets sets)
        {
            _records = records;
            foreach (var r in records.Where(r => (r.Identifiers.Length == 0 && r.NameTokens.Length > 0 || IsDatedAccountWithPapers(r)) && Has(r)
                && LoneAccount(records, sets, r)))
            {
                _byStreet.TryAdd((r.Unit!, r.Street!), []);
                if (r.Postcode is { } postcode)
                {
                    _byPostcode.TryAdd((r.Unit!, postcode), []);
                }
            }
            if (_byStreet.Count == 0)
            {
                return;
            }
            foreach (var r in records)
            {
                if (r.NameTokens.Length > 0)
                {
                    Add(r);
                }
            }
        }

        public static bool Has(MatchRecord r) => r.Unit is not null && r.Street is not null;

        void Add(MatchRecord r)
        {
            if (!Has(r))
            {
                return;
            }
            if (_byStreet.TryGetValue((r.Unit!, r.Street!), out var atStreet))
            {
                atStreet.Add(r.Index);
            }
            if (r.Postcode is { } postcode && _byPostcode.TryGetValue((r.Unit!, postcode), out var atPostcode))
            {
                atPostcode.Add(r.Index);
            }
        }

        /// <summary>The records added that live at an asker's home, each once.</summary>
        public IEnumerable<int> Of(MatchRecord r)
        {
            if (!Has(r))
            {
                return [];
            }
            var atStreet = _byStreet.TryGetValue((r.Unit!, r.Street!), out var s) ? s : [];
            var atPostcode = r.Postcode is { } postcode && _byPostcode.TryGetValue((r.Unit!, postcode), out var p) ? p : [];
            return atStreet.Concat(atPostcode).Distinct()
                .Where(x => (_records[x].Street == r.Street || StreetComparison.SameWordsAbbreviated(_records[x].Street!, r.Street!))
                    && PostcodesAgree(_records[x], r));
        }

        /// <summary>Postcodes that do not contradict: the same, or one of them not given.</summary>
        public static bool PostcodesAgree(MatchRecord a, MatchRecord b) => a.Postcode is null || b.Postcode is null || a.Postcode == b.Postcode;
    }

    /// <summary>
    /// An account joins the cluster found for it unless the run keeps them apart: a link of sources where the cluster is
    /// the account's own source alone, one record per source, or a steward's split.
    /// </summary>
    static void JoinUnlessKeptApart(IReadOnlyList<MatchRecord> records, MatchSettings settings, Sets sets, HashSet<long> apart, MatchRecord account, int joined)
    {
        var members = sets.Members(joined);
        if (settings.AcrossSourcesOnly && members.All(m => records[m].Source == account.Source)
            || settings.OneToOne && SharesSource(records, [account.Index], members)
            || apart.Count > 0 && members.Any(m => apart.Contains(Key(account.Index, m)))
            || BareRecordsAndAChild(records, [account.Index], members))
        {
            return;
        }
        sets.Union(sets.Find(account.Index), joined);
    }

    /// <summary>A phone more people share than this is an office's or a landlord's, not a home's.</summary>
    const int MaxSharedPhone = 10;

    /// <summary>
    /// Whether a record's cluster is the record alone, or bare accounts and forms of its own two-word name that say
    /// nothing against each other (an electricity account and a welfare form of DANIEL TEO with one phone): found
    /// together, they are still one account to be read by its home.
    /// </summary>
    static bool LoneAccount(IReadOnlyList<MatchRecord> records, Sets sets, MatchRecord r)
    {
        var members = sets.Members(sets.Find(r.Index));
        if (members.Count == 1)
        {
            return true;
        }
        var (born, sex) = ((string?)null, '\0');
        foreach (var m in members)
        {
            var member = records[m];
            if (!IsAccount(member) || !member.NameTokens.AsSpan().SequenceEqual(r.NameTokens)
                || born is not null && member.DateOfBirth is not null && member.DateOfBirth != born
                || SexesDiffer(member.Sex, sex))
            {
                return false;
            }
            born ??= member.DateOfBirth;
            sex = sex != '\0' ? sex : member.Sex;
        }
        return true;
    }

    /// <summary>A record with a name of two words and no identifier: a bare account, or one with a birth date besides.</summary>
    static bool IsAccount(MatchRecord r) =>
        r.Identifiers.Length == 0 && r.FullName is not null && r.Connector is null && r.NameTokens.Length == 2;

    /// <summary>
    /// A record with a name of two words, a birth date and identifiers: a welfare record with a newborn's MyKad where the
    /// registry holds her birth certificate (IRENE TAN for TAN YAN LIANG) is an account too, for a person whose records
    /// hold no identifier of the same kind, so that nothing the two carry could disagree.
    /// </summary>
    static bool IsDatedAccountWithPapers(MatchRecord r) =>
        r.Identifiers.Length > 0 && r.DateOfBirth is not null && r.FullName is not null && r.Connector is null && r.NameTokens.Length == 2;
}
