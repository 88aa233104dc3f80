namespace PaduHub.Matching;

/// <summary>The comparisons the hub knows; a run uses those its records carry on at least a few of them.</summary>
public static partial class Comparisons
{
    public const int Missing = -1;

    public static readonly Comparison GivenName = new("given_name", ["different", "similar", "close", "exact"],
        (a, b) => NameLevel(a.Given, Swapped(a, b) ? b.Family : b.Given, null), r => r.Given);

    public static readonly Comparison Surname = new("surname", ["different", "similar or same clan", "close", "exact"],
        (a, b) => NameLevel(a.Family, Swapped(a, b) ? b.Given : b.Family, Swapped(a, b) ? null : (a.SurnameClans, b.SurnameClans)), r => r.Family);

    public static readonly Comparison FullName = new("full_name", ["different", "a conversion name", "overlapping words", "a name part more or less", "same words, spelled differently", "exact"],
        (a, b) => FullNameLevel(a, b), r => r.FullName);

    public static readonly Comparison DateOfBirth = new("date_of_birth", ["different", "one part off", "a typo", "day and month swapped", "exact"],
        (a, b) => DateLevel(a, b));

    /// <summary>
    /// How near two birth dates fall that differ in every part (<see cref="DateOfBirth"/> "different"), compared only
    /// then: a date recorded some days or months out (a registration's date for the birth's, a guess), or a year out, lands
    /// near the true one with no digit alike; how often strangers' birthdays fall as near is fitted. Kept apart from
    /// the birth date so that "different" there still means what the household rules and the training checks read.
    /// </summary>
    public static readonly Comparison DateOfBirthDistance = new("date_of_birth_distance", ["more than a year", "within a year", "within a month"],
        (a, b) => a.BirthDay is { } x && b.BirthDay is { } y && DateLevel(a, b) == 0 ? DayDistanceLevel(Math.Abs(x - y)) : Missing)
    { Refines = DateOfBirth };

    public static readonly Comparison NationalId = new("national_id", ["different", "one edit or transposition", "exact"],
        (a, b) => IdentifierLevel(a, b));

    public static readonly Comparison Sex = new("sex", ["different", "same"],
        (a, b) => a.Sex == '\0' || b.Sex == '\0' ? Missing : a.Sex != b.Sex ? 0 : a.SexFromName || b.SexFromName ? Missing : 1);

    public static readonly Comparison Street = new("address", ["different", "similar", "same street", "exact"],
        (a, b) => StreetComparison.Level(a, b, byKeptWords: true))
    { IsLocation = true };

    public static readonly Comparison Postcode = new("postcode", ["different", "one character off or same district", "exact"],
        (a, b) => a.Postcode is null || b.Postcode is null ? Missing
            : a.Postcode == b.Postcode ? 2
            : Similarity.WithinOneEdit(a.Postcode, b.Postcode) || Similarity.IsTransposition(a.Postcode, b.Postcode) || SameDistrict(a.Postcode, b.Postcode) ? 1 : 0,
        r => r.Postcode)
    { IsLocation = true };

    /// <summary>
    /// Two postcodes of letters and digits with one district: all but the last three characters (Britain's TQ13 of
    /// TQ13 8DF, Canada's K1A of K1A 0B1). Malaysia's five digits have no such part.
    /// </summary>
    static bool SameDistrict(string a, string b) =>
        a.Length >= 5 && b.Length >= 5 && a.AsSpan(0, a.Length - 3).SequenceEqual(b.AsSpan(0, b.Length - 3))
        && a.Any(char.IsAsciiLetter) && b.Any(char.IsAsciiLetter);

    public static readonly Comparison City = new("city", ["different", "similar", "exact"],
        (a, b) => a.City is null || b.City is null ? Missing : a.City == b.City ? 2 : Similarity.JaroWinkler(a.City, b.City) >= 0.88 ? 1 : 0,
        r => r.City)
    { IsLocation = true };

    public static readonly Comparison State = new("state", ["different", "same"],
        (a, b) => a.State is null || b.State is null ? Missing : a.State == b.State ? 1 : 0)
    { IsLocation = true };

    public static readonly Comparison Phone = new("phone", ["different", "last seven digits", "exact"],
        (a, b) => a.Phone is null || b.Phone is null ? Missing
            : a.Phone == b.Phone ? 2 : a.Phone.Length >= 7 && b.Phone.Length >= 7 && a.Phone.AsSpan()[^7..].SequenceEqual(b.Phone.AsSpan()[^7..]) ? 1 : 0)
    {
        IsLocation = true, // a household's landline, a family's shared mobile
        Shared = r => r.Phone,
    };

    public static readonly Comparison Email = new("email", ["different", "similar", "exact"],
        (a, b) => a.Email is null || b.Email is null ? Missing : a.Email == b.Email ? 2 : Similarity.JaroWinkler(a.Email, b.Email) >= 0.88 ? 1 : 0,
        EmailOf)
    { Shared = EmailOf };

    static string? EmailOf(MatchRecord r) => r.Email;

    public static readonly Comparison[] All = [GivenName, Surname, FullName, DateOfBirth, DateOfBirthDistance, NationalId, Sex, Street, Postcode, City, State, Phone, Email];

    /// <summary>
    /// One of a CSV's other facts (the schema's attribute columns, by slot): the same, similar (a slip of the pen, as a
    /// town's; whole numbers one apart, as an age a birthday later), or different; an exact value weighed by how rare it
    /// is (a shared ASTRONOMER says more than a shared FARMER). Named after its column, or after it with "(attribute)"
    /// where a field of that name exists.
    /// </summary>
    public static Comparison Attribute(int slot, string name) =>
        new(All.Any(c => c.Name == name) ? $"{name} (attribute)" : name, ["different", "similar", "exact"],
            (a, b) => AttributeAt(a, slot) is not { } x || AttributeAt(b, slot) is not { } y ? Missing
                : x == y ? 2
                : long.TryParse(x, out var nx) && long.TryParse(y, out var ny) ? (Math.Abs(nx - ny) <= 1 ? 1 : 0)
                : Similarity.JaroWinkler(x, y) >= 0.88 ? 1 : 0,
            r => AttributeAt(r, slot))
        // Weaker than a person's own fields: an occupation is written two ways, or changes.
        { IsAttribute = true, PriorM = [0.2, 0.1, 0.7] };

    static string? AttributeAt(MatchRecord r, int slot) => slot < r.Attributes.Length ? r.Attributes[slot] : null;

    /// <summary>
    /// The comparisons worth running on these records: a field at least 1% of them carry. Given and family names
    /// replace the whole-name comparison when a source splits them, so one name is not counted twice.
    /// Each attribute slot the records name (a CSV schema's attribute columns) is compared on its own.
    /// </summary>
    public static Comparison[] For(IReadOnlyList<MatchRecord> records)
    {
        var attributes = records.Count == 0 ? [] : records[0].AttributeNames;
        var attributeCarried = new int[attributes.Length];
        var carried = new Dictionary<Comparison, int>();
        foreach (var r in records)
        {
            void Count(Comparison c, bool has)
            {
                if (has)
                {
                    carried[c] = carried.GetValueOrDefault(c) + 1;
                }
            }
            Count(GivenName, r.Given is not null);
            Count(Surname, r.Family is not null);
            Count(FullName, r.FullName is not null);
            Count(DateOfBirth, r.DateOfBirth is not null);
            Count(NationalId, r.Identifiers.Length > 0);
            Count(Sex, r.Sex != '\0');
            Count(Street, r.Street is not null);
            Count(Postcode, r.Postcode is not null);
            Count(City, r.City is not null);
            Count(State, r.State is not null);
            Count(Phone, r.Phone is not null);
            Count(Email, r.Email is not null);
            for (var s = 0; s < attributeCarried.Length; s++)
            {
                attributeCarried[s] += AttributeAt(r, s) is null ? 0 : 1;
            }
        }
        var floor = Math.Max(2, records.Count / 100);
        // A refinement is carried wherever the comparison it looks closer at is.
        var active = All.Where(c => carried.GetValueOrDefault(c.Refines ?? c) >= floor).ToList();
        if (active.Contains(GivenName) && active.Contains(Surname))
        {
            active.Remove(FullName);
        }
        active.AddRange(attributes.Select((name, slot) => (name, slot)).Where(a => attributeCarried[a.slot] >= floor).Select(a => Attribute(a.slot, a.name)));
        return active.ToArray();
    }

    static int DateLevel(MatchRecord a, MatchRecord b) =>
        a.BirthDigits != 0 && b.BirthDigits != 0 ? DateLevel(a.BirthDigits, b.BirthDigits) : DateLevel(a.DateOfBirth, b.DateOfBirth);

    /// <summary>
    /// <see cref="DateLevel(string, string)"/> for two eight-character dates held a character a byte: the same levels from
    /// the bytes that differ, without reading the strings.
    /// </summary>
    static int DateLevel(ulong a, ulong b)
    {
        var differ = a ^ b;
        if (differ == 0)
        {
            return 4;
        }
        const ulong year = 0xFFFF_FFFF, month = 0xFFFFUL << 32, day = 0xFFFFUL << 48;
        if ((differ & year) == 0 && (a >> 32 & 0xFFFF) == b >> 48 && a >> 48 == (b >> 32 & 0xFFFF))
        {
            return 3;
        }
        // One byte a differing character: fold each byte's bits into its lowest.
        var bytes = differ | differ >> 4;
        bytes |= bytes >> 2;
        bytes |= bytes >> 1;
        bytes &= 0x0101_0101_0101_0101;
        var count = System.Numerics.BitOperations.PopCount(bytes);
        if (count == 1)
        {
            return 2;
        }
        if (count == 2)
        {
            var at = System.Numerics.BitOperations.TrailingZeroCount(bytes);
            if ((bytes >> at) == 0x101 && (a >> at & 0xFF) == (b >> (at + 8) & 0xFF) && (a >> (at + 8) & 0xFF) == (b >> at & 0xFF))
            {
                return 2; // two neighbours swapped
            }
        }
        var (sameYear, sameMonth, sameDay) = ((differ & year) == 0, (differ & month) == 0, (differ & day) == 0);
        return sameMonth && sameDay || sameYear && (sameMonth || sameDay) ? 1 : 0;
    }

    internal static int DateLevel(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return Missing;
        }
        if (a == b)
        {
            return 4;
        }
        if (a.Length == 8 && b.Length == 8)
        {
            // A day and month read the other way round is a level of its own: a stranger's birth date is far likelier to
            // be a digit off than to be the mirror of the other's, so the swap says more than a slip does.
            if (a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)) && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2)))
            {
                return 3;
            }
            if (Similarity.WithinOneEdit(a, b) || Similarity.IsTransposition(a, b))
            {
                return 2;
            }
            // One of year, month and day wrong and the other two right: a year mistyped (off by one, or another year
            // altogether), or a month or day misread. EM weighs how often strangers' birthdays meet so.
            var (sameYear, sameMonth, sameDay) = (a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)), a.AsSpan(4, 2).SequenceEqual(b.AsSpan(4, 2)),
                a.AsSpan(6, 2).SequenceEqual(b.AsSpan(6, 2)));
            if (sameMonth && sameDay || sameYear && (sameMonth || sameDay))
            {
                return 1;
            }
        }
        return 0;
    }

    // A year here is a year and up to a month either way: a year mistaken often comes with the day or the month out too.
    static int DayDistanceLevel(int days) => days switch { <= 31 => 2, <= 397 => 1, _ => 0 };

    /// <summary>The best agreement between any identifier of one and any of the same kind on the other; missing when no kind is shared.</summary>
    internal static int IdentifierLevel(PersonIdentifier[] a, PersonIdentifier[] b)
    {
        var best = Missing;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (x.Kind != y.Kind)
                {
                    continue;
                }
                if (x.Digits != PersonIdentifier.NotDigits && y.Digits != PersonIdentifier.NotDigits)
                {
                    if (x.Digits == y.Digits)
                    {
                        return 2;
                    }
                    if (DigitsOneEditOrSwap(x.Digits, y.Digits) is { } near)
                    {
                        best = Math.Max(best, near ? 1 : 0);
                        continue;
                    }
                }
                if (x.Value == y.Value)
                {
                    return 2;
                }
                best = Math.Max(best, Similarity.WithinOneEdit(x.Value, y.Value) || Similarity.IsTransposition(x.Value, y.Value)
                    || x.Kind == "MYKAD" && (SlipBehindALostZero(x.Value, y.Value) || SlipBehindALostZero(y.Value, x.Value)) ? 1 : 0);
            }
        }
        return best;
    }

    /// <summary>
    /// A MyKad of someone born 2000-2009 stored as a number and written back without its leading zero, and with a slip in
    /// its date (so it was not given the zero back when read): one edit from the other number once the zero is.
    /// </summary>
    static bool SlipBehindALostZero(string shorter, string longer) =>
        shorter.Length == 11 && longer.Length == 12 && longer[0] == '0' && ("0" + shorter) is var whole
        && (Similarity.WithinOneEdit(whole, longer) || Similarity.IsTransposition(whole, longer));

    /// <summary>
    /// For two different digit strings of the same length, packed as <see cref="PersonIdentifier.Digits"/>: whether they
    /// are one substitution or one swap of neighbours apart. Null when the lengths differ (an insertion or a deletion is
    /// left to the strings).
    /// </summary>
    internal static bool? DigitsOneEditOrSwap(ulong x, ulong y)
    {
        var differ = x ^ y;
        // One bit per differing four-bit place, at the place's lowest bit.
        var places = (differ | differ >> 1 | differ >> 2 | differ >> 3) & 0x1111_1111_1111_1111UL;
        // A place where one side is unused (all ones) and the other a digit: the lengths differ.
        var unusedX = x & x >> 1 & x >> 2 & x >> 3 & 0x1111_1111_1111_1111UL;
        var unusedY = y & y >> 1 & y >> 2 & y >> 3 & 0x1111_1111_1111_1111UL;
        if (unusedX != unusedY)
        {
            return null;
        }
        var count = System.Numerics.BitOperations.PopCount(places);
        if (count == 1)
        {
            return true;
        }
        if (count != 2)
        {
            return false;
        }
        var first = System.Numerics.BitOperations.TrailingZeroCount(places);
        if ((places >> first) != 0x11UL)
        {
            return false; // not neighbours
        }
        var (x0, x1) = ((x >> first) & 0xF, (x >> (first + 4)) & 0xF);
        var (y0, y1) = ((y >> first) & 0xF, (y >> (first + 4)) & 0xF);
        return x0 == y1 && x1 == y0;
    }
}
