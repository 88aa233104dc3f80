using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;
using PaduHub.Ingestion;
using PaduHub.Stewardship;
using PaduHub.Tests.Ingestion;

namespace PaduHub.Tests.GoldenRecords;

/// <summary>
/// A steward's correction to a golden attribute stands over later extracts and re-matches, until the agency behind
/// the attribute sends a different value; then the agency has spoken again and the correction lapses.
/// </summary>
public sealed class CorrectionTests : IngestionFixture
{
    static readonly string[] s_agencies = ["JKM", "JPN", "KWSP", "LHDN", "TNB"];

    PersonMatching Matching() => new(ConnectionString, AgencyContracts.Load(), Path.Combine(Scratch, "match-index"));

    async Task<AttributeLineage?> Shown(long golden, string attribute)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var json = await connection.ExecuteScalarAsync<string>("select attributes::text from golden_person where id = @golden", new { golden });
        return JsonSerializer.Deserialize<Dictionary<string, AttributeLineage>>(json!)!.GetValueOrDefault(attribute);
    }

    [Test]
    public async Task A_correction_outlives_extracts_that_leave_the_value_alone_and_lapses_when_the_agency_changes_it()
    {
        foreach (var agency in s_agencies)
        {
            await Load(agency, Directory.GetFiles(Demo("extracts"), agency.ToLowerInvariant() + "_full.*").Single());
        }
        var matching = Matching();
        await matching.FullRematchAsync();
        // A living, single person in the registration extract; the test sends their row again, changed.
        var lines = File.ReadAllLines(Path.Combine(Demo("extracts"), "jpn_full.csv"));
        var header = DelimitedFile.Split(lines[0], ',');
        var (status, address) = (header.IndexOf("STATUS_KAHWIN"), header.IndexOf("ALAMAT_2"));
        var row = lines.Skip(1).Select(l => DelimitedFile.Split(l, ',')).First(f => f[status] == "BUJANG" && f[^1] == "");
        string Line(List<string> fields) => string.Join(',', fields.Select(f => f.Contains(',') ? $"\"{f}\"" : f));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var golden = await connection.ExecuteScalarAsync<long>(
            "select golden_id from golden_member m join source_record r on r.id = m.source_record_id where r.agency_code = 'JPN' and r.source_key = @key",
            new { key = row[0] });
        Assert.That((await Shown(golden, "marital_status"))?.Value, Is.EqualTo("SINGLE"));

        var correction = await AttributeCorrections.CorrectAsync(connection, golden, "marital_status", "married", "amina",
            "marriage certificate seen at the district office; JPN record not yet updated");
        await matching.MatchQueuedAsync();
        var corrected = await Shown(golden, "marital_status");
        Assert.That((corrected?.Value, corrected?.Agency, corrected?.CorrectionId, corrected?.CorrectedBy), Is.EqualTo(("MARRIED", "STEWARD", correction, "amina")));
        Assert.That(corrected!.Replaces, Does.StartWith("JPN record"));

        // JPN sends the person again with a new address but the same marital status: the correction stands.
        row[address] = "TAMAN BARU";
        await Load("JPN", Write("jpn_delta_0001.csv", $"OP,SEQ,{lines[0]}\nU,1,{Line(row)}\n"));
        await matching.MatchQueuedAsync();
        Assert.That((await Shown(golden, "marital_status"))?.Value, Is.EqualTo("MARRIED"), "an unrelated change leaves the correction standing");
        await matching.FullRematchAsync(retrain: false);
        Assert.That((await Shown(golden, "marital_status"))?.Value, Is.EqualTo("MARRIED"), "and so does a full re-match");

        // JPN now records a marital status of its own: the agency has spoken again.
        row[status] = "BERCERAI";
        await Load("JPN", Write("jpn_delta_0002.csv", $"OP,SEQ,{lines[0]}\nU,2,{Line(row)}\n"));
        await matching.MatchQueuedAsync();
        var after = await Shown(golden, "marital_status");
        Assert.That((after?.Value, after?.Agency, after?.CorrectionId), Is.EqualTo(("DIVORCED", "JPN", (long?)null)));
        var ended = await connection.QuerySingleAsync<(DateTime? At, string Why)>("select ended_at, ended_why from golden_correction where id = @correction",
            new { correction });
        Assert.That(ended.At, Is.Not.Null);
        Assert.That(ended.Why, Does.Contain("JPN changed the value"));
        Assert.That(await connection.ExecuteScalarAsync<string>(
            "select change from golden_person_history where golden_id = @golden order by version desc limit 1", new { golden }), Does.Contain("attributes"));
    }

    [Test]
    public async Task A_correction_that_does_not_fit_the_attribute_is_refused_with_the_reason_and_nothing_is_kept()
    {
        await Load("JPN", Path.Combine(Demo("extracts"), "jpn_full.csv"));
        await Matching().FullRematchAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var golden = await connection.ExecuteScalarAsync<long>("select min(id) from golden_person where status = 'active'");

        Assert.That(async () => await AttributeCorrections.CorrectAsync(connection, golden, "date_of_birth", "31/02/1990", "amina", "birth certificate"),
            Throws.ArgumentException.With.Message.Contains("date_of_birth must be a date, yyyy-mm-dd"));
        Assert.That(async () => await AttributeCorrections.CorrectAsync(connection, golden, "mykad", "900101145678", "amina", "x"),
            Throws.ArgumentException.With.Message.Contains("split the record or merge"));
        Assert.That(async () => await AttributeCorrections.CorrectAsync(connection, golden, "<script>", "x", "amina", "x"),
            Throws.ArgumentException.With.Message.Contains("not an attribute a steward can correct"));
        Assert.That(async () => await AttributeCorrections.CorrectAsync(connection, golden, "sex", "F", "amina", " "),
            Throws.ArgumentException.With.Message.Contains("say why"));
        Assert.That(async () => await AttributeCorrections.CorrectAsync(connection, 1L << 40, "sex", "F", "amina", "x"),
            Throws.TypeOf<ReviewNotFoundException>());
        Assert.That(async () => await AttributeCorrections.WithdrawAsync(connection, 999_999, "amina", "x"), Throws.TypeOf<ReviewNotFoundException>());
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from golden_correction"), Is.Zero);
        Assert.That(await connection.ExecuteScalarAsync<int>("select count(*) from steward_action"), Is.Zero);
    }
}
