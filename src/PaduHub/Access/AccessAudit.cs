using System.Threading.Channels;
using Dapper;
using Npgsql;

namespace PaduHub.Access;

/// <summary>
/// Writes the append-only access audit. A personal-data answer is sent only after its audit row is committed, so
/// nothing is ever read unaudited; to keep that cheap under load, rows from requests arriving together share one
/// COPY and one commit (group commit): a request waits for at most the batch in flight and its own.
/// </summary>
public sealed class AccessAudit : IAsyncDisposable
{
    readonly string _connectionString;
    readonly Channel<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(IReadOnlyList<AuditEntry>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;

    public AccessAudit(string connectionString)
    {
        _connectionString = connectionString;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the rows are committed; throws if they could not be (the caller must not answer with the data then).</summary>
    public Task RecordAsync(params IReadOnlyList<AuditEntry> entries)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((entries, done)))
        {
            done.SetException(new InvalidOperationException("the access audit is closed"));
        }
        return done.Task;
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)>();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { MaxAutoPrepare = 4, AutoPrepareMinUsages = 2 }
            .ConnectionString);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (rows < 50_000 && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                rows += item.Entries.Count;
            }
            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.CloseAsync();
                    await connection.OpenAsync();
                }
                // One prepared INSERT of arrays per batch: a COPY costs three round trips, which is most of the work for
                // the dozen rows a batch usually holds.
                var rowsOf = batch.SelectMany(b => b.Entries).ToList();
                await connection.ExecuteAsync("""
                    insert into access_audit (at, client_id, client_name, purpose, action, subject, fields, status)
                    select at, client_id, client_name, purpose, action, subject,
                           case when fields = '' then null else string_to_array(fields, ',') end, status
                    from unnest(@at, @clientId, @clientName, @purpose, @action, @subject, @fields, @status)
                         as r(at, client_id, client_name, purpose, action, subject, fields, status)
                    """, new
                {
                    at = rowsOf.Select(e => e.At).ToArray(),
                    clientId = rowsOf.Select(e => e.ClientId).ToArray(),
                    clientName = rowsOf.Select(e => e.ClientName).ToArray(),
                    purpose = rowsOf.Select(e => e.Purpose).ToArray(),
                    action = rowsOf.Select(e => e.Action).ToArray(),
                    subject = rowsOf.Select(e => e.Subject).ToArray(),
                    fields = rowsOf.Select(e => e.Fields is null ? "" : string.Join(',', e.Fields)).ToArray(),
                    status = rowsOf.Select(e => e.Status).ToArray(),
                });
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>Audit rows, newest first, filtered by subject, client or time; for supervisors and investigations.</summary>
    public static async Task<List<AuditRow>> QueryAsync(NpgsqlConnection connection, string? subject, long? clientId, DateTime? since, int limit,
        CancellationToken cancellationToken = default) =>
        (await connection.QueryAsync<AuditRow>(new CommandDefinition("""
            select id, at, client_id as ClientId, client_name as ClientName, purpose, action, subject, fields, status
            from access_audit
            where (@subject::text is null or subject = @subject) and (@clientId::bigint is null or client_id = @clientId)
              and (@since::timestamptz is null or at >= @since)
            order by id desc limit @limit
            """, new { subject, clientId, since, limit }, cancellationToken: cancellationToken))).AsList();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
