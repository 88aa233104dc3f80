using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>Ids for new source records and versions, taken from the shared sequences in blocks.</summary>
static class SourceIds
{
    /// <summary>
    /// Loads of different agencies parse and COPY side by side, but their merges, which take ids from the source
    /// tables' sequences, take turns until they commit: a block reserved as setval(nextval + n) is two steps, and
    /// another load's nextval between them would land inside the block and collide. (A first load needs no turn: its
    /// block comes from one nextval of first_load_block.)
    /// </summary>
    internal static Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.ingest.source-ids'))", transaction: transaction,
            cancellationToken: cancellationToken));

    /// <summary>Takes <paramref name="count"/> ids from a table's sequence in one call; returns the first.</summary>
    internal static async Task<long> ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, int count,
        CancellationToken cancellationToken)
    {
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select setval(pg_get_serial_sequence(@table, 'id'), nextval(pg_get_serial_sequence(@table, 'id')) + @extra)",
            new { table, extra = Math.Max(count, 1) - 1 }, transaction, cancellationToken: cancellationToken));
        return last - Math.Max(count, 1) + 1;
    }
}
