namespace PaduHub.Samples.Agencies;

/// <summary>
/// Lembaga Hasil Dalam Negeri (Inland Revenue Board): taxpayers and their annual income. Authoritative for income.
/// Pipe-separated .txt, lower-case English headers, title-case names, dates dd/MM/yyyy. Keeps whatever identity
/// document the taxpayer registered with: old IC, army or police number, passport.
/// </summary>
public sealed class Lhdn : Agency
{
    public override string Code => "LHDN";
    public override string FileStem => "lhdn";
    public override string Extension => "txt";
    public override System.Text.Encoding Encoding => Utf8;
    public override char Delimiter => '|';

    public override string[] Header =>
    [
        "tin", "id_type", "id_no", "taxpayer_name", "date_of_birth", "assessment_year", "employment_income", "other_income",
        "employer_name", "postcode",
    ];

    public override IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view) =>
        household.Members.Where(p => p.TaxNumber is not null && p.IsAlive).Select(p => new AgencyRecord(p.TaxNumber!, p, view(p)));

    public override string?[] Render(AgencyRecord record, Household household)
    {
        var p = record.Person;
        var v = record.View;
        var idType = v.IdStatus switch
        {
            "missing" => "",
            "old_ic" => "OLD_IC",
            "army" => "ARMY",
            "police" => "POLICE",
            "passport" => "PASSPORT",
            "birth_cert" => "BIRTH_CERT",
            _ => p.Citizen ? "NRIC" : "MYPR",
        };
        // Assessed income includes bonuses and allowances, so it rarely equals twelve times the pension-fund wage.
        var employment = p.MonthlyIncome * 12 * (1.0 + 0.25 * v.Factor);
        var other = v.Style % 7 == 0 ? 1_200 + v.Style * 10 : 0;
        return
        [
            record.Key, idType, v.IdNumber, Noise.TitleCase(v.Name), Date(v.DateOfBirth, "dd/MM/yyyy"), "2025", Money(employment), Money(other),
            p.Employer is null ? "" : Noise.TitleCase(p.Employer), v.AddressIn(household).Postcode,
        ];
    }
}
