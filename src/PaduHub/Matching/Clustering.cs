namespace PaduHub.Matching;

/// <summary>
/// Turns scored pairs into clusters without chaining. Pairs are taken strongest first; two clusters join only if
/// (1) a steward has not said any of their records are different people, (2) they do not hold two different verified
/// MyKads, and (3) their records agree as groups, not just through one link: the mean weight over every record pair
/// across them must reach the review threshold and none may fall below <see cref="MatchSettings.CrossFloorWeight"/>
/// (so A-B strong and B-C strong does not pull in a C that plainly is not A). Steward must-links join first and always.
/// </summary>
public static partial class Clustering
{
    public sealed record Result(int[] ClusterOf, List<ReviewItem> Review);

    public static Result Cluster(IReadOnlyList<MatchRecord> records, IReadOnlyList<ScoredPair> pairs, MatchModel model, MatchSettings settings,
        IReadOnlyList<(int A, int B)>? mustLink = null, IReadOnlyList<(int A, int B)>? cannotLink = null)
    {
        var sets = new Sets(records.Count);
        var apart = new HashSet<long>();
        foreach (var (a, b) in cannotLink ?? [])
        {
            apart.Add(Key(a, b));
        }
        foreach (var (a, b) in mustLink ?? [])
        {
            var (ra, rb) = (sets.Find(a), sets.Find(b));
            if (ra != rb)
            {
                sets.Union(ra, rb);
            }
        }

        var linkWeight = Weight(settings.LinkProbability);
        var reviewWeight = Weight(settings.ReviewProbability);
        var review = new List<ReviewItem>();
        var ordered = pairs.Where(p => p.Weight >= reviewWeight).OrderByDescending(p => p.Weight).ThenBy(p => p.A).ThenBy(p => p.B).ToList();
        var idlessPairs = IdlessPairs(records, ordered, reviewWeight);
        foreach (var pair in ordered)
        {
            var (ra, rb) = (sets.Find(pair.A), sets.Find(pair.B));
            if (ra == rb)
            {
                continue;
            }
            if (settings.OneToOne && SharesSource(records, sets.Members(ra), sets.Members(rb)))
            {
                continue; // one of them is matched across already, by a stronger pair
            }
            if (pair.Weight < linkWeight)
            {
                review.Add(new ReviewItem(pair, ReviewReason.Doubtful));
                continue;
            }
            var a = sets.Members(ra);
            var b = sets.Members(rb);
            if (apart.Count > 0 && a.Any(x => b.Any(y => apart.Contains(Key(x, y)))))
            {
                review.Add(new ReviewItem(pair, ReviewReason.CannotLink));
                continue;
            }
            if (BareRecordsAndAChild(records, a, b) || NamelessBetweenTwins(records, a, b, sets, idlessPairs) || IdlessBetweenTwo(records, a, b, sets, idlessPairs))
            {
                review.Add(new ReviewItem(pair, ReviewReason.Doubtful));
                continue;
            }
            if (DifferentVerifiedMyKad(records, a, b))
            {
                review.Add(new ReviewItem(pair, ReviewReason.DifferentVerifiedMyKad));
                continue;
            }
            if (a.Count * b.Count > 1 && !AgreeAsGroups(records, a, b, model, reviewWeight, settings.CrossFloorWeight))
            {
                review.Add(new ReviewItem(pair, ReviewReason.WouldChain));
                continue;
            }
            sets.Union(ra, rb);
        }

        JoinAsGoldenRecords(records, pairs, model, settings, sets, apart, linkWeight, idlessPairs);
        var homes = new Homes(records, sets);
        // Every record by its phone, once: the joins below ask which clusters hold a phone as clusters grow.
        var phones = RecordsBy(records, r => r.Phone);
        JoinAccountsByTheirHome(records, settings, sets, apart, homes, phones);
        JoinMarriedNamesByTheirHome(records, settings, sets, apart, homes);
        JoinMarriedNamesByTheirPhone(records, settings, sets, apart, phones);
        JoinHusbandsSurnamesByTheirHome(records, settings, sets, apart, homes);
        var bornOn = RecordsBy(records, r => r.DateOfBirth);
        JoinMarriedNamesByTheirBirthDate(records, settings, sets, apart, bornOn);
        JoinHusbandsSurnamesByTheirBirthDate(records, settings, sets, apart, bornOn);
        JoinConvertsByTheirBirthDate(records, settings, sets, apart, bornOn);
        JoinConvertsByTheirHome(records, settings, sets, apart, homes);
        JoinConvertsByTheirPhone(records, settings, sets, apart, homes, phones);
        JoinSlipsByTheirHome(records, settings, sets, apart, homes);
        JoinSlipsByTheirPhone(records, settings, sets, apart, phones);
        JoinWholeNamesByAHouseholdsPhone(records, settings, sets, apart, phones);

        var clusterOf = new int[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            clusterOf[i] = sets.Find(i);
        }
        // A doubtful pair whose records ended up together anyway needs nobody's attention.
        review.RemoveAll(r => r.Reason is ReviewReason.Doubtful or ReviewReason.WouldChain && clusterOf[r.Pair.A] == clusterOf[r.Pair.B]);
        return new Result(clusterOf, review);
    }

    /// <summary>
    /// A second look at candidate pairs left apart, cluster against cluster: two clusters join when, read as two golden
    /// records (<see cref="MatchModel.GroupWeight"/>), they agree strongly enough to link. One agency's record holds the
    /// address another's utility account gives, a third the phone: pair by pair none of them links, together they do.
    /// The same guards hold as for a pair, and no record pair across the two may fall below the anti-chaining floor.
    /// </summary>
    static void JoinAsGoldenRecords(IReadOnlyList<MatchRecord> records, IReadOnlyList<ScoredPair> pairs, MatchModel model, MatchSettings settings,
        Sets sets, HashSet<long> apart, double linkWeight, Dictionary<int, List<(int Other, double Weight)>> idlessPairs)
    {
        var seen = new HashSet<long>();
        var meetings = new List<(int A, int B, int Size, List<int> MembersA, List<int> MembersB)>();
        foreach (var pair in pairs)
        {
            if (pair.Weight < settings.CrossFloorWeight)
            {
                continue;
            }
            var (ra, rb) = (sets.Find(pair.A), sets.Find(pair.B));
            var size = sets.Members(ra).Count + sets.Members(rb).Count;
            if (ra == rb || size < 3 || !seen.Add(Key(ra, rb)))
            {
                continue; // two single records are their pair, scored already
            }
            meetings.Add((Math.Min(ra, rb), Math.Max(ra, rb), size, sets.Members(ra), sets.Members(rb)));
        }
        // Each meeting is weighed alone (the clusters do not change until the proposals are taken): on every core.
        var weights = new double[meetings.Count];
        Parallel.For(0, meetings.Count, k => weights[k] = model.GroupWeight(records, meetings[k].MembersA, meetings[k].MembersB));
        var proposals = meetings.Select((m, k) => (Weight: weights[k], m.A, m.B, m.Size)).Where(p => p.Weight >= linkWeight).ToList();
        foreach (var proposal in proposals.OrderByDescending(p => p.Weight).ThenBy(p => p.A).ThenBy(p => p.B))
        {
            var (ra, rb) = (sets.Find(proposal.A), sets.Find(proposal.B));
            if (ra == rb)
            {
                continue;
            }
            var (a, b) = (sets.Members(ra), sets.Members(rb));
            if (a.Count + b.Count != proposal.Size && model.GroupWeight(records, a, b) < linkWeight)
            {
                continue; // one of them has grown since, and the two no longer agree as wholes
            }
            if (settings.OneToOne && SharesSource(records, a, b)
                || apart.Count > 0 && a.Any(x => b.Any(y => apart.Contains(Key(x, y))))
                || BareRecordsAndAChild(records, a, b)
                || NamelessBetweenTwins(records, a, b, sets, idlessPairs)
                || IdlessBetweenTwo(records, a, b, sets, idlessPairs)
                || DifferentVerifiedMyKad(records, a, b)
                || !AgreeAsGroups(records, a, b, model, double.NegativeInfinity, settings.CrossFloorWeight))
            {
                continue;
            }
            sets.Union(ra, rb);
        }
    }

    /// <summary>
    /// Records with nothing to say who they are (no identifier, no birth date) on one side, a child on the other and no
    /// adult: such records are utility accounts and forms, held by adults, and a parent of the child's name at the same
    /// home (JOHN ANAK JOHN) is likelier than the child. A steward decides; the join waits for review.
    /// </summary>
    static bool BareRecordsAndAChild(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b)
    {
        return Bare(a) && Child(b) || Bare(b) && Child(a);

        bool Bare(List<int> side) => side.All(i => records[i].Identifiers.Length == 0 && records[i].DateOfBirth is null);
        bool Child(List<int> side) => side.Any(i => records[i].Minor) && !side.Any(i => records[i].DateOfBirth is not null && !records[i].Minor);
    }

    /// <summary>Whether two clusters hold records of one source: joined, a file would match itself.</summary>
    static bool SharesSource(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (records[x].Source == records[y].Source)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Union-find over record indexes, each root holding its members; a cluster's root is its lowest index.</summary>
    sealed class Sets(int count)
    {
        readonly int[] _parent = [.. Enumerable.Range(0, count)];
        readonly Dictionary<int, List<int>> _members = [];

        public List<int> Members(int root) => _members.TryGetValue(root, out var m) ? m : _members[root] = [root];

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }
            return x;
        }

        public void Union(int ra, int rb)
        {
            var a = Members(ra);
            var b = Members(rb);
            // The smaller list joins the larger; the root is the lower index so a cluster's id does not depend on order.
            var (big, small) = a.Count >= b.Count ? (a, b) : (b, a);
            big.AddRange(small);
            var root = Math.Min(ra, rb);
            var other = root == ra ? rb : ra;
            _parent[other] = root;
            _members[root] = big;
            _members.Remove(other);
        }
    }

    /// <summary>The weight at which a pair's match probability is p.</summary>
    public static double Weight(double probability) => Math.Log2(probability / (1 - probability));

    static bool DifferentVerifiedMyKad(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b)
    {
        foreach (var x in a)
        {
            if (records[x].VerifiedMyKad is not { } ka)
            {
                continue;
            }
            foreach (var y in b)
            {
                if (records[y].VerifiedMyKad is { } kb && kb != ka)
                {
                    return true;
                }
            }
        }
        return false;
    }

    static bool AgreeAsGroups(IReadOnlyList<MatchRecord> records, List<int> a, List<int> b, MatchModel model, double meanFloor, double pairFloor)
    {
        double sum = 0;
        var n = 0;
        // Big clusters are compared on a fixed sample of their records: cost stays bounded, the guard still bites.
        foreach (var x in a.Take(40))
        {
            foreach (var y in b.Take(40))
            {
                var w = model.Weight(records[x], records[y]);
                if (w < pairFloor)
                {
                    if (TypoAgainstRegistered(records, x, y, a, b) || TypoAgainstRegistered(records, y, x, b, a)
                        || TwoTyposOfOneNumber(records, x, y, a, b, model, pairFloor) || NamesBridged(records, x, y, a, b, model, pairFloor))
                    {
                        continue;
                    }
                    return false;
                }
                sum += w;
                n++;
            }
        }
        return n > 0 && sum / n >= meanFloor;
    }

    /// <summary>
    /// Whether a record's clash with one across is its own unregistered number against the registered MyKad its own
    /// cluster already holds: a clerk's typo, joined to the person by its name, meeting the person's record under a
    /// changed name (a conversion, a marriage). Or the record across holds that MyKad under the changed name beside
    /// another that holds it under the name the typo record pairs with. The clash says nothing against the person, so
    /// it neither refuses the join nor counts in the mean.
    /// </summary>
    static bool TypoAgainstRegistered(IReadOnlyList<MatchRecord> records, int unverified, int across, List<int> ownCluster, List<int> acrossCluster) =>
        records[unverified].VerifiedMyKad is null && records[across].VerifiedMyKad is { } registered
        && (ownCluster.Any(i => records[i].VerifiedMyKad == registered)
            || acrossCluster.Any(i => i != across && records[i].VerifiedMyKad == registered && Comparisons.NationalId.Level(records[unverified], records[i]) >= 1));

    /// <summary>
    /// Whether two records clash only because each carries its own typo of one number: their names pair, their
    /// identifiers differ by two edits, a third record of the two clusters holds a number each is a typo of (or equals),
    /// and without the identifier the pair stays above the floor. The names must pair and the stated sexes must not
    /// differ: a typo record carrying a twin's number bridges the twin and the person too, and only their names and
    /// sexes tell them apart.
    /// </summary>
    static bool TwoTyposOfOneNumber(IReadOnlyList<MatchRecord> records, int x, int y, List<int> a, List<int> b, MatchModel model, double pairFloor)
    {
        var (rx, ry) = (records[x], records[y]);
        if (rx.Identifiers.Length == 0 || ry.Identifiers.Length == 0 || Comparisons.NationalId.Level(rx, ry) != 0 || !NamesPair(rx, ry)
            || rx.SexStated && ry.SexStated && rx.Sex != ry.Sex)
        {
            return false;
        }
        var bridged = false;
        foreach (var z in a.Take(40).Concat(b.Take(40)))
        {
            if (z != x && z != y && Comparisons.NationalId.Level(records[z], rx) >= 1 && Comparisons.NationalId.Level(records[z], ry) >= 1)
            {
                bridged = true;
                break;
            }
        }
        return bridged && model.WeightWithout(rx, ry, Comparisons.NationalId) >= pairFloor;
    }

    /// <summary>
    /// Whether two records clash only over their names while a third record of the two clusters bridges them. Either it
    /// writes the name whole: MICHELLE TAN on a utility account and TAN CHEE CHOON in the registry are one woman when her
    /// pension record says MICHELLE TAN CHEE CHOON (it must hold every word of each and be longer than either: a cut
    /// name such as TAN CHEE holds two siblings). Or it is one of them by its name and the other by its identifier:
    /// STEVEN CHAN on an electricity account, STEVEN CHAN with CHAN AH KAH's MyKad in the pension fund, CHAN AH KAH in
    /// the registry. The stated sexes must not differ, and without the names the pair stays above the floor (a birth
    /// date or a MyKad that differs still keeps two people apart).
    /// </summary>
    static bool NamesBridged(IReadOnlyList<MatchRecord> records, int x, int y, List<int> a, List<int> b, MatchModel model, double pairFloor)
    {
        var (rx, ry) = (records[x], records[y]);
        if (rx.FullName is null || ry.FullName is null || rx.SexStated && ry.SexStated && rx.Sex != ry.Sex)
        {
            return false;
        }
        var longer = Math.Max(rx.NameTokens.Length, ry.NameTokens.Length);
        var bridges = a.Take(40).Concat(b.Take(40)).Where(z => z != x && z != y).Select(z => records[z]).ToList();
        if (bridges.Any(bridge => bridge.NameTokens.Length > longer && Holds(bridge, rx) && Holds(bridge, ry)))
        {
            // Both names are one person's: a number one digit from the other's is then a typo, not a twin's.
            return model.WeightWithoutNames(rx, ry) >= pairFloor;
        }
        // Where one name is kept in the other (a married or English name) or one is a convert's new name, a number one
        // digit off is a typo as well; two siblings' names (a twin's record carrying the other's number) leave the
        // numbers as the names made them.
        // The convert's new name may also stand beside the old one only as the bridge writes it: MURUGAN on a welfare
        // record with a typo of his MyKad, MUHAMMAD ARIF BIN ABDULLAH on an account with the MyKad itself, and the
        // registry's MURUGAN A/L KARTHIK holding both.
        if (bridges.Any(bridge => Bridges(bridge, rx, ry) || Bridges(bridge, ry, rx)))
        {
            var renamed = OneNameKept(rx, ry) || Comparisons.Converted(rx, ry) || Comparisons.Converted(ry, rx)
                || bridges.Any(bridge => Bridges(bridge, rx, ry) && Comparisons.Converted(ry, bridge) || Bridges(bridge, ry, rx) && Comparisons.Converted(rx, bridge));
            return (renamed ? model.WeightWithoutNames(rx, ry) : model.WeightWithout(rx, ry, Comparisons.FullName)) >= pairFloor;
        }
        // An own name kept whole in a name without a patronym is bridged too by a record of the other's golden record
        // written in that name and born the day the other was: RITA SAMBANG's account beside her tax record as RITA
        // SAMBANG, whose golden record holds her pension record as RITA ANAK AWANG under the old IC her registration
        // holds. Without a patronym: SUBRAMANIAM inside his wife's SARASWATHY A/P SUBRAMANIAM is her father's name.
        return (KeptWithoutPatronym(rx, ry) || KeptWithoutPatronym(ry, rx))
            && (b.Take(40).Any(z => z != y && NamesPair(records[z], rx) && SameBirthday(records[z], ry))
                || a.Take(40).Any(z => z != x && NamesPair(records[z], ry) && SameBirthday(records[z], rx)))
            && model.WeightWithoutNames(rx, ry) >= pairFloor;

        static bool Holds(MatchRecord whole, MatchRecord part) => NameAlignment.Align(part.NameTokens, whole.NameTokens).Paired == part.NameTokens.Length;
        static bool SameIdentifier(MatchRecord p, MatchRecord q) => Comparisons.NationalId.Level(p, q) == Comparisons.NationalId.Exact;
        // One of the two by its name, the other by its identifier.
        static bool Bridges(MatchRecord bridge, MatchRecord named, MatchRecord numbered) => NamesPair(bridge, named) && SameIdentifier(bridge, numbered);
        static bool SameBirthday(MatchRecord p, MatchRecord q) => p.DateOfBirth is { } born && born == q.DateOfBirth;
        static bool KeptWithoutPatronym(MatchRecord holder, MatchRecord own) => holder.Connector is null && OwnNameInside(holder, own);
    }

    /// <summary>Names that agree at least as a name part more or less, whole or given name and surname alike.</summary>
    static bool NamesPair(MatchRecord a, MatchRecord b) =>
        a.FullName is not null && b.FullName is not null ? Comparisons.FullName.Level(a, b) >= 3
            : Comparisons.GivenName.Level(a, b) >= 2 && Comparisons.Surname.Level(a, b) >= 2;

    /// <summary>
    /// Whether two names can be one person's as a name changes, not two siblings': one's own name is whole inside the
    /// other (ROSE of ROSE ANAK SAMBANG in ROSE GINDOL, LOH KAH MEI in NICHOLAS LOH KAH MEI), or one is the other's English
    /// given name and surname. Twins' own names differ (AHMAD FAIZ, AHMAD FARID).
    /// </summary>
    static bool OneNameKept(MatchRecord a, MatchRecord b)
    {
        if (a.OwnName is null || b.OwnName is null)
        {
            return false;
        }
        return OwnNameInside(b, a) || OwnNameInside(a, b) || Comparisons.EnglishNameOf(a, b);
    }

    /// <summary>Whether every word of one record's own name is a word of the other's whole name.</summary>
    static bool OwnNameInside(MatchRecord holder, MatchRecord own) =>
        own.OwnName is { } name && name.Split(' ').All(w => holder.NameTokens.Contains(w, StringComparer.Ordinal));

    static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
}
