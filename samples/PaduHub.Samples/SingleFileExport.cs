using System.Globalization;
using System.Text;

namespace PaduHub.Samples;

/// <summary>
/// A generated population's five full extracts as one CSV, the way a record set for <c>padu match-csv</c> is usually
/// handed over: a row per agency record with its values as the agency wrote them (dates made ISO), a schema naming
/// each column's role, and the truth (record, person, the record's id status and noise). Duplicate rows an agency sent
/// keep their key with "~1", "~2" after it, since match-csv wants ids unique.
/// </summary>
public static class SingleFileExport
{
    public const string Header = "record_id,agency,ic,old_ic,name,dob,sex,address,postcode,town,state,phone";

    public const string Schema = """
        { "delimiter": ",", "columns": { "record_id": "id", "agency": "ignore", "ic": "mykad", "old_ic": "old_ic", "name": "full_name",
          "dob": "date_of_birth", "sex": "sex", "address": "address", "postcode": "postcode", "town": "city", "state": "state", "phone": "phone" } }
        """;

    sealed record Layout(string File, char Delimiter, Encoding Encoding, Func<Dictionary<string, string>, string[]> Row);

    static string Iso(string value, string format) =>
        DateOnly.TryParseExact(value.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : value;

    static readonly Encoding s_windows1252 = CodePagesEncoding();

    static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    /// <summary>Each agency's columns onto the common ones: agency, key, ic, old ic, name, dob, sex, address, postcode, town, state, phone.</summary>
    static readonly Layout[] s_layouts =
    [
        new("jpn_full.csv", ',', Encoding.UTF8, r => ["JPN", r["NO_KP"], r["NO_KP"], r["NO_KP_LAMA"], r["NAMA"], Iso(r["TARIKH_LAHIR"], "yyyyMMdd"), r["JANTINA"],
            $"{r["ALAMAT_1"]} {r["ALAMAT_2"]}".Trim(), r["POSKOD"], r["BANDAR"], r["NEGERI"], ""]),
        new("kwsp_full.csv", ';', s_windows1252, r => ["KWSP", r["MEMBER_NO"], r["IC_NO"], "", r["MEMBER_NAME"], Iso(r["DATE_OF_BIRTH"], "dd-MM-yyyy"), r["SEX"],
            "", "", "", "", ""]),
        new("tnb_full.csv", ',', s_windows1252, r => ["TNB", r["Account No"], r["ID No"], "", r["Account Holder"], "", "", r["Premise Address"], r["Postcode"],
            r["City"], r["State"], r["Phone"]]),
        new("jkm_full.tsv", '\t', Encoding.UTF8, r => ["JKM", $"{r["ID_ISI_RUMAH"]}-{r["BIL"].PadLeft(2, '0')}", r["NO_KP"], "", r["NAMA"], Iso(r["TARIKH_LAHIR"], "d/M/yyyy"),
            r["JANTINA"], r["ALAMAT"], r["POSKOD"], r["DAERAH"], r["NEGERI"], r["NO_TEL"]]),
        new("lhdn_full.txt", '|', Encoding.UTF8, r => ["LHDN", r["tin"], r["id_no"], "", r["taxpayer_name"], Iso(r["date_of_birth"], "dd/MM/yyyy"), "", "", r["postcode"],
            "", "", ""]),
    ];

    /// <summary>Writes records.csv, schema.json and truth.csv into <paramref name="outFolder"/>; returns the number of records.</summary>
    public static int Write(string populationFolder, string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var truth = ReadTruth(populationFolder);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        using var records = new StreamWriter(Path.Combine(outFolder, "records.csv"), false, new UTF8Encoding(false));
        using var truthOut = new StreamWriter(Path.Combine(outFolder, "truth.csv"), false, new UTF8Encoding(false));
        records.WriteLine(Header);
        truthOut.WriteLine("record_id,entity_id,id_status,noise");
        var count = 0;
        foreach (var layout in s_layouts)
        {
            var line = 1;
            foreach (var row in Rows(Path.Combine(populationFolder, "extracts", layout.File), layout.Delimiter, layout.Encoding))
            {
                line++;
                var values = layout.Row(row);
                var id = SourceRecordTruth.HubName(values[0], values[1]);
                var repeat = seen.GetValueOrDefault(id);
                seen[id] = repeat + 1;
                var recordId = repeat == 0 ? id : $"{id}~{repeat}";
                var (person, status, noise) = truth[($"extracts/{layout.File}", line)];
                records.WriteLine(string.Join(',', new[] { recordId, values[0] }.Concat(values[2..]).Select(Csv)));
                truthOut.WriteLine(string.Join(',', new[] { recordId, person, status, noise }.Select(Csv)));
                count++;
            }
        }
        File.WriteAllText(Path.Combine(outFolder, "schema.json"), Schema);
        return count;
    }

    static Dictionary<(string File, int Line), (string Person, string Status, string Noise)> ReadTruth(string populationFolder)
    {
        var map = new Dictionary<(string, int), (string, string, string)>();
        using var reader = new StreamReader(Path.Combine(populationFolder, "truth", "source_records.csv"));
        var header = reader.ReadLine()!.Split(',');
        int file = Array.IndexOf(header, "file"), line = Array.IndexOf(header, "line"), person = Array.IndexOf(header, "person_id"),
            status = Array.IndexOf(header, "id_status"), noise = Array.IndexOf(header, "noise");
        while (reader.ReadLine() is { } text)
        {
            var f = text.Split(',');
            map[(f[file], int.Parse(f[line], CultureInfo.InvariantCulture))] = (f[person], f[status], f[noise]);
        }
        return map;
    }

    /// <summary>The rows of one extract by column name. The generator quotes fields with the delimiter or a quote in them, and never breaks a line inside one.</summary>
    static IEnumerable<Dictionary<string, string>> Rows(string path, char delimiter, Encoding encoding)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var header = QuotedFields.Split(reader.ReadLine()!, delimiter);
        while (reader.ReadLine() is { } line)
        {
            var fields = QuotedFields.Split(line, delimiter);
            yield return header.Select((h, i) => (h, v: i < fields.Count ? fields[i] : "")).ToDictionary(x => x.h, x => x.v, StringComparer.Ordinal);
        }
    }

    static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
