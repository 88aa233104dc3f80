using Dapper;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Why two source records did or did not match, level by level, with the hub's current model: what the review page
/// shows for a doubtful pair, for any two records. Levels and weights only; no value of either record.
/// </summary>
/// <param name="A">one source record id</param>
/// <param name="B">the other</param>
/// <param name="Weight">the pair's weight (log2 odds), prior included</param>
/// <param name="Probability">the match probability the weight gives</param>
/// <param name="Verdict">what a run does with such a pair: "linked", "for review" or "apart" (before clustering's group checks)</param>
/// <param name="SameGoldenPerson">whether the two are one golden person now (steward decisions and clustering included)</param>
/// <param name="Fields">each comparison's level and weight</param>
/// <param name="Model">the model's check verdict, so a fallback model is never read as a sound one</param>
public sealed record PairExplanation(long A, long B, double Weight, double Probability, string Verdict, bool SameGoldenPerson,
    IReadOnlyList<FieldContribution> Fields, string Model)
{
    /// <summary>
    /// The explanation, or null when either record is not an active source record or no model this version can use is
    /// trained yet (none, or one from an older version, until the next full run).
    /// </summary>
    public static async Task<PairExplanation?> ExplainAsync(NpgsqlConnection connection, long a, long b, MatchSettings settings,
        CancellationToken cancellationToken = default)
    {
        var people = await SourcePerson.LoadAsync(connection, null, [a, b]);
        var json = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "select model::text from match_model order by id desc limit 1", cancellationToken: cancellationToken));
        if (people.Count != 2 || json is null)
        {
            return null;
        }
        var registered = await SourcePerson.RegisteredMyKadsAsync(connection, null, SourcePerson.MyKadsOf(people));
        var records = SourcePerson.ToMatchRecords(people, registered, DateOnly.FromDateTime(DateTime.UtcNow));
        var model = StoredModel.Parse(json);
        if (!model.IsCurrent)
        {
            return null; // trained by an older version: its levels are not this version's
        }
        var scored = model.Score(records[0], records[1]);
        var verdict = scored.Probability >= settings.LinkProbability ? "linked"
            : scored.Probability >= settings.ReviewProbability ? "for review" : "apart";
        var golden = (await connection.QueryAsync<long>(new CommandDefinition(
            "select distinct golden_id from golden_member where source_record_id = any(@ids)", new { ids = new[] { a, b } },
            cancellationToken: cancellationToken))).ToList();
        // People come back in id order; the explanation names them in that order, as the scores were taken.
        return new PairExplanation(people[0].Id, people[1].Id, Math.Round(scored.Weight, 3), Math.Round(scored.Probability, 6), verdict, golden.Count == 1,
            scored.Fields, model.Sanity.Verdict);
    }
}
