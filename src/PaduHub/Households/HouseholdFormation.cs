namespace PaduHub.Households;

/// <summary>What household formation knows about one living golden person.</summary>
public sealed class HouseholdPerson
{
    public long GoldenId { get; init; }
    public string? MyKad { get; init; }
    /// <summary>The registration department holds this MyKad for this person (a fragment split off may carry it too, unverified).</summary>
    public bool MyKadVerified { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public bool Deceased { get; init; }
    /// <summary>The golden address and postcode, normalised: people at the same one live in the same quarters.</summary>
    public string? AddressKey { get; init; }
    /// <summary>Welfare household references (JKM) and the relationship to that household's head.</summary>
    public List<(string Reference, string? Relationship)> Welfare { get; } = [];
    /// <summary>MyKads the registration department links this person to.</summary>
    public string? SpouseMyKad { get; set; }
    public string? FatherMyKad { get; set; }
    public string? MotherMyKad { get; set; }
    public decimal MonthlyIncome { get; set; }

    public int? AgeOn(DateOnly day) => DateOfBirth is { } dob ? day.Year - dob.Year - (day < dob.AddYears(day.Year - dob.Year) ? 1 : 0) : null;
}

/// <summary>One household as formed: its members with roles, its head, and the evidence that holds it together.</summary>
public sealed record FormedHousehold(long HeadId, IReadOnlyList<(long GoldenId, string Role)> Members, IReadOnlyList<string> Evidence);

/// <summary>Something formation would not decide by itself: it keeps the people apart and asks a steward.</summary>
public sealed record HouseholdConflictFound(string Kind, string SubjectKey, long[] GoldenIds, string Detail);

/// <summary>
/// Groups living golden persons into households. Evidence, strongest first: the welfare department's household
/// reference (authoritative for household membership); the registration department's spouse and parent links
/// (JPN records a parent's MyKad only when they live together); then a shared address, for people no family link
/// or welfare record places. Two welfare households are never joined by weaker evidence: the link is refused and
/// a steward is asked. A spouse link the other side does not return is refused the same way.
/// </summary>
public static class HouseholdFormation
{
    public static (List<FormedHousehold> Households, List<HouseholdConflictFound> Conflicts) Form(IReadOnlyList<HouseholdPerson> people, DateOnly today)
    {
        var living = people.Where(p => !p.Deceased).ToList();
        var index = new Dictionary<long, int>(living.Count);
        for (var i = 0; i < living.Count; i++)
        {
            index[living[i].GoldenId] = i;
        }
        // Family links name MyKads; the person the registration department holds it for answers to it.
        var byMyKad = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < living.Count; i++)
        {
            if (living[i].MyKad is { Length: > 0 } mykad && (!byMyKad.TryGetValue(mykad, out var other) || (living[i].MyKadVerified && !living[other].MyKadVerified)))
            {
                byMyKad[mykad] = i;
            }
        }
        var sets = new Components(living.Count);
        var conflicts = new List<HouseholdConflictFound>();
        var evidence = new Dictionary<int, List<string>>();
        void Note(int i, string why) => (evidence.TryGetValue(i, out var list) ? list : evidence[i] = []).Add(why);

        // 1. Welfare households: one component per reference, and the reference it carries.
        var welfareOf = new string?[living.Count];
        foreach (var group in living.Select((p, i) => (p, i)).SelectMany(x => x.p.Welfare.Select(w => (w.Reference, x.i))).GroupBy(x => x.Reference))
        {
            var first = -1;
            foreach (var (reference, i) in group)
            {
                if (welfareOf[i] is { } other && other != reference)
                {
                    conflicts.Add(new("member_elsewhere", $"welfare:{living[i].GoldenId}", [living[i].GoldenId],
                        $"listed in welfare households {other} and {reference}; kept in {other}"));
                    continue;
                }
                welfareOf[i] = reference;
                sets.Carry(i, reference);
                if (first < 0)
                {
                    first = i;
                    Note(i, $"welfare household {reference}");
                }
                else
                {
                    sets.Union(first, i);
                }
            }
        }

        // 2. Registration department family links.
        bool Link(int a, int b, string why)
        {
            var (ra, rb) = (sets.Find(a), sets.Find(b));
            if (ra == rb)
            {
                return true;
            }
            if (sets.WelfareOf(ra) is { } wa && sets.WelfareOf(rb) is { } wb && wa != wb)
            {
                var ids = new[] { living[a].GoldenId, living[b].GoldenId }.Order().ToArray();
                conflicts.Add(new("member_elsewhere", $"link:{ids[0]}:{ids[1]}", ids,
                    $"{why} joins welfare households {wa} and {wb}; kept apart"));
                return false;
            }
            sets.Union(a, b);
            Note(a, why);
            return true;
        }
        for (var i = 0; i < living.Count; i++)
        {
            var p = living[i];
            if (p.SpouseMyKad is { Length: > 0 } spouse && byMyKad.TryGetValue(spouse, out var s) && s != i)
            {
                // The other side names someone else: AB against BC is a conflict STR also refuses.
                var back = living[s].SpouseMyKad;
                if (back is { Length: > 0 } && back != p.MyKad)
                {
                    var ids = new[] { p.GoldenId, living[s].GoldenId }.Order().ToArray();
                    conflicts.Add(new("spouse_mismatch", $"spouse:{ids[0]}:{ids[1]}", ids,
                        "one names the other as spouse, the other names a different spouse; kept apart"));
                }
                else
                {
                    Link(i, s, "registered spouses");
                }
            }
            foreach (var parent in new[] { p.FatherMyKad, p.MotherMyKad })
            {
                if (parent is { Length: > 0 } && byMyKad.TryGetValue(parent, out var q) && q != i)
                {
                    Link(i, q, "registered parent and child");
                }
            }
        }

        // 3. Shared quarters, for people nothing else places: a welfare household or family at the same address takes
        //    them in, and so do others alone there.
        var placed = new bool[living.Count];
        for (var i = 0; i < living.Count; i++)
        {
            placed[i] = sets.Size(i) > 1 || welfareOf[i] is not null;
        }
        var atAddress = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(0, living.Count).OrderBy(i => placed[i] ? 0 : 1))
        {
            if (living[i].AddressKey is not { Length: > 0 } key)
            {
                continue;
            }
            if (!atAddress.TryGetValue(key, out var there))
            {
                atAddress[key] = i;
            }
            else if (!placed[i])
            {
                Link(i, there, "same address");
            }
        }

        var households = new List<FormedHousehold>();
        foreach (var component in Enumerable.Range(0, living.Count).GroupBy(sets.Find))
        {
            var members = component.ToList();
            var head = Head(living, members, today);
            var roles = members.Select(m => (living[m].GoldenId, Role(living, m, head, byMyKad, index))).OrderBy(r => r.Item2 == "head" ? 0 : 1)
                .ThenBy(r => r.GoldenId).ToList();
            var why = members.SelectMany(m => evidence.GetValueOrDefault(m) ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
            households.Add(new FormedHousehold(living[head].GoldenId, roles, why.Count == 0 ? ["lives alone"] : why));
        }
        // A link is looked at from both sides; its conflict is one.
        return (households, conflicts.DistinctBy(c => (c.Kind, c.SubjectKey)).ToList());
    }

    /// <summary>
    /// The head: the welfare department's KETUA when it names one; otherwise the adult with the highest income (the
    /// household's main provider), the older one on a tie.
    /// </summary>
    static int Head(List<HouseholdPerson> living, List<int> members, DateOnly today)
    {
        foreach (var m in members)
        {
            if (living[m].Welfare.Any(w => w.Relationship == "HEAD"))
            {
                return m;
            }
        }
        return members
            .OrderByDescending(m => (living[m].AgeOn(today) ?? 0) >= 18)
            .ThenByDescending(m => living[m].MonthlyIncome)
            .ThenBy(m => living[m].DateOfBirth ?? DateOnly.MaxValue)
            .ThenBy(m => living[m].GoldenId)
            .First();
    }

    static string Role(List<HouseholdPerson> living, int member, int head, Dictionary<string, int> byMyKad, Dictionary<long, int> index)
    {
        if (member == head)
        {
            return "head";
        }
        var p = living[member];
        var h = living[head];
        // The welfare department's word, when it is the head's welfare household.
        var headReferences = h.Welfare.Select(w => w.Reference).ToHashSet(StringComparer.Ordinal);
        foreach (var (reference, relationship) in p.Welfare)
        {
            if (headReferences.Contains(reference) && h.Welfare.Any(w => w.Reference == reference && w.Relationship == "HEAD"))
            {
                switch (relationship)
                {
                    case "SPOUSE": return "spouse";
                    case "CHILD": return "child";
                    case "PARENT": return "parent";
                    case "GRANDCHILD": return "grandchild";
                    case "OTHER": return "other";
                }
            }
        }
        if (h.MyKad is { Length: > 0 } headMyKad)
        {
            if (p.SpouseMyKad == headMyKad || h.SpouseMyKad == p.MyKad && p.MyKad is not null)
            {
                return "spouse";
            }
            if (p.FatherMyKad == headMyKad || p.MotherMyKad == headMyKad)
            {
                return "child";
            }
            // The head's spouse's child is the head's child in the household's eyes.
            if (h.SpouseMyKad is { Length: > 0 } spouseMyKad && (p.FatherMyKad == spouseMyKad || p.MotherMyKad == spouseMyKad))
            {
                return "child";
            }
        }
        if (p.MyKad is { Length: > 0 } own && (h.FatherMyKad == own || h.MotherMyKad == own))
        {
            return "parent";
        }
        foreach (var parent in new[] { p.FatherMyKad, p.MotherMyKad })
        {
            if (parent is { Length: > 0 } && byMyKad.TryGetValue(parent, out var q) && (living[q].FatherMyKad == h.MyKad || living[q].MotherMyKad == h.MyKad)
                && h.MyKad is not null)
            {
                return "grandchild";
            }
        }
        return "other";
    }

    /// <summary>Union-find over people; each root remembers the welfare reference its component carries.</summary>
    sealed class Components
    {
        readonly int[] _parent;
        readonly int[] _size;
        readonly string?[] _welfare;

        public Components(int count)
        {
            _parent = Enumerable.Range(0, count).ToArray();
            _size = Enumerable.Repeat(1, count).ToArray();
            _welfare = new string?[count];
        }

        public void Carry(int i, string reference) => _welfare[Find(i)] ??= reference;

        public int Find(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }
            return i;
        }

        public int Size(int i) => _size[Find(i)];

        public string? WelfareOf(int i) => _welfare[Find(i)];

        public void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb)
            {
                return;
            }
            if (_size[ra] < _size[rb])
            {
                (ra, rb) = (rb, ra);
            }
            _parent[rb] = ra;
            _size[ra] += _size[rb];
            _welfare[ra] ??= _welfare[rb];
        }
    }
}
