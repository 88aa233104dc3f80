using System.Globalization;
using System.Text.Json;
using PaduHub.Samples.Agencies;

namespace PaduHub.Samples;

public sealed record GeneratorOptions
{
    public required long People { get; init; }
    public required ulong Seed { get; init; }
    public required string OutDir { get; init; }
    /// <summary>Daily delta extracts to write after the full snapshot.</summary>
    public int Days { get; init; }
    public NoiseSettings Noise { get; init; } = NoiseSettings.Default;
    /// <summary>The day the full extracts are taken; fixed so that a seed always gives the same files.</summary>
    public DateOnly Snapshot { get; init; } = new(2026, 11, 1);
}

public sealed record GenerationSummary(
    long People, long Households, long Deceased, IReadOnlyDictionary<string, long> RowsPerFile,
    IReadOnlyDictionary<string, long> HardNegatives, IReadOnlyDictionary<string, long> IncomeGroups,
    IReadOnlyDictionary<string, NoiseRate> Noise, IReadOnlyDictionary<string, long> DeltaEvents);

public sealed record NoiseRate(double Configured, long Eligible, long Applied);

/// <summary>
/// Writes a synthetic population to OutDir: extracts/ (one full extract per agency), deltas/ (one file per agency per
/// day, with OP and SEQ columns), and truth/ (people, households, every source row's true person and household, the
/// hard-negative pairs, and summary.json). Households are made and written one at a time, so memory stays flat in
/// the population size except for the set of MyKad numbers already given out.
/// </summary>
public static class PopulationGenerator
{
    /// <summary>DOSM HIES 2024 household income groups (docs/domain.md, income groups).</summary>
    public static string IncomeGroup(int monthlyIncome) => monthlyIncome <= 5_858 ? "B40" : monthlyIncome < 12_680 ? "M40" : "T20";

    public static GenerationSummary Generate(GeneratorOptions options, IProgress<long>? progress = null)
    {
        if (options.People <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the population needs at least one person");
        }
        Directory.CreateDirectory(options.OutDir);
        var factory = new HouseholdFactory(options.Snapshot, options.Noise);
        var counts = new NoiseCounts();
        var rowsPerFile = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var hardNegatives = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var incomeGroups = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["B40"] = 0, ["M40"] = 0, ["T20"] = 0 };
        var deltaEvents = new SortedDictionary<string, long>(StringComparer.Ordinal);

        var full = Agency.All.Select(a => a.FullExtract(options.OutDir)).ToArray();
        var deltas = Agency.All.Select(a => Enumerable.Range(1, options.Days).Select(d => a.Delta(options.OutDir, d)).ToArray()).ToArray();
        using var truth = new TruthFiles(options.OutDir);
        long people = 0, households = 0, deceased = 0;
        try
        {
            for (long index = 0; people < options.People; index++)
            {
                var stream = new HouseholdStream(new Rng(options.Seed, (ulong)index), options, counts);
                var household = factory.Make(ref stream.Rng, index);
                WriteFullExtracts(stream, household, full, truth);
                for (var day = 1; day <= options.Days; day++)
                {
                    if (stream.Rng.Chance(options.Noise.DailyChange))
                    {
                        var kind = DailyEvents.Apply(ref stream.Rng, household, factory, options.Snapshot.AddDays(day), stream, out var apply);
                        if (kind is not null)
                        {
                            deltaEvents[kind] = deltaEvents.GetValueOrDefault(kind) + 1;
                            WriteDelta(stream, household, deltas, day, apply, truth);
                        }
                    }
                }
                foreach (var negative in factory.TakeHardNegatives())
                {
                    truth.HardNegative(negative);
                    hardNegatives[negative.Kind] = hardNegatives.GetValueOrDefault(negative.Kind) + 1;
                }
                truth.Household(household);
                foreach (var person in household.Members)
                {
                    truth.Person(person);
                    deceased += person.IsAlive ? 0 : 1;
                }
                if (household.Members.Any(m => m.IsAlive))
                {
                    incomeGroups[IncomeGroup(household.MonthlyIncome)]++;
                }
                people += household.Members.Count;
                households++;
                if (households % 5_000 == 0)
                {
                    progress?.Report(people);
                }
            }
        }
        finally
        {
            foreach (var writer in full.Concat(deltas.SelectMany(d => d)))
            {
                rowsPerFile[writer.RelativePath] = writer.Rows;
                writer.Dispose();
            }
        }
        progress?.Report(people);

        var noise = options.Noise.AsDictionary();
        var summary = new GenerationSummary(people, households, deceased, rowsPerFile, hardNegatives, incomeGroups,
            counts.Counts.ToDictionary(c => c.Key, c => new NoiseRate(noise.GetValueOrDefault(c.Key), c.Value.Eligible, c.Value.Applied)),
            deltaEvents);
        truth.Summary(summary, options);
        return summary;
    }

    static void WriteFullExtracts(HouseholdStream stream, Household household, ExtractWriter[] writers, TruthFiles truth)
    {
        for (var i = 0; i < Agency.All.Length; i++)
        {
            var agency = Agency.All[i];
            foreach (var record in agency.RecordsOf(household, p => stream.View(agency, p, household)))
            {
                var fields = agency.Render(record, household);
                truth.SourceRow(writers[i], writers[i].Write(fields), agency, record, household, "");
                // A batch job that ran twice: the same row, twice in one extract.
                if (!agency.Authoritative && stream.Counts.Roll(ref stream.Rng, "duplicate_row", stream.Options.Noise.DuplicateRow))
                {
                    truth.SourceRow(writers[i], writers[i].Write(fields), agency, record, household, "", "duplicate_row");
                }
            }
        }
    }

    /// <summary>What each agency sends for a day: inserts, updates and deletes between its view before and after.</summary>
    static void WriteDelta(HouseholdStream stream, Household household, ExtractWriter[][] deltas, int day, Action apply, TruthFiles truth)
    {
        var before = Agency.All.Select(a => Snapshot(stream, a, household)).ToArray();
        apply();
        for (var i = 0; i < Agency.All.Length; i++)
        {
            var agency = Agency.All[i];
            var after = Snapshot(stream, agency, household);
            var writer = deltas[i][day - 1];
            foreach (var (key, (record, fields)) in after)
            {
                if (!before[i].TryGetValue(key, out var old))
                {
                    Emit(writer, "I", fields, agency, record, household, truth);
                }
                else if (!old.Fields.SequenceEqual(fields))
                {
                    Emit(writer, "U", fields, agency, record, household, truth);
                }
            }
            foreach (var (key, (record, fields)) in before[i])
            {
                if (!after.ContainsKey(key))
                {
                    Emit(writer, "D", fields, agency, record, household, truth);
                }
            }
        }
    }

    static void Emit(ExtractWriter writer, string op, string?[] fields, Agency agency, AgencyRecord record, Household household, TruthFiles truth)
    {
        var line = writer.Write([op, (writer.Rows + 1).ToString(CultureInfo.InvariantCulture), .. fields]);
        truth.SourceRow(writer, line, agency, record, household, op);
    }

    static SortedDictionary<string, (AgencyRecord Record, string?[] Fields)> Snapshot(HouseholdStream stream, Agency agency, Household household)
    {
        var map = new SortedDictionary<string, (AgencyRecord, string?[])>(StringComparer.Ordinal);
        foreach (var record in agency.RecordsOf(household, p => stream.View(agency, p, household)))
        {
            map[record.Key] = (record, agency.Render(record, household));
        }
        return map;
    }
}

/// <summary>One household's random stream and the noisy views each agency holds of its members.</summary>
public sealed class HouseholdStream(Rng rng, GeneratorOptions options, NoiseCounts counts)
{
    public Rng Rng = rng;
    readonly Dictionary<(string Agency, string Person), AgencyView> _views = [];

    public GeneratorOptions Options { get; } = options;
    public NoiseCounts Counts { get; } = counts;

    public AgencyView View(Agency agency, Person person, Household household)
    {
        if (!_views.TryGetValue((agency.Code, person.Id), out var view))
        {
            view = Noise.View(ref Rng, person, household, Options.Noise, Counts, agency.Authoritative, Options.Snapshot, agency.InfantsUnnamed,
                agency.PrintsOneLineAddress);
            _views[(agency.Code, person.Id)] = view;
        }
        return view;
    }

    /// <summary>An agency fixes its record: from now on it holds the true values.</summary>
    public void Correct(Agency agency, Person person, Household household) =>
        _views[(agency.Code, person.Id)] = Noise.View(ref Rng, person, household, Options.Noise, Counts, authoritative: true, Options.Snapshot);

    public IEnumerable<(string Agency, Person Person)> NoisyRecords(Household household) =>
        _views.Where(v => v.Value.Noise.Count > 0).Select(v => (v.Key.Agency, household.Members.First(m => m.Id == v.Key.Person)))
            .OrderBy(v => v.Item1, StringComparer.Ordinal).ThenBy(v => v.Item2.Id, StringComparer.Ordinal);
}

/// <summary>The truth/ folder: written as the population streams past.</summary>
sealed class TruthFiles : IDisposable
{
    readonly string _outDir;
    readonly ExtractWriter _people;
    readonly ExtractWriter _households;
    readonly ExtractWriter _sources;
    readonly ExtractWriter _hardNegatives;

    public TruthFiles(string outDir)
    {
        _outDir = outDir;
        ExtractWriter Open(string name, string[] header) =>
            new(Path.Combine(outDir, "truth", name), $"truth/{name}", Agency.Utf8, ',', "\n", false, header);
        _people = Open("people.csv",
        [
            "person_id", "household_id", "role", "sex", "ethnicity", "full_name", "given_name", "surname", "father_name", "date_of_birth", "mykad",
            "citizen", "old_ic", "service_kind", "service_number", "birth_certificate", "passport", "died_on", "monthly_income", "employer",
            "phone", "spouse_id", "father_id", "mother_id", "tax_number", "epf_number",
        ]);
        _households = Open("households.csv",
        [
            "household_id", "head_person_id", "living_members", "address", "postcode", "town", "district", "state", "dwelling", "monthly_income",
            "income_group", "welfare_ref", "moved_on", "previous_postcode",
        ]);
        _sources = Open("source_records.csv", ["file", "line", "agency", "source_key", "op", "person_id", "household_id", "id_status", "noise"]);
        _hardNegatives = Open("hard_negatives.csv", ["person_a", "person_b", "kind"]);
    }

    static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public void Person(Person p) => _people.Write(
    [
        p.Id, p.HouseholdId, p.Role.ToString().ToLowerInvariant(), p.Male ? "M" : "F", p.Ethnicity.ToString(), p.Name.Full, p.Name.Given,
        p.Name.Surname, p.Name.FatherName, D(p.DateOfBirth), p.MyKad, p.Citizen ? "Y" : "N", p.OldIc, p.ServiceKind, p.ServiceNumber,
        p.BirthCertificate, p.Passport, D(p.DiedOn), p.MonthlyIncome.ToString(CultureInfo.InvariantCulture), p.Employer, p.Phone, p.SpouseId,
        p.FatherId, p.MotherId, p.TaxNumber, p.EpfNumber,
    ]);

    public void Household(Household h)
    {
        var a = h.Address;
        var living = h.Members.Count(m => m.IsAlive);
        _households.Write(
        [
            h.Id, h.Head.Id, living.ToString(CultureInfo.InvariantCulture), string.Join(", ", new[] { a.Unit, a.Street, a.Area }.Where(x => x.Length > 0)),
            a.Postcode, a.Town, a.District, a.State, a.Kind, h.MonthlyIncome.ToString(CultureInfo.InvariantCulture),
            living == 0 ? "" : PopulationGenerator.IncomeGroup(h.MonthlyIncome), h.WelfareRef, D(h.MovedOn), h.PreviousAddress?.Postcode,
        ]);
    }

    public void SourceRow(ExtractWriter file, long line, Agency agency, AgencyRecord record, Household household, string op, string? extraNoise = null)
    {
        var noise = extraNoise is null ? string.Join(';', record.View.Noise) : string.Join(';', record.View.Noise.Append(extraNoise));
        _sources.Write([file.RelativePath, line.ToString(CultureInfo.InvariantCulture), agency.Code, record.Key, op, record.Person.Id, household.Id,
            record.View.IdStatus, noise]);
    }

    public void HardNegative(HardNegative negative) => _hardNegatives.Write([negative.PersonA, negative.PersonB, negative.Kind]);

    public void Summary(GenerationSummary summary, GeneratorOptions options)
    {
        var document = new
        {
            seed = options.Seed,
            snapshot = D(options.Snapshot),
            days = options.Days,
            summary.People,
            summary.Households,
            summary.Deceased,
            income_groups = summary.IncomeGroups,
            hard_negatives = summary.HardNegatives,
            hard_negatives_total = summary.HardNegatives.Values.Sum(),
            rows_per_file = summary.RowsPerFile,
            noise = summary.Noise.OrderBy(n => n.Key, StringComparer.Ordinal).ToDictionary(n => n.Key, n => n.Value),
            delta_events = summary.DeltaEvents,
        };
        File.WriteAllText(Path.Combine(_outDir, "truth", "summary.json"),
            JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) + "\n");
    }

    public void Dispose()
    {
        _people.Dispose();
        _households.Dispose();
        _sources.Dispose();
        _hardNegatives.Dispose();
    }
}
