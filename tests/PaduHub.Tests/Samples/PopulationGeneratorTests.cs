using System.Security.Cryptography;
using System.Text.Json;
using PaduHub.Identity;
using PaduHub.Samples;
using PaduHub.Samples.Agencies;

namespace PaduHub.Tests.Samples;

public sealed class PopulationGeneratorTests
{
    // Numbers are read as of the last delta day: a baby born on day 2 has a MyKad dated after the snapshot.
    static readonly DateOnly s_lastDay = new GeneratorOptions { People = 1, Seed = 1, OutDir = "" }.Snapshot.AddDays(3);
    string _root = "";
    string _population = "";

    /// <summary>One 10,000-person population with three delta days, shared by the read-only tests below.</summary>
    [OneTimeSetUp]
    public void GeneratePopulation()
    {
        _root = Path.Combine(Path.GetTempPath(), $"paduhub-generator-{Guid.NewGuid():N}");
        _population = Path.Combine(_root, "population");
        PopulationGenerator.Generate(new GeneratorOptions { People = 10_000, Seed = 42, OutDir = _population, Days = 3 });
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Same_seed_gives_byte_identical_output()
    {
        var first = Path.Combine(_root, "first");
        var second = Path.Combine(_root, "second");
        var otherSeed = Path.Combine(_root, "other-seed");

        PopulationGenerator.Generate(new GeneratorOptions { People = 1_500, Seed = 9, OutDir = first, Days = 2 });
        PopulationGenerator.Generate(new GeneratorOptions { People = 1_500, Seed = 9, OutDir = second, Days = 2 });
        PopulationGenerator.Generate(new GeneratorOptions { People = 1_500, Seed = 10, OutDir = otherSeed, Days = 2 });

        Assert.That(Hashes(second), Is.EqualTo(Hashes(first)));
        Assert.That(Hashes(otherSeed)["extracts/jpn_full.csv"], Is.Not.EqualTo(Hashes(first)["extracts/jpn_full.csv"]));
    }

    [Test]
    public void Committed_demo_sample_is_what_the_generator_makes()
    {
        var regenerated = Path.Combine(_root, "demo");
        PopulationGenerator.Generate(new GeneratorOptions
        {
            People = 2_000,
            Seed = 1,
            OutDir = regenerated,
            Days = 3,
            Noise = NoiseSettings.Default.With(["daily_change=0.05"]),
        });

        Assert.That(Hashes(Path.Combine(Repository.Root, "samples", "demo")), Is.EqualTo(Hashes(regenerated)),
            "samples/demo is stale: regenerate it with padu generate --people 2000 --seed 1 --days 3 --noise daily_change=0.05 --out samples/demo");
    }

    static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f).Replace('\\', '/'),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    [Test]
    public void Every_id_the_truth_calls_valid_is_the_persons_own_structurally_valid_MyKad()
    {
        var people = Truth("people.csv").ToDictionary(p => p["person_id"]);
        var rows = ExtractRows();
        var checkedValid = 0;
        var checkedNoisy = 0;

        foreach (var source in Truth("source_records.csv"))
        {
            var person = people[source["person_id"]];
            var written = rows[(source["file"], long.Parse(source["line"], System.Globalization.CultureInfo.InvariantCulture))];
            var digits = MyKad.Digits(written);
            switch (source["id_status"])
            {
                case "valid":
                    var facts = MyKad.Parse(written, s_lastDay, out var reason);
                    Assert.That(facts, Is.Not.Null, $"{source["file"]}:{source["line"]} {reason}");
                    Assert.That(digits, Is.EqualTo(person["mykad"]), $"{source["file"]}:{source["line"]}");
                    Assert.That(facts!.Value.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                        Is.EqualTo(person["date_of_birth"]));
                    Assert.That(facts.Value.IsMale, Is.EqualTo(person["sex"] == "M"));
                    checkedValid++;
                    break;
                case "typo" or "transposed":
                    Assert.That(digits, Is.Not.EqualTo(person["mykad"]));
                    Assert.That(digits, Has.Length.EqualTo(12));
                    checkedNoisy++;
                    break;
                case "placeholder":
                    Assert.That(MyKad.IsPlaceholder(digits!), Is.True);
                    checkedNoisy++;
                    break;
                case "missing":
                    Assert.That(written, Is.Empty);
                    checkedNoisy++;
                    break;
                case "old_ic":
                    Assert.That(written, Is.EqualTo(person["old_ic"]));
                    checkedNoisy++;
                    break;
                case "army" or "police":
                    Assert.That(written, Is.EqualTo(person["service_number"]));
                    checkedNoisy++;
                    break;
            }
        }
        Assert.That(checkedValid, Is.GreaterThan(10_000));
        Assert.That(checkedNoisy, Is.GreaterThan(200));
    }

    [Test]
    public void Registration_department_holds_every_living_and_dead_person_with_a_clean_record()
    {
        var jpn = Truth("source_records.csv").Where(s => s["agency"] == "JPN" && s["op"] == "").ToList();
        var people = Truth("people.csv");
        var bornInDeltas = Truth("source_records.csv").Count(s => s["agency"] == "JPN" && s["op"] == "I");

        Assert.That(jpn, Has.Count.EqualTo(people.Count - bornInDeltas));
        Assert.That(jpn.Select(s => s["id_status"]), Is.All.EqualTo("valid"));
        Assert.That(jpn.Select(s => s["noise"]), Is.All.Empty);
    }

    [TestCase(0.2)]
    [TestCase(0.5)]
    public void Name_variants_appear_at_their_configured_rate(double rate)
    {
        var folder = Path.Combine(_root, $"variants-{rate}");
        var summary = PopulationGenerator.Generate(new GeneratorOptions
        {
            People = 10_000,
            Seed = 5,
            OutDir = folder,
            Noise = NoiseSettings.Default.With([$"name_variant={rate}"]),
        });
        var counted = summary.Noise["name_variant"];
        // One agency record can fill several rows (a utility holder with two accounts), so count records, not rows.
        var variedRecords = DelimitedFile.Read(Path.Combine(folder, "truth", "source_records.csv"), Agency.Utf8, ',')
            .Where(s => s["noise"].Split(';').Contains("name_variant"))
            .Select(s => (s["agency"], s["person_id"])).Distinct().Count();

        // Binomial: the observed rate must sit within four standard deviations of the configured one.
        var observed = (double)counted.Applied / counted.Eligible;
        var sigma = Math.Sqrt(rate * (1 - rate) / counted.Eligible);
        Assert.That(counted.Eligible, Is.GreaterThan(3_000));
        Assert.That(observed, Is.EqualTo(rate).Within(4 * sigma));
        Assert.That(variedRecords, Is.EqualTo(counted.Applied), "the truth marks every varied record");
    }

    [Test]
    public void Varied_names_differ_from_the_registered_name()
    {
        var people = Truth("people.csv").ToDictionary(p => p["person_id"]);
        var rows = ExtractRows("name");
        var varied = Truth("source_records.csv").Where(s => s["noise"] == "name_variant").ToList();

        Assert.That(varied, Is.Not.Empty);
        foreach (var source in varied)
        {
            var written = rows[(source["file"], long.Parse(source["line"], System.Globalization.CultureInfo.InvariantCulture))].Trim().ToUpperInvariant();
            Assert.That(written.Replace('\u2019', '\''), Is.Not.EqualTo(people[source["person_id"]]["full_name"]), $"{source["file"]}:{source["line"]}");
        }
    }

    [Test]
    public void Hard_negatives_are_counted_and_really_are_two_people()
    {
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_population, "truth", "summary.json"))).RootElement;
        var pairs = Truth("hard_negatives.csv");
        var people = Truth("people.csv").ToDictionary(p => p["person_id"]);

        TestContext.Progress.WriteLine($"hard negatives in 10,000 people: {summary.GetProperty("hard_negatives").GetRawText()}");
        Assert.That(summary.GetProperty("hard_negatives_total").GetInt64(), Is.EqualTo(pairs.Count));
        Assert.That(pairs.Select(p => p["kind"]).Distinct(), Is.EquivalentTo(new[] { "namesake", "sibling_lookalike", "twin" }));
        foreach (var pair in pairs)
        {
            var a = people[pair["person_a"]];
            var b = people[pair["person_b"]];
            Assert.That(a["mykad"], Is.Not.EqualTo(b["mykad"]));
            if (pair["kind"] == "twin")
            {
                Assert.That(a["date_of_birth"], Is.EqualTo(b["date_of_birth"]));
                Assert.That(a["household_id"], Is.EqualTo(b["household_id"]));
            }
            if (pair["kind"] == "namesake")
            {
                Assert.That(a["full_name"], Is.EqualTo(b["full_name"]));
            }
        }
    }

    [Test]
    public void Household_income_groups_come_out_near_the_DOSM_split()
    {
        var groups = Truth("households.csv").Where(h => h["income_group"] != "").GroupBy(h => h["income_group"])
            .ToDictionary(g => g.Key, g => (double)g.Count());
        var total = groups.Values.Sum();

        Assert.That(groups["B40"] / total, Is.InRange(0.35, 0.48));
        Assert.That(groups["M40"] / total, Is.InRange(0.30, 0.45));
        Assert.That(groups["T20"] / total, Is.InRange(0.15, 0.27));
    }

    [Test]
    public void Delta_rows_carry_an_operation_and_a_rising_sequence()
    {
        var deltaFiles = Directory.GetFiles(Path.Combine(_population, "deltas"));
        Assert.That(deltaFiles, Has.Length.EqualTo(Agency.All.Length * 3));
        var total = 0;
        foreach (var agency in Agency.All)
        {
            for (var day = 1; day <= 3; day++)
            {
                var rows = DelimitedFile.Read(Path.Combine(_population, "deltas", $"{agency.FileStem}_delta_{day:D4}.{agency.Extension}"),
                    agency.Encoding, agency.Delimiter);
                Assert.That(rows.Select(r => r["OP"]), Is.All.AnyOf("I", "U", "D"));
                Assert.That(rows.Select(r => int.Parse(r["SEQ"], System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(1, rows.Count)));
                total += rows.Count;
            }
        }
        Assert.That(total, Is.GreaterThan(50));
        Assert.That(Truth("source_records.csv").Count(s => s["op"] != ""), Is.EqualTo(total));
    }

    [Test]
    public void Every_extract_row_has_a_truth_row()
    {
        var rows = ExtractRows();
        var truth = Truth("source_records.csv").Select(s => (s["file"], long.Parse(s["line"], System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();

        Assert.That(truth, Is.EquivalentTo(rows.Keys));
    }

    [Test]
    public void Extracts_use_each_agencys_own_encoding()
    {
        var jkm = File.ReadAllBytes(Path.Combine(_population, "extracts", "jkm_full.tsv"));
        var tnb = File.ReadAllText(Path.Combine(_population, "extracts", "tnb_full.csv"), Agency.Windows1252);

        Assert.That(jkm[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "JKM sends UTF-8 with a BOM");
        Assert.That(tnb, Does.Contain("\r\n"), "TNB sends CRLF line endings");
        Assert.That(File.ReadAllBytes(Path.Combine(_population, "extracts", "kwsp_full.csv")), Does.Contain((byte)0x92).Or.Not.Contain((byte)0xE2),
            "KWSP's curly apostrophes are Windows-1252 bytes, never UTF-8 sequences");
    }

    [Test]
    public void Unknown_or_out_of_range_noise_settings_are_refused()
    {
        Assert.That(() => NoiseSettings.Default.With(["name_varient=0.1"]), Throws.ArgumentException.With.Message.Contains("unknown noise setting"));
        Assert.That(() => NoiseSettings.Default.With(["name_variant=1.5"]), Throws.ArgumentException.With.Message.Contains("between 0 and 1"));
        Assert.That(NoiseSettings.Default.With(["ic_typo=0.05"]).IcTypo, Is.EqualTo(0.05));
    }

    List<Dictionary<string, string>> Truth(string file) => DelimitedFile.Read(Path.Combine(_population, "truth", file), Agency.Utf8, ',');

    /// <summary>(file, line) of every extract and delta row, with its identity number (or, if asked, its name) as written.</summary>
    Dictionary<(string File, long Line), string> ExtractRows(string column = "id")
    {
        var idColumns = new Dictionary<string, (string Id, string Name)>
        {
            ["JPN"] = ("NO_KP", "NAMA"),
            ["LHDN"] = ("id_no", "taxpayer_name"),
            ["KWSP"] = ("IC_NO", "MEMBER_NAME"),
            ["JKM"] = ("NO_KP", "NAMA"),
            ["TNB"] = ("ID No", "Account Holder"),
        };
        var rows = new Dictionary<(string, long), string>();
        foreach (var agency in Agency.All)
        {
            var files = Directory.GetFiles(Path.Combine(_population, "extracts"), $"{agency.FileStem}_*")
                .Concat(Directory.GetFiles(Path.Combine(_population, "deltas"), $"{agency.FileStem}_*"));
            foreach (var file in files)
            {
                var relative = Path.GetRelativePath(_population, file).Replace('\\', '/');
                var line = 1L;
                foreach (var row in DelimitedFile.Read(file, agency.Encoding, agency.Delimiter))
                {
                    rows[(relative, ++line)] = row[column == "id" ? idColumns[agency.Code].Id : idColumns[agency.Code].Name];
                }
            }
        }
        return rows;
    }
}
