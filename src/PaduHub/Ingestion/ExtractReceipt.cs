using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>What an agency gets back for a file: what was loaded, what was rejected and why.</summary>
public sealed record ExtractReceipt
{
    public long Id { get; init; }
    public string AgencyCode { get; init; } = "";
    public string Kind { get; init; } = "";
    public int? Sequence { get; init; }
    public string FileName { get; init; } = "";
    public string Checksum { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string ReceivedVia { get; init; } = "";
    public DateTime ReceivedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public int RowsRead { get; init; }
    public int Inserted { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    public int Withdrawn { get; init; }
    public int Deleted { get; init; }
    public int Rejected { get; init; }
    public string Timings { get; init; } = "{}";
    /// <summary>True when this file had been received before: this is the first receipt, and nothing changed.</summary>
    public bool Duplicate { get; init; }

    internal const string Columns = """
        id as Id, agency_code as AgencyCode, kind as Kind, sequence as Sequence, file_name as FileName, checksum as Checksum,
        size_bytes as SizeBytes, status as Status, reason as Reason, received_via as ReceivedVia, received_at as ReceivedAt,
        finished_at as FinishedAt, rows_read as RowsRead, inserted as Inserted, updated as Updated, unchanged as Unchanged,
        withdrawn as Withdrawn, deleted as Deleted, rejected as Rejected, timings::text as Timings
        """;

    public static async Task<ExtractReceipt?> FindAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken = default) =>
        await connection.QuerySingleOrDefaultAsync<ExtractReceipt>(new CommandDefinition(
            $"select {Columns} from extract where id = @id", new { id }, cancellationToken: cancellationToken));

    /// <summary>The first rejected rows of an extract, for a receipt: line, field and reason (not the raw line, which holds personal data).</summary>
    public static async Task<IReadOnlyList<RejectedRow>> RejectedRowsAsync(NpgsqlConnection connection, long extractId, int limit = 100,
        CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<RejectedRow>(new CommandDefinition(
            "select line_number as LineNumber, field as Field, reason as Reason from rejected_row where extract_id = @extractId order by line_number limit @limit",
            new { extractId, limit }, cancellationToken: cancellationToken))).ToList();
}
