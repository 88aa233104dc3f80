using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class CsvLinkageTests
{
    string _folder = "";

    [SetUp]
    public void Folder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), $"paduhub-csv-{Guid.NewGuid():N}"));

    [TearDown]
    public void Clean() => Directory.Delete(_folder, recursive: true);

    string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    LinkageSchema Schema(string json) => LinkageSchema.Load(Write("schema.json", json));

    static readonly DateOnly s_today = new(2026, 11, 27);

    [Test]
    public void Every_row_comes_out_with_a_cluster()
    {
        var file = Write("people.csv", "id,name,dob\n1,AHMAD BIN ALI,1980-01-02\n2,Mohd Ahmad b. Ali,1980-01-02\n3,LIM WEI MING,1975-06-30\n");
        var records = CsvLinkage.Read([file], Schema("""{ "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }"""), s_today);

        var result = Linkage.Run(records, new MatchSettings());
        var output = Path.Combine(_folder, "clusters.csv");
        CsvLinkage.WriteClusters(output, result);

        var lines = File.ReadAllLines(output);
        Assert.That(lines[0], Is.EqualTo("file,record_id,cluster_id"));
        Assert.That(lines, Has.Length.EqualTo(4), "one line per input row");
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.All.EqualTo("people.csv"));
    }

    [Test]
    public void The_pairs_file_holds_every_compared_pair_with_its_passes_weight_and_levels_in_order()
    {
        var rows = string.Join("\n", Enumerable.Range(1, 300).Select(i => $"{i},NAME{i % 100:00} BIN ALI,19{50 + i % 40}-0{1 + i % 9}-1{i % 10}"));
        var file = Write("people.csv", "id,name,dob\n" + rows + "\n");
        var records = CsvLinkage.Read([file], Schema("""{ "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }"""), s_today);
        Assert.That(records.Select(r => r.Key), Is.EqualTo(Enumerable.Range(1, 300).Select(i => i.ToString())), "read in file order, folded on every core");

        var result = Linkage.Run(records, new MatchSettings());
        var output = Path.Combine(_folder, "clusters.pairs.csv");
        CsvLinkage.WritePairs(output, result.Compared);

        var lines = File.ReadAllLines(output);
        Assert.That(lines[0], Is.EqualTo("record_a,record_b,passes,weight," + string.Join(',', result.Model.Comparisons.Select(c => c.Name))));
        Assert.That(lines, Has.Length.EqualTo(result.Candidates.Count + 1), "one line per compared pair");
        for (var k = 0; k < result.Candidates.Count; k++)
        {
            var (a, b) = result.Candidates[k];
            var fields = lines[k + 1].Split(',');
            Assert.That((fields[0], fields[1]), Is.EqualTo((records[a].Key, records[b].Key)));
            Assert.That(fields[3], Is.EqualTo(result.Model.Weight(result.Patterns[k], records[a]).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(fields, Has.Length.EqualTo(4 + result.Model.Comparisons.Length));
        }
    }

    [Test]
    public void Rows_of_two_files_are_read_in_order_across_the_blocks_folded_while_the_next_is_parsed()
    {
        var schema = Schema("""{ "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }""");
        var a = Write("a.csv", "id,name,dob\n" + string.Join("\n", Enumerable.Range(1, 5000).Select(i => $"a{i},NAME{i % 97} BIN ALI,1970-01-{1 + i % 28:00}")) + "\n");
        var b = Write("b.csv", "id,name,dob\n" + string.Join("\n", Enumerable.Range(1, 2049).Select(i => $"b{i},NAME{i % 89} BINTI ABU,1980-02-{1 + i % 28:00}")) + "\n");

        var records = CsvLinkage.Read([a, b], schema, s_today);

        Assert.That(records.Select(r => r.Index), Is.EqualTo(Enumerable.Range(0, 7049)), "each record's index is its place");
        Assert.That(records.Select(r => r.Key), Is.EqualTo(Enumerable.Range(1, 5000).Select(i => $"a{i}").Concat(Enumerable.Range(1, 2049).Select(i => $"b{i}"))));
        Assert.That(records.Select(r => r.Source).Distinct(), Is.EqualTo(new[] { "a.csv", "b.csv" }));
        Assert.That(records[4999].FullName, Is.EqualTo("NAME53 ALI"), "folded, not left raw");
    }

    [Test]
    public void Work_beside_scoring_has_finished_when_the_run_returns_and_its_failure_is_the_runs()
    {
        var file = Write("people.csv", "id,name,dob\n1,AHMAD BIN ALI,1980-01-02\n2,Mohd Ahmad b. Ali,1980-01-02\n3,LIM WEI MING,1975-06-30\n");
        var records = CsvLinkage.Read([file], Schema("""{ "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }"""), s_today);
        ComparedPairs? seen = null;

        var result = Linkage.Run(records, new MatchSettings(), besideScoring: compared =>
        {
            Thread.Sleep(300);
            seen = compared;
        });

        Assert.That(seen, Is.Not.Null, "finished before Run returned");
        Assert.That(seen!.Candidates, Is.EqualTo(result.Candidates));
        Assert.That(seen.Patterns, Is.EqualTo(result.Patterns));
        Assert.That(() => Linkage.Run(records, new MatchSettings(), besideScoring: _ => throw new IOException("disk full")),
            Throws.TypeOf<IOException>().With.Message.EqualTo("disk full"));
    }

    [Test]
    public void The_model_is_written_beside_the_clusters_with_its_check_and_estimate_but_no_agreed_values()
    {
        var file = Write("people.csv", "id,name,dob\n1,AHMAD BIN ALI,1980-01-02\n2,Mohd Ahmad b. Ali,1980-01-02\n3,LIM WEI MING,1975-06-30\n");
        var records = CsvLinkage.Read([file], Schema("""{ "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }"""), s_today);
        var result = Linkage.Run(records, new MatchSettings());
        var output = Path.Combine(_folder, "clusters.model.json");

        CsvLinkage.WriteModel(output, result);

        var json = File.ReadAllText(output);
        var model = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.That(model.GetProperty("sanity").GetProperty("verdict").GetString(), Is.EqualTo(result.Model.Sanity.Verdict));
        Assert.That(model.GetProperty("comparisons").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Does.Contain("full_name"));
        Assert.That(model.GetProperty("estimate").GetProperty("candidate_pairs").GetInt64(), Is.EqualTo(result.Candidates.Count));
        Assert.That(json, Does.Not.Contain("AHMAD").And.Not.Contain("value_counts"), "agreed values are personal data");
    }

    [TestCase("id,name\n1,\"ALI\n2,ABU\n", "line 2: has a quoted field that is never closed")]
    [TestCase("id,name\n1,ALI\n2,ABU,EXTRA\n", "line 3: has a different number of fields")]
    [TestCase("id,name\n1,ALI\n1,ABU\n", "row 2: record id '1' appears twice")]
    public void A_row_that_cannot_be_read_stops_the_run_naming_line_and_reason(string text, string expected)
    {
        var file = Write("bad.csv", text);
        var schema = Schema("""{ "columns": { "id": "id", "name": "full_name" } }""");

        Assert.That(() => CsvLinkage.Read([file], schema, s_today), Throws.ArgumentException.With.Message.Contains(expected));
    }

    [TestCase("""{ "columns": { "a": "nonsense" } }""", "unknown role 'nonsense'")]
    [TestCase("""{ "columns": { } }""", "maps no columns")]
    [TestCase("""{ "columns": """, "not valid JSON")]
    public void A_bad_schema_is_refused_with_the_reason(string json, string expected) =>
        Assert.That(() => Schema(json), Throws.ArgumentException.With.Message.Contains(expected));

    [Test]
    public void Roles_by_other_tools_names_and_headers_in_another_case_are_read_as_meant()
    {
        var file = Write("people.csv", "Unique_ID,First_Name,SURNAME,DOB,Gender,Zip\n1,AHMAD,ALI,1980-01-02,M,43000\n2,AHMAD,ALI,1980-01-02,M,43000\n");
        var schema = Schema("""{ "columns": { "unique_id": "unique_id", "first_name": "First_Name", "surname": "last_name", "dob": "DOB", "gender": "gender", "zip": "zip" } }""");

        Assert.That(schema.Columns.Values, Is.EquivalentTo(new[] { "id", "given_name", "surname", "date_of_birth", "sex", "postcode" }));
        var records = CsvLinkage.Read([file], schema, s_today);
        Assert.That(records.Select(r => r.Key), Is.EqualTo(new[] { "1", "2" }), "the id column, its header in another case");
        Assert.That(records[0].Given, Is.EqualTo("AHMAD"));
        Assert.That(records[0].Family, Is.EqualTo("ALI"));
        Assert.That(records[0].DateOfBirth, Is.EqualTo("19800102"));
        Assert.That(records[0].Sex, Is.EqualTo('M'));
        Assert.That(records[0].Postcode, Is.EqualTo("43000"));
    }

    [Test]
    public void Schema_columns_that_no_file_names_are_told()
    {
        var a = Write("a.csv", "id,name,dob\n1,AHMAD BIN ALI,1980-01-02\n");
        var b = Write("b.csv", "id,name,phone\n1,AHMAD BIN ALI,0123456789\n");
        var schema = Schema("""{ "columns": { "id": "id", "name": "full_name", "DOB": "date_of_birth", "phone": "phone", "dobb": "date_of_birth", "x": "ignore" } }""");

        Assert.That(CsvLinkage.SchemaColumnsInNoFile([a, b], schema), Is.EqualTo(new[] { "dobb" }));
    }

    [Test]
    public void A_file_is_read_as_it_comes_semicolons_latin1_and_line_breaks_in_quotes()
    {
        var schema = Schema("""{ "columns": { "id": "id", "name": "full_name", "address": "address", "dob": "date_of_birth" } }""");
        var utf8 = Write("utf8.csv", "id,name,address,dob\n1,JÜRGEN MÜLLER,\"NO 3, JALAN MAWAR TAMAN JAYA\",1980-01-02\n");
        var latin1 = Path.Combine(_folder, "latin1.csv");
        File.WriteAllBytes(latin1, System.Text.Encoding.Latin1.GetBytes("id;name;address;dob\n1;JÜRGEN MÜLLER;\"NO 3, JALAN MAWAR\nTAMAN JAYA\";1980-01-02\n2;ALI;X;1970-01-01\n"));

        var expected = CsvLinkage.Read([utf8], schema, s_today).Single();
        var records = CsvLinkage.Read([latin1], schema, s_today);

        Assert.That(records.Select(r => r.Key), Is.EqualTo(new[] { "1", "2" }), "semicolons found from the header; the quoted line break is one field");
        Assert.That(records[0].FullName, Is.EqualTo(expected.FullName), "Latin-1 read as Latin-1");
        Assert.That((records[0].Street, records[0].Unit), Is.EqualTo((expected.Street, expected.Unit)), "a line break in an address is a space");
        Assert.That(expected.Street, Is.Not.Null);
    }

    /// <summary>Excel writes the separator on a line of its own before the header, when asked to: the file says which.</summary>
    [Test]
    public void Excels_separator_line_names_the_separator_and_is_not_the_header()
    {
        var schema = Schema("""{ "delimiter": ",", "columns": { "id": "id", "name": "full_name", "dob": "date_of_birth" } }""");
        var file = Path.Combine(_folder, "excel.csv");
        File.WriteAllBytes(file, [.. "\uFEFF"u8, .. "sep=;\r\nid;name;dob\r\n1;AHMAD BIN ALI;1980-01-02\r\n2;ABU;1970-01-01\r\n"u8]);
        var broken = Write("broken.csv", "sep=;\nid;name;dob\n1;AHMAD BIN ALI;1980-01-02\n2;ABU;1970-01-01;EXTRA\n");

        var records = CsvLinkage.Read([file], schema, s_today);

        Assert.That(records.Select(r => (r.Key, r.DateOfBirth)), Is.EqualTo(new[] { ("1", "19800102"), ("2", "19700101") }));
        Assert.That(CsvLinkage.SchemaColumnsInNoFile([file], schema), Is.Empty, "the header is the line after it");
        Assert.That(() => CsvLinkage.Read([broken], schema, s_today), Throws.ArgumentException.With.Message.Contains("broken.csv line 4:"),
            "lines counted from the file's first");
    }

    /// <summary>
    /// A data frame writes a column of whole numbers with gaps as 4510.0, and R writes a missing value as NA: read as
    /// written, the postcode gained a digit, the birth parts made no date, and every record without an identifier shared
    /// the identifier NA.
    /// </summary>
    [Test]
    public void Whole_numbers_written_as_decimals_and_exporters_words_for_missing_are_read_as_meant()
    {
        var file = Write("frame.csv", "id,given,surname,by,bm,bd,postcode,ssn,phone,age\n"
            + "1.0,SARAH,BRUHN,1956.0,4.0,9.0,4510.0,7535316.0,0412345678,34.0\n"
            + "2,SARAH,NA,1956,4,9,4510,NA,NaN,NULL\n"
            + "3,4.5,BRUHN,1956.5,#N/A,None,45.10,7535316.00,nil,34.50\n");
        var records = CsvLinkage.Read([file], Schema("""
            { "columns": { "id": "id", "given": "given_name", "surname": "surname", "by": "birth_year", "bm": "birth_month", "bd": "birth_day",
              "postcode": "postcode", "ssn": "national_id", "phone": "phone", "age": "attribute" } }
            """), s_today);

        Assert.That(records.Select(r => r.Key), Is.EqualTo(new[] { "1.0", "2", "3" }), "a row's own id is left as written");
        Assert.That(records.Select(r => r.DateOfBirth), Is.EqualTo(new[] { "19560409", "19560409", null }));
        Assert.That(records.Select(r => r.Postcode), Is.EqualTo(new[] { "04510", "04510", "04510" }), "45.10 is no whole number: its digits as ever");
        Assert.That(records.Select(r => r.Identifiers.Length), Is.EqualTo(new[] { 1, 0, 1 }));
        Assert.That(records[0].Identifiers[0].Value, Is.EqualTo("7535316"));
        Assert.That(records[2].Identifiers[0].Value, Is.EqualTo("7535316"), "any number of zeros after the point");
        Assert.That(records.Select(r => r.Phone is null), Is.EqualTo(new[] { false, true, true }));
        Assert.That(records.Select(r => r.Attributes[0]), Is.EqualTo(new[] { "34", null, "34.50" }));
        Assert.That(records[1].Family, Is.Null, "NA is no surname");
    }

    /// <summary>
    /// A MyKad column stored as numbers loses the leading zero of everyone born 2000-2009; written as a decimal too, it
    /// is made whole again where its date reads. Eleven digits whose date does not read stay as written: a MyKad typed
    /// with a digit left out is one edit from the true number, and a zero put in front would make it two; one whose slip
    /// is in the date is one edit from the true number once compared with its zero.
    /// </summary>
    [Test]
    public void A_mykad_stored_as_a_number_gets_its_leading_zero_back()
    {
        var file = Write("ic.csv", "id,ic\n1,20730132997.0\n2,020730132997\n3,98041812965\n4,980418129653\n5,20740132997.0\n");
        var records = CsvLinkage.Read([file], Schema("""{ "columns": { "id": "id", "ic": "mykad" } }"""), s_today);

        Assert.That(records.Select(r => r.Identifiers.Single().Value),
            Is.EqualTo(new[] { "020730132997", "020730132997", "98041812965", "980418129653", "20740132997" }));
        Assert.That(Comparisons.NationalId.Level(records[0], records[1]), Is.EqualTo(2));
        Assert.That(Comparisons.NationalId.Level(records[2], records[3]), Is.EqualTo(1), "a digit left out is one edit");
        Assert.That(Comparisons.NationalId.Level(records[4], records[1]), Is.EqualTo(1), "a slip in the date behind a lost zero");
        Assert.That(Comparisons.NationalId.Level(records[4], records[3]), Is.EqualTo(0));
    }
}
