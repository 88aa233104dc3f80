namespace PaduHub.Samples;

/// <summary>A post town with its district and a real postcode range (first and last, inclusive).</summary>
public sealed record Town(string Name, string District, int PostcodeFrom, int PostcodeTo);

public sealed record State(string Name, double PopulationShare, Town[] Towns)
{
    /// <summary>Agencies spell the state in their own ways.</summary>
    public string[] Spellings { get; init; } = [Name];
}

/// <summary>
/// A dwelling. Flats and longhouses carry a unit, which is exactly what makes unit-level addresses ambiguous
/// (PADU's under-registered areas were mostly flats, low-cost houses and longhouses).
/// </summary>
public sealed record Address(string Unit, string Street, string Area, string Postcode, string Town, string District, string State, string Kind);

/// <summary>States, towns and postcode ranges (docs/domain.md, addresses), and how addresses are written.</summary>
public static class Places
{
    public static readonly State[] States =
    [
        new("SELANGOR", 0.22, [
            new("SHAH ALAM", "PETALING", 40000, 40470), new("PETALING JAYA", "PETALING", 46000, 47400),
            new("KLANG", "KLANG", 41000, 41300), new("KAJANG", "HULU LANGAT", 43000, 43000), new("SUBANG JAYA", "PETALING", 47500, 47650),
            new("RAWANG", "GOMBAK", 48000, 48000), new("SERI KEMBANGAN", "PETALING", 43300, 43300), new("AMPANG", "HULU LANGAT", 68000, 68000),
            new("SEPANG", "SEPANG", 43900, 43900)]) { Spellings = ["SELANGOR", "SEL", "SELANGOR DARUL EHSAN"] },
        new("JOHOR", 0.12, [
            new("JOHOR BAHRU", "JOHOR BAHRU", 80000, 81300), new("BATU PAHAT", "BATU PAHAT", 83000, 83000), new("MUAR", "MUAR", 84000, 84000),
            new("KLUANG", "KLUANG", 86000, 86000), new("SEGAMAT", "SEGAMAT", 85000, 85000), new("PASIR GUDANG", "JOHOR BAHRU", 81700, 81700)])
            { Spellings = ["JOHOR", "JHR", "JOHOR DARUL TAKZIM"] },
        new("SABAH", 0.10, [
            new("KOTA KINABALU", "KOTA KINABALU", 88000, 88450), new("SANDAKAN", "SANDAKAN", 90000, 90000), new("TAWAU", "TAWAU", 91000, 91000),
            new("PENAMPANG", "PENAMPANG", 89500, 89500), new("KENINGAU", "KENINGAU", 89000, 89000)]) { Spellings = ["SABAH", "SBH"] },
        new("PERAK", 0.08, [
            new("IPOH", "KINTA", 30000, 31650), new("TAIPING", "LARUT MATANG", 34000, 34000), new("TELUK INTAN", "HILIR PERAK", 36000, 36000),
            new("SITIAWAN", "MANJUNG", 32000, 32000)]) { Spellings = ["PERAK", "PRK", "PERAK DARUL RIDZUAN"] },
        new("SARAWAK", 0.08, [
            new("KUCHING", "KUCHING", 93000, 93350), new("MIRI", "MIRI", 98000, 98000), new("SIBU", "SIBU", 96000, 96000),
            new("BINTULU", "BINTULU", 97000, 97000), new("KAPIT", "KAPIT", 96800, 96800), new("SRI AMAN", "SRI AMAN", 95000, 95000)])
            { Spellings = ["SARAWAK", "SWK"] },
        new("WP KUALA LUMPUR", 0.06, [new("KUALA LUMPUR", "KUALA LUMPUR", 50000, 60000)])
            { Spellings = ["WP KUALA LUMPUR", "KUALA LUMPUR", "W.P. KUALA LUMPUR", "KL"] },
        new("KEDAH", 0.06, [
            new("ALOR SETAR", "KOTA SETAR", 5000, 6250), new("SUNGAI PETANI", "KUALA MUDA", 8000, 8000), new("KULIM", "KULIM", 9000, 9000),
            new("LANGKAWI", "LANGKAWI", 7000, 7000)]) { Spellings = ["KEDAH", "KDH", "KEDAH DARUL AMAN"] },
        new("KELANTAN", 0.055, [
            new("KOTA BHARU", "KOTA BHARU", 15000, 16100), new("PASIR MAS", "PASIR MAS", 17000, 17000), new("TANAH MERAH", "TANAH MERAH", 17500, 17500)])
            { Spellings = ["KELANTAN", "KTN", "KELANTAN DARUL NAIM"] },
        new("PULAU PINANG", 0.055, [
            new("GEORGE TOWN", "TIMUR LAUT", 10000, 10470), new("BAYAN LEPAS", "BARAT DAYA", 11900, 11900),
            new("BUTTERWORTH", "SEBERANG PERAI UTARA", 12000, 12300), new("BUKIT MERTAJAM", "SEBERANG PERAI TENGAH", 14000, 14000)])
            { Spellings = ["PULAU PINANG", "PENANG", "P. PINANG", "PG"] },
        new("PAHANG", 0.05, [
            new("KUANTAN", "KUANTAN", 25000, 26100), new("TEMERLOH", "TEMERLOH", 28000, 28000), new("BENTONG", "BENTONG", 28700, 28700),
            new("RAUB", "RAUB", 27600, 27600)]) { Spellings = ["PAHANG", "PHG", "PAHANG DARUL MAKMUR"] },
        new("TERENGGANU", 0.04, [
            new("KUALA TERENGGANU", "KUALA TERENGGANU", 20000, 21300), new("KEMAMAN", "KEMAMAN", 24000, 24000), new("DUNGUN", "DUNGUN", 23000, 23000)])
            { Spellings = ["TERENGGANU", "TRG", "TERENGGANU DARUL IMAN"] },
        new("NEGERI SEMBILAN", 0.035, [
            new("SEREMBAN", "SEREMBAN", 70000, 71450), new("PORT DICKSON", "PORT DICKSON", 71000, 71000), new("NILAI", "SEREMBAN", 71800, 71800)])
            { Spellings = ["NEGERI SEMBILAN", "N. SEMBILAN", "NSN"] },
        new("MELAKA", 0.03, [
            new("MELAKA", "MELAKA TENGAH", 75000, 75460), new("ALOR GAJAH", "ALOR GAJAH", 78000, 78000), new("JASIN", "JASIN", 77000, 77000)])
            { Spellings = ["MELAKA", "MALACCA", "MLK"] },
        new("PERLIS", 0.008, [new("KANGAR", "PERLIS", 1000, 1000), new("ARAU", "PERLIS", 2600, 2600)]) { Spellings = ["PERLIS", "PLS"] },
        new("WP LABUAN", 0.003, [new("LABUAN", "LABUAN", 87000, 87033)]) { Spellings = ["WP LABUAN", "LABUAN"] },
        new("WP PUTRAJAYA", 0.004, [new("PUTRAJAYA", "PUTRAJAYA", 62000, 62988)]) { Spellings = ["WP PUTRAJAYA", "PUTRAJAYA"] },
    ];

    static readonly double[] s_stateWeights = States.Select(s => s.PopulationShare).ToArray();

    public static readonly string[] StreetNames =
    [
        "MERDEKA", "BUNGA RAYA", "MELATI", "CEMPAKA", "SEROJA", "KENANGA", "MAWAR", "DAHLIA", "TERATAI", "SETIA", "DAMAI",
        "HARMONI", "MUTIARA", "PERMAI", "INDAH", "JAYA", "BAHAGIA", "SENTOSA", "SRI MURNI", "TUN RAZAK", "SULTAN ISMAIL",
        "AMPANG", "KUCHING", "PAHANG", "IPOH", "KELANG LAMA", "PUCHONG", "BUKIT BINTANG", "MAHSURI", "CENDANA", "BAKAWALI",
        "KASTURI", "DELIMA", "NILAM", "ZAMRUD", "INTAN", "SAGA", "MERANTI", "JATI", "BELIAN", "RAMBAI", "DURIAN", "MANGGIS",
    ];

    public static readonly string[] AreaNames =
    [
        "SRI ANDALAS", "DESA JAYA", "BUKIT INDAH", "SERI MUDA", "MUTIARA RINI", "PELANGI", "UNIVERSITI", "BANDAR BARU",
        "SRI GOMBAK", "DESA PERMAI", "PERMATA", "SETIA ALAM", "SRI RAMPAI", "MEGAH", "SERI PUTERI", "AIR HITAM", "SEJAHTERA",
    ];

    static readonly string[] s_rivers = ["SUNGAI ENTABAI", "NANGA ENTALAU", "SUNGAI BAYOR", "NANGA SKRANG", "SUNGAI LEMANAK"];

    public static State PickState(ref Rng rng) => States[rng.PickWeighted(s_stateWeights)];

    public static Address NewAddress(ref Rng rng, State state)
    {
        var town = rng.Pick(state.Towns);
        var postcode = (town.PostcodeFrom + rng.Next(0, (town.PostcodeTo - town.PostcodeFrom) / 10 + 1) * 10).ToString("00000", System.Globalization.CultureInfo.InvariantCulture);
        var r = rng.NextDouble();
        var eastRural = state.Name is "SARAWAK" or "SABAH" && r < 0.12;
        if (eastRural && state.Name == "SARAWAK")
        {
            // A longhouse: one street address, many doors (bilik).
            return new Address($"BILIK {rng.Next(1, 40)}", $"RUMAH {rng.Pick(Names.EastMalaysianMale)}", rng.Pick(s_rivers), postcode, town.Name, town.District, state.Name, "longhouse");
        }
        if (r < 0.25)
        {
            var block = (char)('A' + rng.Next(0, 8));
            var kind = rng.Chance(0.5) ? "PANGSAPURI" : "PPR";
            return new Address($"{block}-{rng.Next(1, 18)}-{rng.Next(1, 16)}", $"BLOK {block}, {kind} {rng.Pick(AreaNames)}", $"JALAN {rng.Pick(StreetNames)}",
                postcode, town.Name, town.District, state.Name, "flat");
        }
        if (r < 0.40)
        {
            return new Address($"LOT {rng.Next(1, 3000)}", $"KAMPUNG {rng.Pick(StreetNames)}", "", postcode, town.Name, town.District, state.Name, "kampung");
        }
        return new Address($"NO {rng.Next(1, 250)}", $"JALAN {rng.Pick(StreetNames)} {rng.Next(1, 30)}", $"TAMAN {rng.Pick(AreaNames)}",
            postcode, town.Name, town.District, state.Name, "house");
    }

    public static int PlaceOfBirthCode(ref Rng rng, string stateName)
    {
        var codes = PaduHub.Identity.MyKad.StateCodes[stateName];
        // The primary code dominates; the additional codes were opened as the primary ones filled up.
        return rng.Chance(0.7) ? codes[0] : rng.Pick(codes);
    }
}
