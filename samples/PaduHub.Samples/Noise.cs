using System.Globalization;
using System.Reflection;

namespace PaduHub.Samples;

/// <summary>
/// How often each kind of error enters an agency record. Each rate applies to the records where that error is
/// possible (a day/month swap needs a day of 12 or less; a legacy id needs a person who has one), and the
/// summary reports both the eligible and the affected counts, so rates can be checked.
/// The registration department (JPN) is the authoritative source and gets none of this noise.
/// </summary>
public sealed record NoiseSettings
{
    public double NameTypo { get; init; } = 0.02;
    public double NameTransposition { get; init; } = 0.01;
    /// <summary>Mohd/Muhammad, Abd/Abdul, Nur/Nor/Noor, b./bin, bt./binti, a/l / AL, Tan/Chan, ...</summary>
    public double NameVariant { get; init; } = 0.20;
    public double DroppedNamePart { get; init; } = 0.05;
    public double SwappedNameParts { get; init; } = 0.03;
    public double Title { get; init; } = 0.03;
    public double IcTypo { get; init; } = 0.01;
    public double IcTransposition { get; init; } = 0.005;
    public double IcMissing { get; init; } = 0.02;
    public double IcPlaceholder { get; init; } = 0.003;
    /// <summary>An agency holds an old IC or an army/police number instead of the MyKad (the BUDI95 problem).</summary>
    public double LegacyId { get; init; } = 0.3;
    public double DobDayMonthSwap { get; init; } = 0.01;
    /// <summary>Of households that moved, the share of agency records still carrying the old address.</summary>
    public double StaleAddress { get; init; } = 0.5;
    public double AddressAbbreviation { get; init; } = 0.3;
    public double SharedPhone { get; init; } = 0.02;
    public double DuplicateRow { get; init; } = 0.005;
    /// <summary>Infants recorded by welfare before they are named: BABY BOY, BABY GIRL, and no number.</summary>
    public double BabyPlaceholder { get; init; } = 0.3;
    /// <summary>
    /// Of the records of an agency that prints addresses the way a bill does, those with the postcode, town and state
    /// inside the address column and the columns of their own left empty ("NO 12, JALAN MAWAR 3, 43000 KAJANG, SELANGOR").
    /// </summary>
    public double AddressOneLine { get; init; }
    /// <summary>Of people with an English given name, records that hold it with the surname only (JASON TAN) or at the end.</summary>
    public double EnglishName { get; init; }
    /// <summary>A first name cut to its initial (M FAIZ BIN ISMAIL, S KUMARAN A/L ...).</summary>
    public double Initials { get; init; }
    /// <summary>
    /// Of married women with a family name, records under the husband's (MARIA DE SOUZA; TAN LIM MEI LING); of Indian and
    /// Sarawak wives, records in their own name and the husband's (LAKSHMI RAJU for LAKSHMI A/P MUTHU).
    /// </summary>
    public double MarriedName { get; init; }
    /// <summary>Of people without a Muslim patronym, records under a name taken on conversion (MUHAMMAD HAFIZ TAN BIN ABDULLAH).</summary>
    public double ConversionName { get; init; }
    /// <summary>Share of households with some event (birth, death, move, correction, withdrawal) on each delta day.</summary>
    public double DailyChange { get; init; } = 0.01;

    /// <summary>Of children after the first, the share born a twin of the one before (same birthday, same place).</summary>
    public double Twins { get; init; } = 0.03;
    /// <summary>Whether twins always get given names of their own (1) or may, rarely, be drawn the same one (0, the default profile as it was).</summary>
    public double TwinsNamedApart { get; init; }
    /// <summary>Of twins, the share whose MyKad serials follow each other's (one or two digits apart), as the registry numbers them.</summary>
    public double TwinSerialInSequence { get; init; }

    public static NoiseSettings Default { get; } = new();

    /// <summary>
    /// The harder profile (padu generate --profile harder): more of what breaks matching, at real-world rates or
    /// above. ICs missing and mistyped more often, old ICs and service numbers in the IC column more often, movers
    /// whose agencies never heard, phones shared more widely, twins twice as often with their serials in sequence.
    /// The default population stays as it was for comparison.
    /// </summary>
    public static NoiseSettings Harder { get; } = new()
    {
        IcMissing = 0.15,
        IcTypo = 0.03,
        IcPlaceholder = 0.01,
        LegacyId = 0.5,
        StaleAddress = 0.7,
        SharedPhone = 0.05,
        NameVariant = 0.3,
        DroppedNamePart = 0.08,
        Twins = 0.06,
        TwinSerialInSequence = 0.9,
        TwinsNamedApart = 1,
        EnglishName = 0.3,
        Initials = 0.04,
        MarriedName = 0.3,
        ConversionName = 0.02,
        AddressOneLine = 0.3,
    };

    /// <summary>Every setting by its snake_case name, e.g. name_variant.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(NoiseSettings).GetProperties()
        .Where(p => p.PropertyType == typeof(double)).Select(p => SnakeCase(p.Name)).ToList();

    /// <summary>Applies "name_variant=0.1" style overrides; unknown names and rates outside [0,1] are refused.</summary>
    public NoiseSettings With(IEnumerable<string> overrides)
    {
        var copy = this with { };
        foreach (var item in overrides)
        {
            var parts = item.Split('=', 2);
            var property = typeof(NoiseSettings).GetProperties().FirstOrDefault(p => SnakeCase(p.Name) == parts[0].Trim());
            if (property is null || parts.Length != 2)
            {
                throw new ArgumentException($"unknown noise setting '{item}'; known: {string.Join(", ", Names)}");
            }
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
            {
                throw new ArgumentException($"noise setting {parts[0]} needs a rate between 0 and 1, not '{parts[1]}'");
            }
            property.GetSetMethod(nonPublic: true)!.Invoke(copy, [rate]);
        }
        return copy;
    }

    public IReadOnlyDictionary<string, double> AsDictionary() => typeof(NoiseSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(double)).ToDictionary(p => SnakeCase(p.Name), p => (double)p.GetValue(this)!);

    static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>How many records could have had each kind of noise, and how many got it.</summary>
public sealed class NoiseCounts
{
    readonly SortedDictionary<string, (long Eligible, long Applied)> _counts = new(StringComparer.Ordinal);

    public bool Roll(ref Rng rng, string kind, double rate)
    {
        var applied = rng.Chance(rate);
        _counts.TryGetValue(kind, out var c);
        _counts[kind] = (c.Eligible + 1, c.Applied + (applied ? 1 : 0));
        return applied;
    }

    public IReadOnlyDictionary<string, (long Eligible, long Applied)> Counts => _counts;
}

/// <summary>One person as one agency holds them: the fields after noise, and which noise was applied.</summary>
public sealed class AgencyView
{
    public required string Name { get; set; }
    /// <summary>The identifier as written (may be MyKad, old IC, service number, birth certificate, empty).</summary>
    public required string IdNumber { get; set; }
    /// <summary>valid, typo, transposed, missing, placeholder, old_ic, army, police, birth_cert, passport.</summary>
    public required string IdStatus { get; set; }
    public required DateOnly DateOfBirth { get; set; }
    /// <summary>The agency was never told of the last move and still holds the previous address.</summary>
    public bool StaleAddress { get; set; }
    public bool AbbreviatedAddress { get; set; }
    /// <summary>The address column holds the whole address, postcode, town and state; their own columns are empty.</summary>
    public bool OneLineAddress { get; set; }
    public string? Phone { get; set; }
    /// <summary>Per-record draw for an agency's own habits (dashes in numbers, income it reports, spacing).</summary>
    public required double Factor { get; init; }
    public required int Style { get; init; }
    public List<string> Noise { get; } = [];

    public Address AddressIn(Household household)
    {
        var address = StaleAddress && household.PreviousAddress is not null ? household.PreviousAddress : household.Address;
        return AbbreviatedAddress ? PaduHub.Samples.Noise.Abbreviate(address) : address;
    }
}

/// <summary>Turns a true person into what a (non-authoritative) agency holds about them.</summary>
public static class Noise
{
    static readonly Dictionary<string, string[]> s_variants = new(StringComparer.Ordinal)
    {
        ["MUHAMMAD"] = ["MOHD", "MOHAMAD", "MOHAMMAD", "MUHAMAD", "MOHAMMED", "MUHD", "MHD"],
        ["MOHD"] = ["MUHAMMAD", "MOHAMAD", "MOHAMMAD", "MOHAMED", "MOHD."],
        ["ABDUL"] = ["ABD", "ABD.", "AB"],
        ["NUR"] = ["NOR", "NOOR", "NURUL"],
        ["NOR"] = ["NUR", "NOOR"],
        ["NURUL"] = ["NUR", "NOORUL"],
        ["BIN"] = ["B.", "B", "BN"],
        ["BINTI"] = ["BT.", "BT", "BTE", "BINTE"],
        ["A/L"] = ["AL", "S/O", "A.L."],
        ["A/P"] = ["AP", "D/O", "A.P."],
        ["ANAK"] = ["AK", "AK."],
        ["SITI"] = ["STI", "ST"],
        ["YUSOF"] = ["YUSUF", "YUSOFF", "YUSOP"],
        ["HUSSEIN"] = ["HUSIN", "HUSSIN", "HUSAIN"],
        ["ISMAIL"] = ["ISMAEL", "SMAIL"],
        ["SYAFIQ"] = ["SHAFIQ", "SYAFIK"],
        ["AISYAH"] = ["AISHAH", "AISHA", "AISYA"],
        ["FATIMAH"] = ["FATIMA", "FATIMAH."],
        ["ASYRAF"] = ["ASHRAF"],
        ["SHAHRUL"] = ["SYAHRUL"],
        ["KHAIRUL"] = ["KAIRUL", "KHAIRULL"],
        ["ZAINAL"] = ["ZAINOL"],
        ["RASHID"] = ["RASYID", "RASHEED"],
        ["IBRAHIM"] = ["IBRAHEEM", "IBRAHIEM"],
        ["AZIZ"] = ["AJIS", "AZIS"],
        ["MUSTAFA"] = ["MUSTAPHA", "MOSTAFA"],
        ["SUBRAMANIAM"] = ["SUBRAMANIAN", "SUBRAMANYAM"],
        ["LETCHUMI"] = ["LAKSHMI", "LETCHUMY"],
        ["SARASWATHY"] = ["SARASWATHI"],
    };

    static readonly string[] s_maleTitles = ["DATUK", "DATO'", "HAJI", "HJ", "DR", "TAN SRI", "ENCIK", "EN", "DATO' SRI"];
    static readonly string[] s_femaleTitles = ["DATIN", "HAJJAH", "HJH", "DR", "PUAN", "PN", "CIK", "PUAN SRI"];

    /// <summary>Phone numbers shared by unrelated households (a village head's, an agent's).</summary>
    public static readonly string[] SharedPhones = Enumerable.Range(0, 40).Select(i => $"0198{i * 97 + 101_000:D6}").ToArray();

    public static AgencyView View(ref Rng rng, Person person, Household household, NoiseSettings settings, NoiseCounts counts, bool authoritative,
        DateOnly snapshot, bool infantsUnnamed = false, bool printsOneLineAddress = false)
    {
        var view = new AgencyView
        {
            Name = person.Name.Full,
            IdNumber = person.MyKad,
            IdStatus = "valid",
            DateOfBirth = person.DateOfBirth,
            Phone = person.Phone,
            Factor = rng.NextDouble(),
            Style = rng.Next(1000),
        };
        if (authoritative)
        {
            return view;
        }
        if (infantsUnnamed && person.AgeOn(snapshot) < 1 && counts.Roll(ref rng, "baby_placeholder", settings.BabyPlaceholder))
        {
            view.Name = person.Male ? "BABY BOY" : "BABY GIRL";
            view.IdNumber = "";
            view.IdStatus = "missing";
            view.Noise.Add("baby_placeholder");
            return view;
        }
        NameChange(ref rng, person, household, view, settings, counts);
        NameNoise(ref rng, person, view, settings, counts, snapshot);
        IdNoise(ref rng, person, view, settings, counts, snapshot);
        if (person.DateOfBirth.Day <= 12 && person.DateOfBirth.Day != person.DateOfBirth.Month
            && counts.Roll(ref rng, "dob_day_month_swap", settings.DobDayMonthSwap))
        {
            view.DateOfBirth = new DateOnly(person.DateOfBirth.Year, person.DateOfBirth.Day, person.DateOfBirth.Month);
            view.Noise.Add("dob_day_month_swap");
        }
        if (household.PreviousAddress is not null && counts.Roll(ref rng, "stale_address", settings.StaleAddress))
        {
            view.StaleAddress = true;
            view.Noise.Add("stale_address");
        }
        if (counts.Roll(ref rng, "address_abbreviation", settings.AddressAbbreviation))
        {
            view.AbbreviatedAddress = true;
            view.Noise.Add("address_abbreviation");
        }
        if (counts.Roll(ref rng, "shared_phone", settings.SharedPhone))
        {
            view.Phone = rng.Pick(SharedPhones);
            view.Noise.Add("shared_phone");
        }
        // Rolled only when set and printed, so the default profile draws what it drew before.
        if (settings.AddressOneLine > 0 && printsOneLineAddress && counts.Roll(ref rng, "address_one_line", settings.AddressOneLine))
        {
            view.OneLineAddress = true;
            view.Noise.Add("address_one_line");
        }
        return view;
    }

    /// <summary>
    /// A name that changed, or that one agency writes another way: an English given name with the surname only, an
    /// initial, a married woman's husband's name, a name taken on conversion. Rolled only when its rate is set, so a
    /// profile without them draws exactly what it drew before they existed.
    /// </summary>
    static void NameChange(ref Rng rng, Person person, Household household, AgencyView view, NoiseSettings settings, NoiseCounts counts)
    {
        var name = person.Name;
        if (settings.ConversionName > 0 && name.Connector is not ("BIN" or "BINTI") && counts.Roll(ref rng, "conversion_name", settings.ConversionName))
        {
            // The Muslim name is the person's own, the same at every agency that holds it: drawn from their id, not the record.
            var stable = new Rng((ulong)StableHash(person.Id), 0);
            var muslim = person.Male ? $"MUHAMMAD {stable.Pick(Names.MalayMale)}" : $"NUR {stable.Pick(Names.MalayFemale)}";
            var kept = name.Surname is not null && stable.Chance(0.5) ? $" {name.Surname}" : "";
            view.Name = $"{muslim}{kept} {(person.Male ? "BIN" : "BINTI")} ABDULLAH";
            view.Noise.Add("conversion_name");
            return;
        }
        if (settings.MarriedName > 0 && !person.Male && name.Surname is not null && person.SpouseId is { } spouseId
            && household.Members.FirstOrDefault(m => m.Id == spouseId)?.Name.Surname is { } husbands && husbands != name.Surname
            && counts.Roll(ref rng, "married_name", settings.MarriedName))
        {
            view.Name = name.SurnameFirst ? $"{husbands} {name.Surname} {name.Given}" : $"{name.Given} {husbands}";
            view.Noise.Add("married_name");
            return;
        }
        // An Indian or Sarawak wife known by her husband's name where her father's stood: LAKSHMI RAJU, MARY PETER.
        if (settings.MarriedName > 0 && !person.Male && name.Connector is "A/P" or "ANAK" && person.SpouseId is { } husbandId
            && household.Members.FirstOrDefault(m => m.Id == husbandId)?.Name is { Connector: "A/L" or "ANAK" } husband && husband.Given != name.FatherName
            && counts.Roll(ref rng, "married_name", settings.MarriedName))
        {
            view.Name = $"{name.Given} {husband.Given}";
            view.Noise.Add("married_name");
            return;
        }
        if (settings.EnglishName > 0 && name.EnglishName is { } english && counts.Roll(ref rng, "english_name", settings.EnglishName))
        {
            view.Name = rng.Chance(0.6) ? $"{english} {name.Surname}" : $"{name.Surname} {name.Given} {english}";
            view.Noise.Add("english_name");
            return;
        }
        if (settings.Initials > 0 && view.Name.Split(' ') is { Length: >= 3 } words && counts.Roll(ref rng, "initials", settings.Initials))
        {
            // The surname of a Chinese name stays whole; a Malay, Indian or native name loses its first word to an initial.
            var at = name.Surname is not null && name.SurnameFirst && name.Connector is null ? 1 : 0;
            words[at] = words[at][..1];
            view.Name = string.Join(' ', words);
            view.Noise.Add("initials");
        }
    }

    static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = h * 31 + c;
        }
        return h & int.MaxValue;
    }

    static void NameNoise(ref Rng rng, Person person, AgencyView view, NoiseSettings settings, NoiseCounts counts, DateOnly snapshot)
    {
        var name = person.Name;
        var words = view.Name.Split(' ').ToList();
        var variantAt = Enumerable.Range(0, words.Count).Where(i => s_variants.ContainsKey(words[i])).ToList();
        var chinese = name.SurnameClan >= 0 && name.Surname is not null && Names.ChineseSurnameClans[name.SurnameClan].Length > 1;
        if ((variantAt.Count > 0 || chinese) && counts.Roll(ref rng, "name_variant", settings.NameVariant))
        {
            if (chinese && (variantAt.Count == 0 || rng.Chance(0.5)))
            {
                // Another dialect romanisation of the same surname: Tan/Chan/Chin, Wong/Ng/Ooi.
                var other = Names.ChineseSurnameClans[name.SurnameClan].Where(s => s != name.Surname).ToArray();
                var at = words.IndexOf(name.Surname!);
                var spelling = rng.Pick(other);
                if (at >= 0) // a name taken on conversion may have left the surname behind
                {
                    words[at] = spelling;
                }
            }
            else
            {
                var at = rng.Pick(variantAt);
                words[at] = rng.Pick(s_variants[words[at]]);
            }
            view.Noise.Add("name_variant");
        }
        if (words.Count >= 3 && counts.Roll(ref rng, "dropped_name_part", settings.DroppedNamePart))
        {
            var connector = name.Connector is null ? -1 : words.FindIndex(w => w.StartsWith(name.Connector[..1], StringComparison.Ordinal) && w.Length <= 5 && w != words[0]);
            if (connector > 0 && rng.Chance(0.6))
            {
                // "AHMAD FAIZ BIN ISMAIL" -> "AHMAD FAIZ": the patronym is often dropped in use.
                words.RemoveRange(connector, words.Count - connector);
            }
            else
            {
                words.RemoveAt(rng.Next(1, words.Count));
            }
            view.Noise.Add("dropped_name_part");
        }
        if (name.Surname is not null && name.Connector is null && words.Count >= 2
            && counts.Roll(ref rng, "swapped_name_parts", settings.SwappedNameParts))
        {
            // Western order: given names first, surname last.
            var first = words[0];
            words.RemoveAt(0);
            words.Add(first);
            view.Noise.Add("swapped_name_parts");
        }
        if (person.AgeOn(snapshot) >= 30 && counts.Roll(ref rng, "title", settings.Title))
        {
            words.Insert(0, rng.Pick(person.Male ? s_maleTitles : s_femaleTitles));
            view.Noise.Add("title");
        }
        var text = string.Join(' ', words);
        if (text.Length >= 6 && counts.Roll(ref rng, "name_typo", settings.NameTypo))
        {
            text = Typo(ref rng, text);
            view.Noise.Add("name_typo");
        }
        if (text.Length >= 6 && counts.Roll(ref rng, "name_transposition", settings.NameTransposition))
        {
            var at = rng.Next(1, text.Length - 2);
            if (text[at] != ' ' && text[at + 1] != ' ' && text[at] != text[at + 1])
            {
                text = string.Concat(text.AsSpan(0, at), text[at + 1].ToString(), text[at].ToString(), text.AsSpan(at + 2));
                view.Noise.Add("name_transposition");
            }
        }
        view.Name = text;
    }

    static string Typo(ref Rng rng, string text)
    {
        var at = rng.Next(1, text.Length - 1);
        if (text[at] == ' ')
        {
            at--;
        }
        var letter = (char)('A' + rng.Next(26));
        return rng.Next(3) switch
        {
            0 => string.Concat(text.AsSpan(0, at), letter.ToString(), text.AsSpan(at + 1)),   // substitution
            1 => string.Concat(text.AsSpan(0, at), text.AsSpan(at + 1)),                    // deletion
            _ => string.Concat(text.AsSpan(0, at), letter.ToString(), text.AsSpan(at)),      // insertion
        };
    }

    static void IdNoise(ref Rng rng, Person person, AgencyView view, NoiseSettings settings, NoiseCounts counts, DateOnly snapshot)
    {
        var legacy = person.ServiceNumber is not null ? (person.ServiceNumber, person.ServiceKind!.ToLowerInvariant())
            : person.OldIc is not null ? (person.OldIc, "old_ic")
            : !person.Citizen && person.Passport is not null ? (person.Passport, "passport")
            : person.BirthCertificate is not null && person.AgeOn(snapshot) < 12 ? (person.BirthCertificate, "birth_cert")
            : ((string, string)?)null;
        if (legacy is { } l && counts.Roll(ref rng, "legacy_id", settings.LegacyId))
        {
            view.IdNumber = l.Item1;
            view.IdStatus = l.Item2;
            view.Noise.Add("legacy_id");
            return;
        }
        if (counts.Roll(ref rng, "ic_missing", settings.IcMissing))
        {
            view.IdNumber = "";
            view.IdStatus = "missing";
            view.Noise.Add("ic_missing");
            return;
        }
        if (counts.Roll(ref rng, "ic_placeholder", settings.IcPlaceholder))
        {
            view.IdNumber = rng.Chance(0.7) ? "000000000000" : "999999999999";
            view.IdStatus = "placeholder";
            view.Noise.Add("ic_placeholder");
            return;
        }
        if (counts.Roll(ref rng, "ic_typo", settings.IcTypo))
        {
            var digits = person.MyKad.ToCharArray();
            var at = rng.Next(0, 12);
            digits[at] = (char)('0' + (digits[at] - '0' + rng.Next(1, 10)) % 10);
            view.IdNumber = new string(digits);
            view.IdStatus = "typo";
            view.Noise.Add("ic_typo");
            return;
        }
        if (counts.Roll(ref rng, "ic_transposition", settings.IcTransposition))
        {
            var digits = person.MyKad.ToCharArray();
            for (var tries = 0; tries < 5; tries++)
            {
                var at = rng.Next(0, 11);
                if (digits[at] != digits[at + 1])
                {
                    (digits[at], digits[at + 1]) = (digits[at + 1], digits[at]);
                    view.IdNumber = new string(digits);
                    view.IdStatus = "transposed";
                    view.Noise.Add("ic_transposition");
                    return;
                }
            }
        }
    }

    /// <summary>How clerks shorten addresses: Jln, Tmn, Kg, Lrg, Bt, Ppr (docs/domain.md, addresses).</summary>
    public static Address Abbreviate(Address address) => address with
    {
        Unit = address.Unit.Replace("NO ", "NO. ", StringComparison.Ordinal),
        Street = Shorten(address.Street),
        Area = Shorten(address.Area),
    };

    static string Shorten(string text) => text
        .Replace("JALAN ", "JLN ", StringComparison.Ordinal)
        .Replace("TAMAN ", "TMN ", StringComparison.Ordinal)
        .Replace("KAMPUNG ", "KG ", StringComparison.Ordinal)
        .Replace("LORONG ", "LRG ", StringComparison.Ordinal)
        .Replace("PANGSAPURI ", "P/PURI ", StringComparison.Ordinal)
        .Replace("BLOK ", "BLK ", StringComparison.Ordinal);

    /// <summary>"Ahmad Faiz Bin Ismail": how systems that title-case names write them.</summary>
    public static string TitleCase(string text) => string.Join(' ', text.Split(' ').Select(w =>
        w.Length == 0 ? w : w.Contains('/', StringComparison.Ordinal) || w.Contains('\'', StringComparison.Ordinal) ? w : w[0] + w[1..].ToLowerInvariant()));
}
