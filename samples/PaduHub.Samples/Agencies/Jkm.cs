namespace PaduHub.Samples.Agencies;

/// <summary>
/// Jabatan Kebajikan Masyarakat (welfare department): registered poor households, their head and members with
/// relationship, self-declared income and a household phone. Authoritative for the welfare household reference.
/// Tab-separated, UTF-8 with a BOM, Malay headers, title-case names, dates d/M/yyyy; infants are often entered before
/// they are named (BABY BOY) and children by birth certificate.
/// </summary>
public sealed class Jkm : Agency
{
    public override string Code => "JKM";
    public override string FileStem => "jkm";
    public override string Extension => "tsv";
    public override System.Text.Encoding Encoding => Utf8WithBom;
    public override char Delimiter => '\t';
    public override bool InfantsUnnamed => true;

    public override string[] Header =>
    [
        "ID_ISI_RUMAH", "BIL", "NO_KP", "NAMA", "HUBUNGAN", "TARIKH_LAHIR", "JANTINA", "PENDAPATAN_BULANAN", "ALAMAT", "POSKOD",
        "DAERAH", "NEGERI", "NO_TEL",
    ];

    public override IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view)
    {
        if (household.WelfareRef is null)
        {
            yield break;
        }
        for (var i = 0; i < household.Members.Count; i++)
        {
            var p = household.Members[i];
            if (p.IsAlive)
            {
                yield return new AgencyRecord($"{household.WelfareRef}-{i + 1:D2}", p, view(p), i + 1);
            }
        }
    }

    public override string?[] Render(AgencyRecord record, Household household)
    {
        var p = record.Person;
        var v = record.View;
        var a = v.AddressIn(household);
        var relation = p.Role switch
        {
            Role.Head => "KETUA",
            Role.Spouse => p.Male ? "SUAMI" : "ISTERI",
            Role.Child => "ANAK",
            Role.Parent => p.Male ? "BAPA" : "IBU",
            _ => "LAIN-LAIN",
        };
        // Income as declared on the form: usually less than the tax and pension-fund records say.
        var declared = Math.Round(p.MonthlyIncome * (0.6 + 0.4 * v.Factor) / 10) * 10;
        var phone = household.Head.Phone ?? v.Phone;
        return
        [
            household.WelfareRef, Int((int)record.Detail!), v.IdNumber, Noise.TitleCase(v.Name), relation, Date(v.DateOfBirth, "d/M/yyyy"),
            p.Male ? "LELAKI" : "PEREMPUAN", Money(declared), OneLine(a), a.Postcode, a.District, a.State, phone,
        ];
    }
}
