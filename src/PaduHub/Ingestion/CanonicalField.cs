namespace PaduHub.Ingestion;

/// <summary>
/// The fields every agency's columns map onto. The order is the order of the staging table's columns and of
/// source_record_version's; adding one means a migration and an entry here.
/// </summary>
public sealed record CanonicalField(string Name, FieldType Type)
{
    public static readonly CanonicalField[] All =
    [
        new("id_type", FieldType.Text), new("id_number", FieldType.Text), new("old_id_number", FieldType.Text),
        new("full_name", FieldType.Text), new("sex", FieldType.Text), new("date_of_birth", FieldType.Date),
        new("citizenship", FieldType.Text), new("address", FieldType.Text), new("postcode", FieldType.Text),
        new("town", FieldType.Text), new("district", FieldType.Text), new("state", FieldType.Text), new("phone", FieldType.Text),
        new("marital_status", FieldType.Text), new("spouse_id_number", FieldType.Text), new("father_id_number", FieldType.Text),
        new("mother_id_number", FieldType.Text), new("death_date", FieldType.Date), new("household_ref", FieldType.Text),
        new("member_no", FieldType.Text), new("relationship", FieldType.Text), new("monthly_income", FieldType.Money),
        new("annual_income", FieldType.Money), new("other_income", FieldType.Money), new("employer", FieldType.Text),
        new("employer_no", FieldType.Text), new("account_opened", FieldType.Date),
    ];

    static readonly Dictionary<string, int> s_index = All.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    public static int IndexOf(string name) => s_index.TryGetValue(name, out var i) ? i : -1;

    public static readonly int IdType = IndexOf("id_type");
    public static readonly int IdNumber = IndexOf("id_number");

    /// <summary>The identity document kinds the hub knows; agencies' own codes map onto these in their contracts.</summary>
    public static readonly string[] IdTypes = ["MYKAD", "MYPR", "OLD_IC", "ARMY", "POLICE", "PASSPORT", "BIRTH_CERT", "OTHER"];
}
