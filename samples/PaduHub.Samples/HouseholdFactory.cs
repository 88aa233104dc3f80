using System.Globalization;
using PaduHub.Identity;

namespace PaduHub.Samples;

/// <summary>
/// Makes one household at a time: its address, its members with their relationships, names, documents, work and
/// income. Everything that must be unique across the population (MyKad numbers, agency keys) or that pairs people
/// across households (namesakes) lives here; the rest is drawn from the household's own random stream.
/// </summary>
public sealed class HouseholdFactory(DateOnly snapshot, NoiseSettings? settings = null)
{
    readonly NoiseSettings _settings = settings ?? NoiseSettings.Default;
    readonly HashSet<long> _myKads = [];
    readonly Dictionary<string, string> _lastNamesake = [];
    int _people;
    int _taxNumbers;
    int _epfNumbers;
    int _accounts;
    readonly List<HardNegative> _hardNegatives = [];

    public DateOnly Snapshot { get; } = snapshot;

    /// <summary>Hard negatives found while making the last household (twins, namesakes, look-alike siblings).</summary>
    public List<HardNegative> TakeHardNegatives()
    {
        var found = _hardNegatives.ToList();
        _hardNegatives.Clear();
        return found;
    }

    static readonly double[] s_sizeWeights = [0.12, 0.17, 0.17, 0.18, 0.15, 0.10, 0.06, 0.03, 0.02];

    static readonly string[] s_companyWords =
    [
        "MAJU", "JAYA", "SINAR", "CAHAYA", "GEMILANG", "BINTANG", "MEGA", "PERKASA", "TEGUH", "SETIA", "MUTIARA", "HARAPAN",
        "INDAH", "PRIMA", "GLOBAL", "TECH", "LOGISTIK", "ENGINEERING", "TRADING", "HOLDINGS", "RESOURCES", "PLANTATION",
    ];

    static readonly string[] s_publicEmployers =
    [
        "KEMENTERIAN PENDIDIKAN MALAYSIA", "KEMENTERIAN KESIHATAN MALAYSIA", "JABATAN KERJA RAYA", "MAJLIS BANDARAYA",
        "JABATAN PENDAFTARAN NEGARA", "UNIVERSITI AWAM",
    ];

    public Household Make(ref Rng rng, long index)
    {
        var state = Places.PickState(ref rng);
        var household = new Household { Id = $"H{index + 1:D8}", Address = Places.NewAddress(ref rng, state) };
        if (rng.Chance(0.15))
        {
            var from = rng.Chance(0.7) ? state : Places.PickState(ref rng);
            household.PreviousAddress = Places.NewAddress(ref rng, from);
            household.MovedOn = Snapshot.AddDays(-rng.Next(30, 3 * 365));
        }
        var ethnicity = PickEthnicity(ref rng, state.Name);
        var size = rng.PickWeighted(s_sizeWeights) + 1;

        // The head's own father: his name is the head's patronym, and he may live in.
        var headMale = size == 1 ? rng.Chance(0.5) : rng.Chance(0.78);
        var headAge = size == 1 ? rng.Next(21, 86) : rng.Next(25, 76);
        var headFatherGiven = FatherGiven(ref rng, ethnicity);
        var clan = rng.Next(Names.ChineseSurnameClans.Length);
        var surname = ethnicity switch
        {
            Ethnicity.Chinese => rng.Pick(Names.ChineseSurnameClans[clan]),
            Ethnicity.Indian when rng.Chance(0.05) => rng.Pick(Names.IndianFamilyNames),
            Ethnicity.Other => rng.Pick(Names.OtherSurnames),
            _ => null,
        };

        var head = NewPerson(ref rng, household, Role.Head, headMale, ethnicity, Snapshot.AddYears(-headAge).AddDays(-rng.Next(365)),
            state.Name, NameFor(ref rng, ethnicity, headMale, headFatherGiven, clan, surname, null, state.Name));
        household.Members.Add(head);

        Person? spouse = null;
        if (size >= 2 && rng.Chance(0.85))
        {
            var spouseAge = Math.Clamp(headAge + (headMale ? -rng.Next(0, 7) : rng.Next(0, 7)), 19, 90);
            var spouseClan = (clan + 1 + rng.Next(Names.ChineseSurnameClans.Length - 1)) % Names.ChineseSurnameClans.Length;
            var spouseSurname = ethnicity == Ethnicity.Chinese ? rng.Pick(Names.ChineseSurnameClans[spouseClan]) : ethnicity == Ethnicity.Other ? surname : null;
            spouse = NewPerson(ref rng, household, Role.Spouse, !headMale, ethnicity, Snapshot.AddYears(-spouseAge).AddDays(-rng.Next(365)),
                state.Name, NameFor(ref rng, ethnicity, !headMale, FatherGiven(ref rng, ethnicity), spouseClan, spouseSurname, null, state.Name),
                citizen: !rng.Chance(0.06));
            household.Members.Add(spouse);
            head.SpouseId = spouse.Id;
            spouse.SpouseId = head.Id;
        }

        if (size >= 4 && rng.Chance(0.15) && headAge < 65)
        {
            var parentMale = rng.Chance(0.4);
            var parentAge = Math.Min(headAge + rng.Next(22, 38), 97);
            var parentName = parentMale
                ? ParentNamed(ref rng, ethnicity, headFatherGiven, clan, surname, state.Name)
                : NameFor(ref rng, ethnicity, false, FatherGiven(ref rng, ethnicity), (clan + 3) % Names.ChineseSurnameClans.Length,
                    ethnicity == Ethnicity.Chinese ? rng.Pick(Names.ChineseSurnameClans[(clan + 3) % Names.ChineseSurnameClans.Length]) : surname, null, state.Name);
            var parent = NewPerson(ref rng, household, Role.Parent, parentMale, ethnicity, Snapshot.AddYears(-parentAge).AddDays(-rng.Next(365)), state.Name, parentName);
            household.Members.Add(parent);
            if (parentMale)
            {
                head.FatherId = parent.Id;
            }
            else
            {
                head.MotherId = parent.Id;
            }
        }

        if (size >= 3 && household.Members.Count < size && rng.Chance(0.05))
        {
            var male = rng.Chance(0.5);
            household.Members.Add(NewPerson(ref rng, household, Role.Other, male, ethnicity, Snapshot.AddYears(-rng.Next(16, 70)).AddDays(-rng.Next(365)),
                state.Name, NameFor(ref rng, ethnicity, male, FatherGiven(ref rng, ethnicity), rng.Next(Names.ChineseSurnameClans.Length), null, null, state.Name)));
        }

        AddChildren(ref rng, household, size, head, spouse, ethnicity, state.Name);
        AssignDeaths(ref rng, household);
        AssignAgencyPresence(ref rng, household);
        return household;
    }

    void AddChildren(ref Rng rng, Household household, int size, Person head, Person? spouse, Ethnicity ethnicity, string state)
    {
        var mother = head.Male ? spouse : head;
        var father = head.Male ? head : spouse;
        var motherAge = mother?.AgeOn(Snapshot) ?? head.AgeOn(Snapshot);
        var fatherGiven = father is not null ? Names.PatronymOf(father.Name) : FatherGiven(ref rng, ethnicity);
        var familyClan = father?.Name.SurnameClan ?? head.Name.SurnameClan;
        var familySurname = father?.Name.Surname ?? head.Name.Surname;
        var generation = ethnicity == Ethnicity.Chinese && rng.Chance(0.6) ? rng.Pick(Names.ChineseSyllables) : null;
        Person? previous = null;
        while (household.Members.Count < size)
        {
            // Children are born when their mother is 19 to 42; a twin shares the previous child's birthday.
            var twin = previous is not null && rng.Chance(_settings.Twins);
            DateOnly dob;
            if (twin)
            {
                dob = previous!.DateOfBirth;
            }
            else
            {
                var ageAtBirth = rng.Next(19, 43);
                var childAge = motherAge - ageAtBirth;
                if (childAge < 0)
                {
                    childAge = rng.Next(0, Math.Max(1, motherAge - 18));
                }
                dob = Snapshot.AddYears(-childAge).AddDays(-rng.Next(365));
                if (dob > Snapshot)
                {
                    dob = Snapshot.AddDays(-rng.Next(1, 300));
                }
            }
            var male = rng.Chance(0.51);
            var name = NameFor(ref rng, ethnicity, male, fatherGiven, familyClan, familySurname, generation, state);
            // Parents do not give twins one name; the default profile, kept as it was, sometimes did.
            for (var tries = 0; twin && _settings.TwinsNamedApart > 0 && name.Given == previous!.Name.Given && tries < 20; tries++)
            {
                name = NameFor(ref rng, ethnicity, male, fatherGiven, familyClan, familySurname, generation, state);
            }
            var child = NewPerson(ref rng, household, Role.Child, male, ethnicity, dob, state, name, twinOf: twin ? previous : null);
            child.FatherId = father?.Id;
            child.MotherId = mother?.Id;
            household.Members.Add(child);
            if (twin)
            {
                _hardNegatives.Add(new HardNegative(previous!.Id, child.Id, "twin"));
            }
            else if (previous is not null && generation is not null)
            {
                _hardNegatives.Add(new HardNegative(previous.Id, child.Id, "sibling_lookalike"));
            }
            previous = child;
        }
    }

    void AssignDeaths(ref Rng rng, Household household)
    {
        foreach (var person in household.Members)
        {
            var age = person.AgeOn(Snapshot);
            var p = age >= 75 ? 0.08 : age >= 60 ? 0.03 : 0.002;
            if (rng.Chance(p))
            {
                person.DiedOn = Snapshot.AddDays(-rng.Next(1, 3 * 365));
                if (person.DiedOn < person.DateOfBirth)
                {
                    person.DiedOn = null;
                }
            }
        }
    }

    /// <summary>Who appears in which agency: taxpayers, pension-fund members, welfare households, utility accounts.</summary>
    void AssignAgencyPresence(ref Rng rng, Household household)
    {
        foreach (var person in household.Members)
        {
            var taxable = person.MonthlyIncome >= 2_900 || (person.MonthlyIncome > 0 && rng.Chance(0.25));
            if (taxable)
            {
                person.TaxNumber = $"IG{++_taxNumbers + 20_000_000_000L:D11}";
            }
            if (person.Sector == "private" || (person.MonthlyIncome == 0 && person.AgeOn(Snapshot) is > 30 and < 70 && rng.Chance(0.25)))
            {
                // Former private-sector workers keep their pension-fund account after they stop working.
                person.EpfNumber = $"{++_epfNumbers + 10_000_000:D8}";
            }
        }
        var income = household.MonthlyIncome;
        if (income <= 5_858 && rng.Chance(income < 2_500 ? 0.6 : 0.3))
        {
            household.WelfareRef = $"JKM{household.Id[1..]}";
        }
        var adults = household.Members.Where(m => m.AgeOn(Snapshot) >= 18 && m.IsAlive).ToList();
        if (adults.Count == 0)
        {
            return;
        }
        var holder = rng.Chance(0.8) || adults.Count == 1 ? adults[0] : adults[rng.Next(1, adults.Count)];
        var opened = Snapshot.AddDays(-rng.Next(30, 20 * 365));
        if (household.MovedOn is { } moved)
        {
            opened = moved.AddDays(rng.Next(0, 30));
            if (rng.Chance(0.3))
            {
                // The account at the old place was never closed: a stale address under a real name.
                household.Accounts.Add(new UtilityAccount
                {
                    AccountNo = NextAccount(),
                    Holder = holder,
                    Premises = household.PreviousAddress!,
                    OpenedOn = moved.AddDays(-rng.Next(400, 4000)),
                    Phone = holder.Phone
                });
            }
        }
        household.Accounts.Add(new UtilityAccount { AccountNo = NextAccount(), Holder = holder, Premises = household.Address, OpenedOn = opened, Phone = holder.Phone });
        if (rng.Chance(0.06))
        {
            var shop = Places.NewAddress(ref rng, Places.States.First(s => s.Name == household.Address.State));
            household.Accounts.Add(new UtilityAccount
            {
                AccountNo = NextAccount(),
                Holder = holder,
                Premises = shop,
                OpenedOn = Snapshot.AddDays(-rng.Next(30, 5000)),
                Phone = holder.Phone
            });
        }
    }

    /// <summary>A baby born during the delta period: registered with JPN at once, named after its father.</summary>
    public Person Birth(ref Rng rng, Household household, Person mother, DateOnly day)
    {
        var father = mother.SpouseId is null ? null : household.Members.FirstOrDefault(m => m.Id == mother.SpouseId);
        var male = rng.Chance(0.51);
        var fatherGiven = father is not null ? Names.PatronymOf(father.Name) : FatherGiven(ref rng, mother.Ethnicity);
        var clan = father?.Name.SurnameClan ?? mother.Name.SurnameClan;
        var name = NameFor(ref rng, mother.Ethnicity, male, fatherGiven, Math.Max(clan, 0), father?.Name.Surname ?? mother.Name.Surname, null,
            household.Address.State);
        var baby = NewPerson(ref rng, household, Role.Child, male, mother.Ethnicity, day, household.Address.State, name);
        baby.MotherId = mother.Id;
        baby.FatherId = father?.Id;
        return baby;
    }

    /// <summary>A spouse from abroad who joins the household on marriage: a new permanent resident.</summary>
    public Person ForeignSpouse(ref Rng rng, Household household, Person partner, DateOnly day)
    {
        var male = !partner.Male;
        var age = Math.Clamp(partner.AgeOn(day) + rng.Next(-5, 6), 20, 60);
        var name = NameFor(ref rng, partner.Ethnicity, male, FatherGiven(ref rng, partner.Ethnicity), rng.Next(Names.ChineseSurnameClans.Length),
            null, null, household.Address.State);
        var role = partner.Role == Role.Head ? Role.Spouse : Role.Other;
        return NewPerson(ref rng, household, role, male, partner.Ethnicity, day.AddYears(-age).AddDays(-rng.Next(365)), household.Address.State, name,
            citizen: false);
    }

    public string NextAccount() => $"2{++_accounts + 20_000_000_000L:D11}";

    Person NewPerson(ref Rng rng, Household household, Role role, bool male, Ethnicity ethnicity, DateOnly dob, string state,
        PersonName name, bool citizen = true, Person? twinOf = null)
    {
        var age = Math.Max(0, Snapshot.Year - dob.Year);
        var id = $"P{++_people:D9}";
        var myKad = twinOf is not null
            ? (_settings.TwinSerialInSequence > 0 && rng.Chance(_settings.TwinSerialInSequence) ? NextSerial(twinOf.MyKad, male) : null)
                ?? UniqueMyKad(ref rng, dob, int.Parse(twinOf.MyKad.AsSpan(6, 2), CultureInfo.InvariantCulture), male)
            : UniqueMyKad(ref rng, dob, citizen ? (rng.Chance(0.85) ? Places.PlaceOfBirthCode(ref rng, state) : Places.PlaceOfBirthCode(ref rng, Places.PickState(ref rng).Name))
                : rng.Pick(s_foreignCodes), male);

        string? oldIc = null;
        if (dob.Year < 1976 && rng.Chance(0.7))
        {
            oldIc = dob.Year < 1960 ? $"{rng.Next(1_000_000, 9_999_999)}" : $"{"AHK"[rng.Next(3)]}{rng.Next(1_000_000, 9_999_999)}";
        }
        string? serviceKind = null, serviceNumber = null;
        if (age is >= 20 and <= 58 && rng.Chance(male ? 0.03 : 0.005))
        {
            serviceKind = rng.Chance(0.55) ? "ARMY" : "POLICE";
            serviceNumber = serviceKind == "ARMY" ? $"T{rng.Next(1_000_000, 9_999_999)}" : $"RF{rng.Next(100_000, 999_999)}";
        }
        var (income, employer, sector) = Work(ref rng, age, male, serviceKind);
        var person = new Person
        {
            Id = id,
            HouseholdId = household.Id,
            Role = role,
            Male = male,
            Ethnicity = ethnicity,
            Name = name,
            DateOfBirth = dob,
            MyKad = myKad,
            Citizen = citizen,
            OldIc = oldIc,
            ServiceKind = serviceKind,
            ServiceNumber = serviceNumber,
            BirthCertificate = age < 18 ? $"{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}{rng.Next(100_000, 999_999)}" : null,
            Passport = !citizen || (age >= 18 && rng.Chance(0.3)) ? $"A{rng.Next(10_000_000, 99_999_999)}" : null,
            MonthlyIncome = income,
            Employer = employer,
            Sector = sector,
            Phone = age >= 15 && rng.Chance(0.9) ? $"01{rng.Next(0, 10)}{rng.Next(1_000_000, 9_999_999)}" : null,
        };
        TrackNamesake(person);
        return person;
    }

    static readonly int[] s_foreignCodes = [60, 61, 62, 63, 64, 65, 66, 67, 68, 71, 74, 75];

    /// <summary>The twin's MyKad: the serial after the other twin's with this one's sex (the last digit odd for a man); null when taken.</summary>
    string? NextSerial(string twinMyKad, bool male)
    {
        var serial = int.Parse(twinMyKad.AsSpan(8, 4), CultureInfo.InvariantCulture);
        for (var next = serial + 1; next < 10_000; next++)
        {
            if (next % 2 == (male ? 1 : 0))
            {
                var number = twinMyKad[..8] + next.ToString("D4", CultureInfo.InvariantCulture);
                return _myKads.Add(long.Parse(number, CultureInfo.InvariantCulture)) ? number : null;
            }
        }
        return null;
    }

    string UniqueMyKad(ref Rng rng, DateOnly dob, int placeOfBirthCode, bool male)
    {
        while (true)
        {
            var number = MyKad.Compose(dob, placeOfBirthCode, rng.Next(0, 10_000), male);
            if (_myKads.Add(long.Parse(number, CultureInfo.InvariantCulture)))
            {
                return number;
            }
        }
    }

    // Calibrated so household income groups come out near DOSM's 40/40/20 split (see the generator test).
    const double WageMedian = 4_300;
    const double WageSpread = 0.5;

    (int Income, string? Employer, string? Sector) Work(ref Rng rng, int age, bool male, string? serviceKind)
    {
        if (serviceKind is not null)
        {
            return ((int)(2_800 * Math.Exp(0.35 * rng.NextGaussian())), serviceKind == "ARMY" ? "ANGKATAN TENTERA MALAYSIA" : "POLIS DIRAJA MALAYSIA", "public");
        }
        var employed = age switch
        {
            < 18 => false,
            < 23 => rng.Chance(0.35),
            < 60 => rng.Chance(male ? 0.83 : 0.58),
            < 70 => rng.Chance(0.2),
            _ => false,
        };
        if (!employed)
        {
            // Retired civil servants draw a pension; income tables count it, agencies other than tax do not see it.
            return age >= 60 && rng.Chance(0.6) ? ((int)Math.Round(2_000 * Math.Exp(0.4 * rng.NextGaussian()) / 10) * 10, null, "pension") : (0, null, null);
        }
        // Earnings rise to a peak in the late forties; the spread is wide (a lognormal).
        var ageFactor = age < 30 ? 0.75 : age < 40 ? 1.0 : age < 55 ? 1.2 : 1.0;
        var income = (int)Math.Round(WageMedian * ageFactor * Math.Exp(WageSpread * rng.NextGaussian()) / 10) * 10;
        income = Math.Max(income, 1_200);
        var r = rng.NextDouble();
        if (r < 0.15)
        {
            return (income, rng.Pick(s_publicEmployers), "public");
        }
        if (r < 0.30)
        {
            return (income, null, "self");
        }
        return (income, $"{rng.Pick(s_companyWords)} {rng.Pick(s_companyWords)} SDN BHD", "private");
    }

    static Ethnicity PickEthnicity(ref Rng rng, string state)
    {
        double[] weights = state switch
        {
            "SABAH" or "SARAWAK" => [0.17, 0.22, 0.01, 0.57, 0.03],
            "KELANTAN" or "TERENGGANU" => [0.93, 0.04, 0.02, 0.0, 0.01],
            "PULAU PINANG" => [0.42, 0.42, 0.14, 0.0, 0.02],
            "WP KUALA LUMPUR" => [0.47, 0.39, 0.12, 0.0, 0.02],
            "SELANGOR" => [0.57, 0.28, 0.13, 0.0, 0.02],
            _ => [0.66, 0.22, 0.09, 0.01, 0.02],
        };
        return (Ethnicity)rng.PickWeighted(weights);
    }

    static string FatherGiven(ref Rng rng, Ethnicity ethnicity) => ethnicity switch
    {
        Ethnicity.Malay => rng.Chance(0.3) ? $"ABDUL {rng.Pick(Names.AbdulSuffix)}" : rng.Chance(0.3) ? $"MOHD {rng.Pick(Names.MalayMale)}" : rng.Pick(Names.MalayMale),
        Ethnicity.Indian => rng.Pick(Names.IndianMale),
        Ethnicity.SabahSarawak => rng.Pick(Names.EastMalaysianMale),
        _ => rng.Pick(Names.MalayMale),
    };

    static PersonName NameFor(ref Rng rng, Ethnicity ethnicity, bool male, string fatherGiven, int clan, string? surname, string? generation, string state)
    {
        if (rng.Chance(0.01))
        {
            // A handful of names are so common that unrelated people share them exactly.
            var common = Names.VeryCommon.Where(n => n.Connector is null || (n.Connector is "BIN" or "A/L") == male).ToArray();
            var pick = rng.Pick(common);
            var fits = ethnicity switch
            {
                Ethnicity.Malay => pick.Connector is "BIN" or "BINTI",
                Ethnicity.Chinese => pick.Connector is null,
                Ethnicity.Indian => pick.Connector is "A/L",
                _ => false,
            };
            if (fits)
            {
                return pick;
            }
        }
        return ethnicity switch
        {
            Ethnicity.Malay => Names.ForMalay(ref rng, male, fatherGiven),
            Ethnicity.Chinese => Names.ForChinese(ref rng, clan, surname ?? rng.Pick(Names.ChineseSurnameClans[clan]), generation),
            Ethnicity.Indian => Names.ForIndian(ref rng, male, fatherGiven, surname),
            Ethnicity.SabahSarawak => Names.ForEastMalaysian(ref rng, male, fatherGiven, state == "SARAWAK"),
            _ => Names.ForOther(ref rng, surname ?? rng.Pick(Names.OtherSurnames)),
        };
    }

    /// <summary>The head's father, living in: his personal name is what the head carries after BIN/A/L/ANAK.</summary>
    static PersonName ParentNamed(ref Rng rng, Ethnicity ethnicity, string headFatherGiven, int clan, string? surname, string state)
    {
        var name = NameFor(ref rng, ethnicity, true, FatherGiven(ref rng, ethnicity), clan, surname, null, state);
        return name.Connector is not null ? name with { Given = headFatherGiven } : name;
    }

    void TrackNamesake(Person person)
    {
        if (!Names.VeryCommon.Contains(person.Name))
        {
            return;
        }
        var full = person.Name.Full;
        if (_lastNamesake.TryGetValue(full, out var previous))
        {
            _hardNegatives.Add(new HardNegative(previous, person.Id, "namesake"));
        }
        _lastNamesake[full] = person.Id;
    }
}
