using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.GoldenRecords;
using PaduHub.Households;
using PaduHub.Server.Api;
using PaduHub.Stewardship;

namespace PaduHub.Server.Pages.Steward;

/// <summary>
/// One review item side by side: the two source records field by field with each comparison's agreement level and
/// weight, the golden records they are in now with the lineage of each attribute, and the steward's actions.
/// </summary>
public sealed class ReviewModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    public long A { get; private set; }
    public long B { get; private set; }
    public ReviewItem? Item { get; private set; }
    public IReadOnlyDictionary<string, string?> RecordA { get; private set; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string?> RecordB { get; private set; } = new Dictionary<string, string?>();
    public List<(string Field, int Level, string LevelName, double Weight)> Comparisons { get; } = [];
    public SortedDictionary<string, AttributeLineage>? GoldenA { get; private set; }
    public SortedDictionary<string, AttributeLineage>? GoldenB { get; private set; }
    public (string Decision, string By, string Reason, DateTime At)? Decision { get; private set; }

    /// <summary>A decided pair's weight and probability scored again with the model in use.</summary>
    public (double Weight, double Probability)? Rescored { get; private set; }

    /// <summary>
    /// A comparison in words. The identifier comparison is "missing" both when a record holds none and when the two
    /// hold different kinds of document (an old IC beside a MyKad), which are never compared with each other.
    /// </summary>
    public string Describe(string field, string levelName) =>
        field == "national_id" && levelName == "missing" && !string.IsNullOrEmpty(RecordA["id_number"]) && !string.IsNullOrEmpty(RecordB["id_number"])
            ? "identifiers of different kinds, not compared"
            : $"{field.Replace('_', ' ')}: {levelName}";

    /// <summary>The source columns shown, and the comparison (if any) that scores each.</summary>
    public static readonly (string Column, string Label, string[] Comparisons)[] Rows =
    [
        ("id_type", "ID type", []),
        ("id_number", "ID number", ["national_id"]),
        ("old_id_number", "Old IC", []),
        ("full_name", "Name", ["full_name", "given_name", "surname", PaduHub.Matching.MatchModel.NameAndBirthField,
            PaduHub.Matching.MatchModel.AgreeingTogetherField]),
        ("date_of_birth", "Date of birth", ["date_of_birth"]),
        ("sex", "Sex", ["sex"]),
        ("citizenship", "Citizenship", []),
        ("address", "Address", ["address", PaduHub.Matching.MatchModel.MovedField, PaduHub.Matching.MatchModel.NameAndHomeField]),
        ("postcode", "Postcode", ["postcode"]),
        ("town", "Town", ["city"]),
        ("state", "State", ["state"]),
        ("phone", "Phone", ["phone", PaduHub.Matching.MatchModel.NameAndPhoneField]),
        ("employer", "Employer", []),
        ("household_ref", "Welfare household", []),
    ];

    public async Task<IActionResult> OnGetAsync(long a, long b)
    {
        (A, B) = (a, b);
        await using var connection = Connect();
        Item = await ReviewQueue.FindAsync(connection, a, b, HttpContext.RequestAborted);
        if (Item is null)
        {
            await AuditAsync("GET /steward/review/{a}/{b}", $"pair:{a}:{b}", null, 404);
            return NotFound();
        }
        RecordA = await SourceFieldsAsync(connection, a);
        RecordB = await SourceFieldsAsync(connection, b);
        foreach (var f in Item.Fields.EnumerateArray())
        {
            Comparisons.Add((f.GetProperty("field").GetString()!, f.GetProperty("level").GetInt32(), f.GetProperty("level_name").GetString()!,
                f.GetProperty("weight").GetDouble()));
        }
        if (Comparisons.Count == 0)
        {
            // A decided pair is no longer scored by runs; the evidence the steward decided on is scored again with the
            // model in use, so it stays in view after the decision.
            await connection.OpenAsync(HttpContext.RequestAborted);
            if (await PairExplanation.ExplainAsync(connection, a, b, new PaduHub.Matching.MatchSettings(), HttpContext.RequestAborted) is { } explained)
            {
                Comparisons.AddRange(explained.Fields.Select(f => (f.Field, f.Level, f.LevelName, f.Weight)));
                Rescored = (explained.Weight, explained.Probability);
            }
        }
        GoldenA = await AttributesAsync(connection, Item.A.GoldenId);
        GoldenB = await AttributesAsync(connection, Item.B.GoldenId);
        Decision = await connection.QuerySingleOrDefaultAsync<(string, string, string, DateTime)?>(
            "select decision, decided_by, reason, decided_at from match_decision where source_a = @a and source_b = @b", new { a, b });
        await AuditAsync("GET /steward/review/{a}/{b}", $"pair:{a}:{b}", ["identity", "address", "income"]);
        return Page();
    }

    static async Task<Dictionary<string, string?>> SourceFieldsAsync(Npgsql.NpgsqlConnection connection, long sourceRecordId)
    {
        var columns = string.Join(", ", Rows.Select(r => $"v.{r.Column}::text as {r.Column}"));
        var row = (IDictionary<string, object?>)await connection.QuerySingleAsync($"""
            select r.agency_code::text as agency, {columns} from source_record r join source_record_version v on v.id = r.current_version_id where r.id = @sourceRecordId
            """, new { sourceRecordId });
        return row.ToDictionary(kv => kv.Key, kv => kv.Value as string);
    }

    internal static async Task<SortedDictionary<string, AttributeLineage>?> AttributesAsync(Npgsql.NpgsqlConnection connection, long? goldenId) =>
        goldenId is null ? null
        : await connection.QuerySingleOrDefaultAsync<string>("select attributes::text from golden_person where id = @goldenId", new { goldenId }) is { } json
            ? JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(json)
            : null;

    static async Task<List<long>> GoldenOfAsync(Npgsql.NpgsqlConnection connection, long a, long b) =>
        (await connection.QueryAsync<long>("select distinct golden_id from golden_member where source_record_id in (@a, @b) order by 1", new { a, b })).AsList();

    public Task<IActionResult> OnPostClaimAsync(long a, long b) =>
        ActAsync("POST /steward/review/{a}/{b}/claim", $"pair:{a}:{b}", async connection =>
        {
            await ReviewQueue.ClaimAsync(connection, a, b, StewardName, HttpContext.RequestAborted);
            return $"You hold this item for {ReviewQueue.ClaimLifetime.TotalMinutes:0} minutes.";
        }, () => RedirectToPage(new { a, b }));

    public Task<IActionResult> OnPostDecideAsync(long a, long b, string? decision, string? reason, [FromServices] PersonMatching matching,
        [FromServices] GoldenHouseholds households) =>
        ActAsync("POST /steward/review/{a}/{b}/decision", $"pair:{a}:{b}", async connection =>
        {
            await ReviewQueue.DecideAsync(connection, a, b, decision ?? "", StewardName, reason ?? "", HttpContext.RequestAborted, supervisor: IsSupervisor);
            if (decision == "defer")
            {
                return "Deferred with your note; it stays in the queue.";
            }
            await ReviewEndpoints.ApplyAtOnceAsync(matching, households, HttpContext.RequestAborted);
            LinkPeople(await GoldenOfAsync(connection, a, b));
            LinkResult($"/steward/review/{a}/{b}", "the decided pair and its evidence");
            return decision == "same" ? "Merged: the two records are one person now, and their households were formed again."
                : "Kept apart for good: no later run will link these two records.";
        }, () => decision == "defer" || Problem is not null ? RedirectToPage(new { a, b }) : RedirectToPage("Index"));

    public Task<IActionResult> OnPostUndoAsync(long a, long b, string? reason, [FromServices] PersonMatching matching,
        [FromServices] GoldenHouseholds households) =>
        ActAsync("POST /steward/review/{a}/{b}/undo", $"pair:{a}:{b}", async connection =>
        {
            await ReviewQueue.UndoAsync(connection, a, b, StewardName, IsSupervisor, reason ?? "", HttpContext.RequestAborted);
            await ReviewEndpoints.ApplyAtOnceAsync(matching, households, HttpContext.RequestAborted);
            LinkPeople(await GoldenOfAsync(connection, a, b));
            return "Decision undone: matching decides this pair again.";
        }, () => RedirectToPage(new { a, b }));
}
