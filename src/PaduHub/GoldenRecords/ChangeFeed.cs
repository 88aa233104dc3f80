using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace PaduHub.GoldenRecords;

/// <summary>One event in a golden person's or household's life, as the change feed hands it out.</summary>
/// <remarks>Detail carries ids and attribute names, never values: a follower that wants the value asks for the profile.</remarks>
public sealed record GoldenChange(
    [property: JsonPropertyName("cursor")] string Cursor,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("detail")] JsonElement Detail);

/// <summary>A page of the feed and where the next one starts.</summary>
public sealed record ChangePage(
    [property: JsonPropertyName("changes")] IReadOnlyList<GoldenChange> Changes,
    [property: JsonPropertyName("next_cursor")] string NextCursor,
    [property: JsonPropertyName("more")] bool More);

/// <summary>
/// Reads the change feed (sql/0016): events in (transaction, id) order, only from transactions that can no longer be
/// joined by an earlier one, so a cursor never steps past an event still being committed.
/// </summary>
public static class ChangeFeed
{
    public const int MaxPage = 10_000;

    /// <summary>The cursor before every event.</summary>
    public const string Start = "0";

    /// <summary>Reads a cursor: "0" or "TX-ID" as a page handed it out; false for anything else.</summary>
    public static bool TryParseCursor(string? text, out (ulong Tx, long Id) cursor)
    {
        cursor = (0, 0);
        if (string.IsNullOrEmpty(text) || text == Start)
        {
            return true;
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !ulong.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var tx)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }
        cursor = (tx, id);
        return true;
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="cursor"/> about the subjects asked for (person, household).</summary>
    public static async Task<ChangePage> ReadAsync(NpgsqlConnection connection, (ulong Tx, long Id) cursor, string[] subjects, int limit,
        CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        var rows = (await connection.QueryAsync<(long Id, string Tx, DateTime At, string Subject, long GoldenId, int Version, string Event, string Detail)>(
            new CommandDefinition("""
                select c.id, c.tx::text, c.at, c.subject, c.golden_id, c.version, c.event, c.detail::text from golden_change c
                where (c.tx, c.id) > (@tx::xid8, @id) and c.tx < pg_snapshot_xmin(pg_current_snapshot()) and c.subject = any(@subjects)
                order by c.tx, c.id limit @take
                """, new { tx = cursor.Tx.ToString(CultureInfo.InvariantCulture), cursor.Id, subjects, take = limit + 1 },
                cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > limit;
        var changes = rows.Take(limit).Select(r => new GoldenChange($"{r.Tx}-{r.Id.ToString(CultureInfo.InvariantCulture)}",
            new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc)), r.Subject, r.GoldenId, r.Version, r.Event,
            JsonDocument.Parse(r.Detail).RootElement.Clone())).ToList();
        var next = changes.Count > 0 ? changes[^1].Cursor
            : cursor.Tx == 0 && cursor.Id == 0 ? Start : $"{cursor.Tx.ToString(CultureInfo.InvariantCulture)}-{cursor.Id.ToString(CultureInfo.InvariantCulture)}";
        return new ChangePage(changes, next, more);
    }
}
