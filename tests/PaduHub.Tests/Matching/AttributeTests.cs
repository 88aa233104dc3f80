using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// A CSV's other facts (an occupation, a birth place) as the schema's attribute columns: each compared on its own,
/// fitted like the locations on what the person's own fields say, never a reason for the model to fail.
/// </summary>
public sealed class AttributeTests
{
    static readonly DateOnly s_today = new(2026, 12, 7);

    static readonly string[] s_occupations =
    [
        "politician", "priest", "painter", "writer", "soldier", "lawyer", "physician", "actor", "composer", "engineer",
        "architect", "astronomer", "merchant", "farmer", "teacher", "banker", "poet", "sculptor", "journalist", "judge",
    ];

    [Test]
    public void An_attribute_column_is_read_by_its_name_in_every_file_and_compared_on_its_own()
    {
        var folder = Directory.CreateTempSubdirectory("padu-attribute-").FullName;
        try
        {
            var (a, b, schema) = (Path.Combine(folder, "a.csv"), Path.Combine(folder, "b.csv"), Path.Combine(folder, "schema.json"));
            File.WriteAllLines(a, ["id,name,occupation,town", "1,ALI BIN ABU,Teacher,IPOH"]);
            File.WriteAllLines(b, ["id,town,name,OCCUPATION", "2,IPOH,ALI BIN ABU,  teachér "]);
            File.WriteAllText(schema, """{ "columns": { "id": "id", "name": "full_name", "occupation": "occupation", "town": "attribute" } }""");

            var records = CsvLinkage.Read([a, b], LinkageSchema.Load(schema), s_today);
            var comparisons = Comparisons.For(records);

            Assert.That(records.Select(r => r.Attributes), Is.EqualTo(new[] { new[] { "TEACHER", "IPOH" }, new[] { "TEACHER", "IPOH" } }));
            Assert.That(comparisons.Where(c => c.IsAttribute).Select(c => c.Name), Is.EqualTo(new[] { "occupation", "town" }));
            Assert.That(comparisons.Where(c => c.IsAttribute).Select(c => c.Level(records[0], records[1])), Is.EqualTo(new[] { 2, 2 }));
            Assert.That(Comparisons.Attribute(0, "city").Name, Is.EqualTo("city (attribute)"), "a field's name is not taken twice");
            var age = Comparisons.Attribute(0, "age");
            MatchRecord Aged(string years) => MatchRecord.From(0, "t", "k", new PersonFacts { Attributes = [years], AttributeNames = ["age"] }, s_today);
            Assert.That(new[] { age.Level(Aged("34"), Aged("35")), age.Level(Aged("34"), Aged("36")), age.Level(Aged("34"), Aged("43")) },
                Is.EqualTo(new[] { 1, 0, 0 }), "whole numbers one apart are similar, not their digits");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void More_attribute_columns_than_fit_a_pair_are_refused_by_the_schema()
    {
        var schema = Path.Combine(Directory.CreateTempSubdirectory("padu-attribute-").FullName, "schema.json");
        File.WriteAllText(schema, """{ "columns": { "a": "attribute", "b": "attribute", "c": "occupation", "d": "race", "e": "other" } }""");
        try
        {
            Assert.That(() => LinkageSchema.Load(schema), Throws.ArgumentException.With.Message.Contains("5 attribute columns; at most 4"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(schema)!, recursive: true);
        }
    }

    /// <summary>
    /// Splink's fake_1000 without its email is names, a birth date and a town, all noisy: an occupation each person
    /// keeps (a quarter of the records without one, one in twenty another) is the evidence that was missing.
    /// </summary>
    [Test]
    public void An_attribute_people_keep_finds_them_where_their_other_fields_are_noisy()
    {
        var rows = File.ReadAllLines(Datasets.File("splink/fake_1000.csv")).Skip(1).Select(l => l.Split(',')).ToList(); // unique_id,first_name,surname,dob,city,email,cluster
        var random = new Random(7);
        string Occupation(string cluster) => random.Next(20) switch
        {
            < 5 => "",
            5 => s_occupations[random.Next(s_occupations.Length)],
            _ => s_occupations[int.Parse(cluster) % s_occupations.Length],
        };
        string[] lines = ["id,first_name,surname,dob,city,occupation", .. rows.Select(f => $"{f[0]},{f[1]},{f[2]},{f[3]},{f[4]},{Occupation(f[6])}")];
        var truth = rows.ToDictionary(f => f[0], f => f[6]);

        var without = RewrittenFile.Match(lines, """{ "columns": { "id": "id", "first_name": "given_name", "surname": "surname", "dob": "dob", "city": "city" } }""", truth);
        var with = RewrittenFile.Match(lines, """{ "columns": { "id": "id", "first_name": "given_name", "surname": "surname", "dob": "dob", "city": "city", "occupation": "occupation" } }""", truth);

        // Without it the file reaches 0.89 now (DatasetAccuracyTests), so the occupation has less left to find.
        Assert.That(with.Precision, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(with.F1, Is.GreaterThanOrEqualTo(Math.Max(without.F1 + 0.03, 0.92)));
    }

    /// <summary>
    /// An attribute that says nothing (two values at random) neither moves a file nor fails its model: FEBRL, where the
    /// sessions' fit is used, and Splink's fake_1000, where EM's is.
    /// </summary>
    [Test]
    public void An_attribute_of_noise_changes_nothing()
    {
        var random = new Random(11);
        string Colour() => random.Next(2) == 0 ? "RED" : "BLUE";
        var febrl = File.ReadAllLines(Datasets.File("febrl/dataset1.csv")).Skip(1).Select(l => l.Split(',').Select(f => f.Trim()).ToArray()).ToList();
        string[] febrlLines = ["id,given,surname,number,street,suburb,postcode,state,dob,soc_sec_id,colour",
            .. febrl.Select(f => $"{f[0]},{f[1]},{f[2]},{f[3]},{f[4]},{f[6]},{f[7]},{f[8]},{f[9]},{f[10]},{Colour()}")];
        var febrlTruth = febrl.ToDictionary(f => f[0], f => PairwiseEvaluation.FebrlEntity(f[0])!);
        const string febrlPerson = """ "id": "id", "given": "given_name", "surname": "surname", "number": "address", "street": "address", "suburb": "city", "postcode": "postcode", "state": "state", "dob": "dob", "soc_sec_id": "national_id" """;
        var fake = File.ReadAllLines(Datasets.File("splink/fake_1000.csv")).Skip(1).Select(l => l.Split(',')).ToList(); // unique_id,first_name,surname,dob,city,email,cluster
        string[] fakeLines = ["id,first_name,surname,dob,city,email,colour", .. fake.Select(f => $"{string.Join(',', f[..6])},{Colour()}")];
        var fakeTruth = fake.ToDictionary(f => f[0], f => f[6]);
        const string fakePerson = """ "id": "id", "first_name": "given_name", "surname": "surname", "dob": "dob", "city": "city", "email": "email" """;

        Assert.That(RewrittenFile.Match(febrlLines, $$"""{ "columns": { {{febrlPerson}}, "colour": "attribute" } }""", febrlTruth).F1,
            Is.EqualTo(RewrittenFile.Match(febrlLines, $$"""{ "columns": { {{febrlPerson}} } }""", febrlTruth).F1).Within(0.002));
        Assert.That(RewrittenFile.Match(fakeLines, $$"""{ "columns": { {{fakePerson}}, "colour": "attribute" } }""", fakeTruth).F1,
            Is.EqualTo(RewrittenFile.Match(fakeLines, $$"""{ "columns": { {{fakePerson}} } }""", fakeTruth).F1).Within(0.005));
    }
}
