namespace PaduHub.Samples.Agencies;

/// <summary>
/// Jabatan Pendaftaran Negara (National Registration Department): identity, address, family links and deaths for
/// every citizen and permanent resident. Authoritative for name, date of birth, sex and MyKad. Malay headers,
/// upper case, dates as yyyyMMdd, UTF-8, comma-separated.
/// </summary>
public sealed class Jpn : Agency
{
    public override string Code => "JPN";
    public override string FileStem => "jpn";
    public override System.Text.Encoding Encoding => Utf8;
    public override bool Authoritative => true;

    public override string[] Header =>
    [
        "NO_KP", "NO_KP_LAMA", "NAMA", "JANTINA", "TARIKH_LAHIR", "KOD_NEGERI_LAHIR", "WARGANEGARA", "ALAMAT_1", "ALAMAT_2",
        "POSKOD", "BANDAR", "NEGERI", "STATUS_KAHWIN", "NO_KP_PASANGAN", "NO_KP_BAPA", "NO_KP_IBU", "TARIKH_MATI",
    ];

    public override IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view) =>
        household.Members.Select(p => new AgencyRecord(p.MyKad, p, view(p)));

    public override string?[] Render(AgencyRecord record, Household household)
    {
        var p = record.Person;
        var a = household.Address;
        var spouse = p.SpouseId is null ? null : household.Members.FirstOrDefault(m => m.Id == p.SpouseId);
        var marital = spouse is null ? "BUJANG" : spouse.IsAlive ? "BERKAHWIN" : p.Male ? "DUDA" : "BALU";
        string? Kad(string? id) => id is null ? null : household.Members.FirstOrDefault(m => m.Id == id)?.MyKad;
        return
        [
            p.MyKad, p.OldIc, p.Name.Full, p.Male ? "L" : "P", Date(p.DateOfBirth, "yyyyMMdd"), p.MyKad[6..8], p.Citizen ? "W" : "PR",
            string.Join(", ", new[] { a.Unit, a.Street }.Where(x => x.Length > 0)), a.Area, a.Postcode, a.Town, a.State, marital,
            spouse?.MyKad, Kad(p.FatherId), Kad(p.MotherId), Date(p.DiedOn, "yyyyMMdd"),
        ];
    }
}
