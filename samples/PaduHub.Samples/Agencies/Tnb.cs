namespace PaduHub.Samples.Agencies;

/// <summary>
/// Tenaga Nasional Berhad (electricity utility): accounts with holder, premises address and phone. Authoritative for
/// nothing about the person, but often the freshest address and phone. Comma-separated with every field quoted,
/// Windows-1252, CRLF line endings, title case with stray spaces, state spelled many ways, dates yyyy-MM-dd.
/// </summary>
public sealed class Tnb : Agency
{
    public override string Code => "TNB";
    public override string FileStem => "tnb";
    public override System.Text.Encoding Encoding => Windows1252;
    public override string NewLine => "\r\n";
    public override bool QuoteAll => true;
    public override bool PrintsOneLineAddress => true;

    public override string[] Header =>
        ["Account No", "Account Holder", "ID No", "Premise Address", "Postcode", "City", "State", "Phone", "Account Opened", "Account Status"];

    public override IEnumerable<AgencyRecord> RecordsOf(Household household, Func<Person, AgencyView> view) =>
        household.Accounts.Where(a => a.Active).Select(a => new AgencyRecord(a.AccountNo, a.Holder, view(a.Holder), a));

    public override string?[] Render(AgencyRecord record, Household household)
    {
        var account = (UtilityAccount)record.Detail!;
        var v = record.View;
        var premises = v.AbbreviatedAddress ? Noise.Abbreviate(account.Premises) : account.Premises;
        var state = Places.States.First(s => s.Name == premises.State).Spellings;
        var name = Noise.TitleCase(v.Name).Replace("'", "\u2019", StringComparison.Ordinal);
        if (v.Style % 5 == 0)
        {
            name = "  " + name.Replace(" ", "  ", StringComparison.Ordinal) + " ";
        }
        var id = v.IdNumber.Length == 12 && v.Style % 4 == 1 ? $"{v.IdNumber[..6]} {v.IdNumber[6..8]} {v.IdNumber[8..]}" : v.IdNumber;
        var phone = account.Phone ?? v.Phone;
        if (v.Noise.Contains("shared_phone"))
        {
            phone = v.Phone;
        }
        var (address, postcode, town, stateSpelled) =
            (Noise.TitleCase(OneLine(premises)), premises.Postcode, Noise.TitleCase(premises.Town), state[v.Style % state.Length]);
        if (v.OneLineAddress)
        {
            (address, postcode, town, stateSpelled) = ($"{address}, {postcode} {town}, {stateSpelled}", "", "", "");
        }
        return
        [
            record.Key, name, id, address, postcode, town, stateSpelled,
            phone is null ? "" : v.Style % 2 == 0 ? $"{phone[..3]}-{phone[3..]}" : phone, Date(account.OpenedOn, "yyyy-MM-dd"), "ACTIVE",
        ];
    }
}
