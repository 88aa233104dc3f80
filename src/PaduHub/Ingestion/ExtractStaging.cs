using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>
/// Reading an extract into PostgreSQL: the file parsed on one core while the other writes its rows by binary COPY into
/// a temporary staging table, which the full or delta merge then compares with what the hub holds.
/// </summary>
static class ExtractStaging
{
    /// <summary>The canonical fields' columns, bare and as the staging (s.) and fresh-row (f.) aliases the merges use.</summary>
    public static readonly string FieldList = string.Join(", ", CanonicalField.All.Select(f => f.Name));
    public static readonly string StagedFieldList = string.Join(", ", CanonicalField.All.Select(f => "s." + f.Name));
    public static readonly string FreshFieldList = string.Join(", ", CanonicalField.All.Select(f => "f." + f.Name));

    /// <summary>Parses the file and streams every row, loaded or rejected, into a temporary staging table by binary COPY.</summary>
    public static async Task StageAsync(NpgsqlConnection connection, ExtractReader reader, string path, bool delta, bool endsWithNewline,
        Dictionary<string, long> timings, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var fieldColumns = string.Join(", ", CanonicalField.All.Select(f => $"{f.Name} {SqlType(f.Type)}"));
        await connection.ExecuteAsync(new CommandDefinition($"""
            create temp table staging (
                line bigint, source_key text collate "C", op char(1), seq int, row_hash bytea, {fieldColumns},
                extra jsonb, issues text[], reject_field text, reject_reason text, raw_line text, raw_length int
            ) on commit drop
            """, cancellationToken: cancellationToken));
        using var stopParsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (batches, parser, parse) = ParseInBackground(reader, path, progress, stopParsing.Token);
        var copy = new Stopwatch();
        StagedRow? lastRow = null;
        long loadable = 0;
        try
        {
            await using var importer = await BinaryCopy.BeginAsync(connection,
                $"copy staging (line, source_key, op, seq, row_hash, {ExtractStaging.FieldList}, extra, issues, reject_field, reject_reason, raw_line, raw_length) from stdin (format binary)",
                cancellationToken);
            await foreach (var batch in batches.ReadAllAsync(CancellationToken.None))
            {
                // Stopping between rows, never inside a COPY message: disposing the importer then aborts the COPY cleanly
                // and the transaction rolls back with nothing written.
                cancellationToken.ThrowIfCancellationRequested();
                copy.Start();
                foreach (var row in batch)
                {
                    lastRow = row;
                    loadable += row.Rejected ? 0 : 1;
                    Write(importer, row, delta);
                    await importer.FlushIfFullAsync(CancellationToken.None);
                }
                copy.Stop();
            }
            RefuseWhole(reader, lastRow, endsWithNewline, delta, loadable);
            copy.Start();
            cancellationToken.ThrowIfCancellationRequested();
            await importer.CompleteAsync(CancellationToken.None);
            copy.Stop();
        }
        finally
        {
            await StopAsync(stopParsing, parser);
        }
        timings["parse_validate_ms"] = parse.ElapsedMilliseconds;
        timings["copy_ms"] = copy.ElapsedMilliseconds;
        var analyze = Stopwatch.StartNew();
        await connection.ExecuteAsync(new CommandDefinition("analyze staging", cancellationToken: cancellationToken));
        timings["analyze_ms"] = analyze.ElapsedMilliseconds;
    }

    const int BatchSize = 1024;

    /// <summary>
    /// Parsing and COPY overlap: a task parses into batches while the caller writes them to PostgreSQL, so each of the
    /// two cores has work. The channel is bounded, so memory stays flat whatever the file's size. Reading the channel
    /// to its end rethrows what the parser failed with (an ExtractRejectedException, say) once its rows are written.
    /// </summary>
    public static (ChannelReader<StagedRow[]> Batches, Task Parser, Stopwatch Parse) ParseInBackground(ExtractReader reader, string path,
        IProgress<long>? progress, CancellationToken stopParsing)
    {
        var batches = Channel.CreateBounded<StagedRow[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var parse = new Stopwatch();
        var parser = Task.Run(async () =>
        {
            parse.Start();
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                var batch = new List<StagedRow>(BatchSize);
                foreach (var row in reader.Read(stream, progress))
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        parse.Stop();
                        await batches.Writer.WriteAsync([.. batch], stopParsing);
                        parse.Start();
                        batch.Clear();
                    }
                }
                await batches.Writer.WriteAsync([.. batch], stopParsing);
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
            finally
            {
                parse.Stop();
            }
        }, CancellationToken.None);
        return (batches.Reader, parser, parse);
    }

    /// <summary>The parser must not outlive the load: stop it and wait, whatever happened.</summary>
    public static async Task StopAsync(CancellationTokenSource stopParsing, Task parser)
    {
        await stopParsing.CancelAsync();
        try
        {
            await parser;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Problems seen only once every row is read, which make the whole file untrustworthy.</summary>
    public static void RefuseWhole(ExtractReader reader, StagedRow? lastRow, bool endsWithNewline, bool delta, long loadable)
    {
        if (!endsWithNewline && lastRow is { Rejected: true })
        {
            throw new ExtractRejectedException(
                $"the file ends in the middle of line {lastRow.Line} (no final line break, and that row is incomplete): it looks truncated; nothing was loaded");
        }
        if (!delta && loadable == 0)
        {
            throw new ExtractRejectedException(reader.RowsRead == 0
                ? "the full extract has a header but no rows; loading it would withdraw every record of the agency, so it was refused"
                : $"none of the {reader.RowsRead:N0} rows could be loaded (the first: line {lastRow?.Line}: {lastRow?.RejectField} {lastRow?.RejectReason}); "
                  + "a full extract with no loadable rows would withdraw every record, so it was refused");
        }
    }

    static string SqlType(FieldType type) => type switch { FieldType.Date => "date", FieldType.Money => "numeric(14,2)", _ => "text" };

    static void Write(BinaryCopy copy, StagedRow row, bool delta)
    {
        copy.StartRow((short)(11 + CanonicalField.All.Length));
        copy.Int64(row.Line);
        copy.Text(row.Key);
        if (row.Unchanged)
        {
            // Only the key matters: it keeps the record from being withdrawn.
            copy.Text("=");
            // seq and row_hash, the canonical fields, then extra, issues, reject_field, reject_reason, raw_line
            for (var i = 0; i < 2 + CanonicalField.All.Length + 5; i++)
            {
                copy.Null();
            }
            copy.Int32(0);
            return;
        }
        copy.Text(row.Rejected ? null : OpText(row.Op));
        copy.Int32(row.Seq);
        copy.Bytes(row.Hash);
        WriteFields(copy, row);
        copy.Text(row.RejectField);
        copy.Text(row.RejectReason);
        // Raw lines are kept for rejected rows (the agency must see what it sent) and for deltas (a delete may name a key we never had).
        copy.Text(row.Rejected || delta ? row.RawLine : null);
        copy.Int32(row.RawLength);
    }

    static string OpText(char op) => op switch { 'I' => "I", 'U' => "U", 'D' => "D", _ => op.ToString() };

    /// <summary>The canonical fields in <see cref="CanonicalField.All"/> order, then extra and issues.</summary>
    public static void WriteFields(BinaryCopy copy, StagedRow row)
    {
        for (var i = 0; i < CanonicalField.All.Length; i++)
        {
            switch (row.Values[i])
            {
                case null: copy.Null(); break;
                case DateOnly d: copy.Date(d); break;
                case decimal m: copy.Numeric(m); break;
                case string text: copy.Text(text); break;
                default: throw new InvalidOperationException($"{CanonicalField.All[i].Name} holds a {row.Values[i]!.GetType().Name}");
            }
        }
        copy.Jsonb(row.ExtraJson);
        copy.TextArray(row.Issues);
    }
}
