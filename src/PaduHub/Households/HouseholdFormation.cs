namespace PaduHub.Households;

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
        var formation = new Formation([.. people.Where(p => !p.Deceased)]);
        formation.JoinWelfareHouseholds();
        formation.JoinFamilies();
        formation.JoinQuarters();
        // A link is looked at from both sides; its conflict is one.
        return (formation.Households(today), formation.Conflicts.DistinctBy(c => (c.Kind, c.SubjectKey)).ToList());
    }

    /// <summary>One formation's state: the people, the components joined so far, and what joined them.</summary>
    sealed class Formation
    {
        readonly List<HouseholdPerson> _living;
        readonly Dictionary<long, int> _index;
        readonly Dictionary<string, int> _byMyKad = new(StringComparer.Ordinal);
        readonly Components _sets;
        readonly List<HouseholdConflictFound> _conflicts = [];
        readonly Dictionary<int, List<string>> _evidence = [];
        readonly string?[] _welfareOf;

        public List<HouseholdConflictFound> Conflicts => _conflicts;

        public Formation(List<HouseholdPerson> living)
        {
            _living = living;
            _index = new Dictionary<long, int>(living.Count);
            for (var i = 0; i < living.Count; i++)
            {
                _index[living[i].GoldenId] = i;
            }
            // Family links name MyKads; the person the registration department holds it for answers to it.
            for (var i = 0; i < living.Count; i++)
            {
                if (living[i].MyKad is { Length: > 0 } mykad && (!_byMyKad.TryGetValue(mykad, out var other) || (living[i].MyKadVerified && !living[other].MyKadVerified)))
                {
                    _byMyKad[mykad] = i;
                }
            }
            _sets = new Components(living.Count);
            _welfareOf = new string?[living.Count];
        }

        void Note(int i, string why) => (_evidence.TryGetValue(i, out var list) ? list : _evidence[i] = []).Add(why);

        /// <summary>1. Welfare households: one component per reference, and the reference it carries.</summary>
        public void JoinWelfareHouseholds()
        {
            foreach (var group in _living.Select((p, i) => (p, i)).SelectMany(x => x.p.Welfare.Select(w => (w.Reference, x.i))).GroupBy(x => x.Reference))
            {
                var first = -1;
                foreach (var (reference, i) in group)
                {
                    if (_welfareOf[i] is { } other && other != reference)
                    {
                        _conflicts.Add(new("member_elsewhere", $"welfare:{_living[i].GoldenId}", [_living[i].GoldenId],
                            $"listed in welfare households {other} and {reference}; kept in {other}"));
                        continue;
                    }
                    _welfareOf[i] = reference;
                    _sets.Carry(i, reference);
                    if (first < 0)
                    {
                        first = i;
                        Note(i, $"welfare household {reference}");
                    }
                    else
                    {
                        _sets.Union(first, i);
                    }
                }
            }
        }

        /// <summary>Joins two people's components unless that would join two welfare households.</summary>
        bool Link(int a, int b, string why)
        {
            var (ra, rb) = (_sets.Find(a), _sets.Find(b));
            if (ra == rb)
            {
                return true;
            }
            if (_sets.WelfareOf(ra) is { } wa && _sets.WelfareOf(rb) is { } wb && wa != wb)
            {
                var ids = new[] { _living[a].GoldenId, _living[b].GoldenId }.Order().ToArray();
                _conflicts.Add(new("member_elsewhere", $"link:{ids[0]}:{ids[1]}", ids,
                    $"{why} joins welfare households {wa} and {wb}; kept apart"));
                return false;
            }
            _sets.Union(a, b);
            Note(a, why);
            return true;
        }

        /// <summary>2. Registration department family links: spouses who name each other, parents and children.</summary>
        public void JoinFamilies()
        {
            for (var i = 0; i < _living.Count; i++)
            {
                var p = _living[i];
                if (p.SpouseMyKad is { Length: > 0 } spouse && _byMyKad.TryGetValue(spouse, out var s) && s != i)
                {
                    // The other side names someone else: AB against BC is a conflict STR also refuses.
                    var back = _living[s].SpouseMyKad;
                    if (back is { Length: > 0 } && back != p.MyKad)
                    {
                        var ids = new[] { p.GoldenId, _living[s].GoldenId }.Order().ToArray();
                        _conflicts.Add(new("spouse_mismatch", $"spouse:{ids[0]}:{ids[1]}", ids,
                            "one names the other as spouse, the other names a different spouse; kept apart"));
                    }
                    else
                    {
                        Link(i, s, "registered spouses");
                    }
                }
                foreach (var parent in new[] { p.FatherMyKad, p.MotherMyKad })
                {
                    if (parent is { Length: > 0 } && _byMyKad.TryGetValue(parent, out var q) && q != i)
                    {
                        Link(i, q, "registered parent and child");
                    }
                }
            }
        }

        /// <summary>
        /// 3. Shared quarters, for people nothing else places: a welfare household or family at the same address takes
        /// them in, and so do others alone there.
        /// </summary>
        public void JoinQuarters()
        {
            var placed = new bool[_living.Count];
            for (var i = 0; i < _living.Count; i++)
            {
                placed[i] = _sets.Size(i) > 1 || _welfareOf[i] is not null;
            }
            var atAddress = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var i in Enumerable.Range(0, _living.Count).OrderBy(i => placed[i] ? 0 : 1))
            {
                if (_living[i].AddressKey is not { Length: > 0 } key)
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
        }

        /// <summary>The components as households, each with its head, roles and the evidence that formed it.</summary>
        public List<FormedHousehold> Households(DateOnly today)
        {
            var households = new List<FormedHousehold>();
            foreach (var component in Enumerable.Range(0, _living.Count).GroupBy(_sets.Find))
            {
                var members = component.ToList();
                var head = Head(_living, members, today);
                var roles = members.Select(m => (_living[m].GoldenId, Role(_living, m, head, _byMyKad, _index))).OrderBy(r => r.Item2 == "head" ? 0 : 1)
                    .ThenBy(r => r.GoldenId).ToList();
                var why = members.SelectMany(m => _evidence.GetValueOrDefault(m) ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
                households.Add(new FormedHousehold(_living[head].GoldenId, roles, why.Count == 0 ? ["lives alone"] : why));
            }
            return households;
        }
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
