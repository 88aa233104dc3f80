using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>Rows an extract could not load, kept with their line, field, reason and raw line for the agency to see.</summary>
static class RejectedRows
{
    /// <summary>Copies the staged rows that were rejected into <c>rejected_row</c>; returns how many.</summary>
    public static Task<int> SaveFromStagingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long extractId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            insert into rejected_row (extract_id, line_number, field, reason, raw_line, raw_length)
            select @extractId, line, reject_field, reject_reason, raw_line, raw_length from staging where reject_reason is not null order by line
            """, new { extractId }, transaction, cancellationToken: cancellationToken));
}
