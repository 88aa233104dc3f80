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
    /// <summary>The date the agency said the file describes, if it said.</summary>
    public DateOnly? AsOf { get; init; }
    public DateTime? FinishedAt { get; init; }
    public int RowsRead { get; init; }
    public int Inserted { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    public int Withdrawn { get; init; }
    public int Deleted { get; init; }
    public int Rejected { get; init; }
    /// <summary>Milliseconds by step (parse_validate, copy, merge, total), as the database keeps them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Timings { get; init; } = "{}";

    /// <summary>The timings as a JSON object, not a string holding one.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("timings_ms")]
    public System.Text.Json.JsonElement TimingsMs => System.Text.Json.JsonDocument.Parse(Timings).RootElement.Clone();
    /// <summary>True when this file had been received before: this is the first receipt, and nothing changed.</summary>
    public bool Duplicate { get; init; }

    internal const string Columns = """
        id as Id, agency_code as AgencyCode, kind as Kind, sequence as Sequence, file_name as FileName, checksum as Checksum,
        size_bytes as SizeBytes, status as Status, reason as Reason, received_via as ReceivedVia, received_at as ReceivedAt, as_of as AsOf,
        finished_at as FinishedAt, rows_read as RowsRead, inserted as Inserted, updated as Updated, unchanged as Unchanged,
        withdrawn as Withdrawn, deleted as Deleted, rejected as Rejected, timings::text as Timings
        """;

    public static async Task<ExtractReceipt?> FindAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken = default) =>
        await connection.QuerySingleOrDefaultAsync<ExtractReceipt>(new CommandDefinition(
            $"select {Columns} from extract where id = @id", new { id }, cancellationToken: cancellationToken));

    /// <summary>
    /// An extract's rejected rows after a line, for a receipt: line, field and reason (not the raw line, which holds
    /// personal data). A row rejected for two reasons comes twice.
    /// </summary>
    public static async Task<IReadOnlyList<RejectedRow>> RejectedRowsAsync(NpgsqlConnection connection, long extractId, int limit = 100,
        CancellationToken cancellationToken = default, long afterLine = 0) =>
        (await connection.QueryAsync<RejectedRow>(new CommandDefinition("""
            select line_number as LineNumber, field as Field, reason as Reason from rejected_row
            where extract_id = @extractId and line_number > @afterLine order by line_number, id limit @limit
            """, new { extractId, limit, afterLine }, cancellationToken: cancellationToken))).ToList();

    /// <summary>An agency's receipts, newest first, from before an extract id (paging), optionally by status, kind and time.</summary>
    public static async Task<IReadOnlyList<ExtractReceipt>> ListAsync(NpgsqlConnection connection, string agency, string? status, string? kind,
        DateTime? since, long? beforeId, int limit, CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<ExtractReceipt>(new CommandDefinition($"""
            select {Columns} from extract
            where agency_code = @agency and (@status::text is null or status = @status) and (@kind::text is null or kind = @kind)
              and (@since::timestamptz is null or received_at >= @since) and (@beforeId::bigint is null or id < @beforeId)
            order by id desc limit @limit
            """, new { agency, status, kind, since, beforeId, limit }, cancellationToken: cancellationToken))).ToList();

    /// <summary>What a load changed downstream: its source records, how many still wait for matching, the golden persons now holding them and those of them changed since.</summary>
    public static Task<ExtractDownstream> DownstreamAsync(NpgsqlConnection connection, long extractId, CancellationToken cancellationToken = default) =>
        connection.QuerySingleAsync<ExtractDownstream>(new CommandDefinition("""
            with records as (select distinct source_record_id from source_record_version where extract_id = @extractId),
            golden as (select distinct m.golden_id from records r join golden_member m on m.source_record_id = r.source_record_id)
            select (select count(*)::int from records) as SourceRecords,
                   (select count(distinct source_record_id)::int from match_queue where extract_id = @extractId) as WaitingForMatching,
                   (select count(*)::int from golden) as GoldenPersons,
                   -- of those, the ones the change feed has an event for since the file arrived: created, changed, merged into
                   (select count(distinct c.golden_id)::int from golden_change c join golden g on g.golden_id = c.golden_id
                    where c.subject = 'person' and c.at >= (select received_at from extract where id = @extractId)) as GoldenPersonsChanged
            """, new { extractId }, cancellationToken: cancellationToken, commandTimeout: 120));
}

/// <summary>
/// Where an extract's records went: source records it inserted, changed or deleted; those matching has not yet seen;
/// the golden persons holding them now, and how many of those were created or changed since the file arrived.
/// </summary>
public sealed record ExtractDownstream(int SourceRecords, int WaitingForMatching, int GoldenPersons, int GoldenPersonsChanged);
