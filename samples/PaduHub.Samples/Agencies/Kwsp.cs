namespace PaduHub.Samples.Agencies;

/// <summary>
/// Kumpulan Wang Simpanan Pekerja (EPF, the pension fund): members, employer and monthly wage. Authoritative for wage
/// and employer. Semicolon-separated, Windows-1252, upper case padded with trailing spaces, IC often printed with
/// dashes, dates dd-MM-yyyy.
/// </summary>
public sealed class Kwsp : Agency
{
    public override string Code => "KWSP";
    public override string FileStem => "kwsp";
    public override System.Text.Encoding Encoding => Windows1252;
    public override char Delimiter => ';';

    public override string[] Header =>
    [
        "MEMBER_NO", "IC_TYPE", "IC_NO", "MEMBER_NAME", "DATE_OF_BIRTH", "SEX", "EMPLOYER_NO", "EMPLOYER_NAME", "MONTHLY_WAGE",
        "LAST_CONTRIBUTION_MONTH",
    ];

    public override IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view) =>
        household.Members.Where(p => p.EpfNumber is not null && p.IsAlive).Select(p => new AgencyRecord(p.EpfNumber!, p, view(p)));

    public override string?[] Render(AgencyRecord record, Household household)
    {
        var p = record.Person;
        var v = record.View;
        var id = v.IdStatus is "valid" or "typo" or "transposed" && v.Style < 600 && v.IdNumber.Length == 12
            ? PaduHub.Identity.MyKad.Format(v.IdNumber)
            : v.IdNumber;
        var idType = v.IdStatus switch { "old_ic" => "K/P LAMA", "army" => "TENTERA", "police" => "POLIS", "passport" => "PASPORT", "missing" => "", _ => "K/P BARU" };
        var working = p.Sector == "private";
        var name = v.Style % 3 == 0 ? v.Name.PadRight(40) : v.Name;
        // Windows clerks type apostrophes as the curly one, which only survives in Windows-1252 as byte 0x92.
        name = name.Replace("'", "\u2019", StringComparison.Ordinal);
        var employerNo = p.Employer is null ? "" : $"E{Math.Abs(StableHash(p.Employer)) % 90_000_000 + 10_000_000}";
        return
        [
            record.Key, idType, id, name, Date(v.DateOfBirth, "dd-MM-yyyy"), p.Male ? "M" : "F", working ? employerNo : "",
            working ? p.Employer : "", working ? Money(p.MonthlyIncome) : "0.00", working ? "2026-10" : $"20{10 + v.Style % 15}-{1 + v.Style % 12:D2}",
        ];
    }

    static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text)
        {
            h = unchecked(h * 31 + c);
        }
        return h == int.MinValue ? 0 : h;
    }
}
