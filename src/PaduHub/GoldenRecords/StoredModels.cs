using Dapper;
using Npgsql;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>The newest trained model in <c>match_model</c>, read once per model: its term-frequency tables run to megabytes.</summary>
public sealed class StoredModels
{
    (long Id, MatchModel Model)? _newest;

    public async Task<MatchModel> NewestAsync(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        var id = await connection.ExecuteScalarAsync<long>("select max(id) from match_model", transaction: tx);
        if (_newest is { } cached && cached.Id == id)
        {
            return cached.Model;
        }
        var json = await connection.QuerySingleAsync<string>("select model::text from match_model where id = @id", new { id }, tx);
        var model = StoredModel.Parse(json);
        _newest = (id, model);
        return model;
    }

    public static Task<string?> NewestJsonAsync(NpgsqlConnection connection, NpgsqlTransaction tx) =>
        connection.QuerySingleOrDefaultAsync<string>("select model::text from match_model order by id desc limit 1", transaction: tx);

    /// <summary>
    /// The newest model as a person reads it, with when it was trained and the newest full run's own estimate; null
    /// before any model is trained.
    /// </summary>
    public static async Task<(ModelSummary Summary, DateTime TrainedAt)?> SummaryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var newest = await connection.QuerySingleOrDefaultAsync<(string Model, DateTime TrainedAt)?>(new CommandDefinition(
            "select model::text, trained_at from match_model order by id desc limit 1", cancellationToken: cancellationToken));
        if (newest is not { } found)
        {
            return null;
        }
        var estimate = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            select estimate::text from match_run
            where kind = 'full' and finished_at is not null and estimate is not null order by id desc limit 1
            """, cancellationToken: cancellationToken));
        return (ModelSummary.Of(StoredModel.Parse(found.Model), estimate is null ? null : ModelEstimate.Parse(estimate)), found.TrainedAt);
    }

    public static Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int recordCount, MatchModel model) =>
        connection.ExecuteAsync("insert into match_model (record_count, model) values (@count, @model::jsonb)",
            new { count = recordCount, model = StoredModel.ToJson(model) }, tx);
}
