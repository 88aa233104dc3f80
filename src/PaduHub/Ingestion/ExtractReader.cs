using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace PaduHub.Ingestion;

/// <summary>
/// Reads an agency file by its contract, row by row, without holding the file in memory: CsvHelper parses, each
/// column is cleaned by its rule, and every row comes out either clean or rejected with its line, field and reason.
/// Problems that make the whole file untrustworthy (wrong encoding, wrong header, truncation, an absurdly long line)
/// throw <see cref="ExtractRejectedException"/>.
/// </summary>
public sealed class ExtractReader(AgencyContract contract, bool delta, DateOnly today)
{
    /// <summary>
    /// What the hub already holds for this agency: key hash to the current version's row hash, for active records.
    /// A full-extract row that matches is marked <see cref="StagedRow.Unchanged"/> and travels to the database as a
    /// bare key (the nightly snapshot is mostly unchanged rows, and they need no fields, no join and no version).
    /// </summary>
    public IReadOnlyDictionary<UInt128, UInt128>? Current { get; init; }

    /// <summary>
    /// About how many rows the file has (its line breaks), so the table of keys seen is sized once: grown by doubling
    /// to a million keys, it leaves tens of megabytes of garbage on the large object heap and a string of full
    /// collections behind it.
    /// </summary>
    public long ExpectedRows { get; init; }

    /// <summary>
    /// The table is sized for at most this many keys up front (about 100 MB): a file of millions of empty lines must
    /// not make the loader take gigabytes before it has read a key. Past it, the table grows as keys arrive.
    /// </summary>
    const int MaxPresizedKeys = 2_000_000;

    /// <summary>Longest line accepted. Real rows are a few hundred bytes; a 100 MB field is an attack or an accident.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>How much of a rejected line is kept for the agency to see.</summary>
    public const int MaxRawLineKept = 64 * 1024;

    public long RowsRead { get; private set; }

    Dictionary<UInt128, (long Line, UInt128 Hash)>? _seen;

    /// <summary>Whether a loadable row of this full extract named the key (by <see cref="RowFingerprint.KeyHash"/>), once it is read.</summary>
    public bool Named(UInt128 keyHash) => _seen?.ContainsKey(keyHash) == true;

    public IEnumerable<StagedRow> Read(Stream stream, IProgress<long>? progress = null)
    {
        var malformed = new Dictionary<long, (string Reason, string Raw, int Length)>();
        using var reader = CsvReader.Create(stream, OptionsFor(malformed), leaveOpen: true);
        var columns = ExtractHeader.Check(reader, contract, delta);
        var layout = new Layout(columns,
            contract.Key.Select(k => Array.FindIndex(columns, c => c.Column?.Name == k)).ToArray(),
            delta ? Array.FindIndex(columns, c => c.Name == contract.Delta.Operation) : -1,
            delta ? Array.FindIndex(columns, c => c.Name == contract.Delta.Sequence) : -1,
            Array.FindIndex(columns, c => c.Field == CanonicalField.IdType),
            Array.FindIndex(columns, c => c.Field == CanonicalField.IdNumber));
        var seen = _seen = delta ? null : new Dictionary<UInt128, (long Line, UInt128 Hash)>((int)Math.Clamp(ExpectedRows, 0, MaxPresizedKeys));
        var lastSeq = 0;
        var raw = new string?[columns.Length];

        while (true)
        {
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (CsvFormatException e)
            {
                throw new ExtractRejectedException(e.Message.Contains("too large", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("MaxRecordSize", StringComparison.Ordinal)
                    ? $"line {e.LineNumber} is longer than {MaxLineBytes / 1024:N0} KiB (a field of that size is not a record); nothing was loaded"
                    : $"line {e.LineNumber} cannot be read: {e.Message}");
            }
            foreach (var skipped in TakeMalformedBefore(malformed, more ? reader.LineNumber : long.MaxValue))
            {
                RowsRead++;
                yield return skipped;
            }
            if (!more)
            {
                break;
            }
            var line = reader.LineNumber;
            RowsRead++;
            if (RowsRead % 8192 == 0)
            {
                progress?.Report(reader.ByteOffset);
            }
            var rawBytes = reader.RawRecord;
            if (contract.TextEncoding is UTF8Encoding && !Utf8.IsValid(rawBytes))
            {
                throw new ExtractRejectedException(
                    $"line {line} is not valid UTF-8, but {contract.Agency}'s contract says {contract.Encoding}: was the file saved in another encoding (e.g. Windows-1252)? nothing was loaded");
            }
            for (var i = 0; i < columns.Length; i++)
            {
                raw[i] = reader.GetString(i);
            }
            yield return Stage(raw, layout, line, rawBytes, seen, ref lastSeq);
        }
        progress?.Report(long.MaxValue);
    }

    /// <summary>The reader's options by the contract; rows it cannot parse are kept in <paramref name="malformed"/> by line.</summary>
    CsvReaderOptions OptionsFor(Dictionary<long, (string Reason, string Raw, int Length)> malformed) => new()
    {
        Separator = contract.Separator,
        HasHeader = true,
        // Left unset for UTF-8 so the reader keeps the bytes as sent and a stray Windows-1252 byte can be caught;
        // setting it would transcode and quietly turn bad bytes into U+FFFD.
        Encoding = contract.TextEncoding is UTF8Encoding ? null : contract.TextEncoding,
        AllowLineBreaksInQuotes = false,
        MalformedData = CsvMalformedDataHandling.Skip,
        FieldCountMismatch = CsvFieldCountHandling.Skip,
        TrackLineNumbers = true,
        MaxRecordSize = MaxLineBytes,
        IncludeValuesInExceptions = false,
        SkipEmptyLines = true,
        OnMalformedRecord = record =>
        {
            var reason = record.Reason switch
            {
                CsvMalformedReason.FieldCountMismatch => $"has a different number of fields from the header ({contract.Columns.Length + (delta ? 2 : 0)} expected)",
                CsvMalformedReason.StrayQuote => "has a quote inside an unquoted field",
                CsvMalformedReason.TextAfterClosingQuote => "has text after a closing quote",
                CsvMalformedReason.UnterminatedQuote => "has a quoted field that is never closed",
                CsvMalformedReason.LineBreakInQuotes => "has a quoted field that runs past the end of the line",
                _ => $"is malformed ({record.Reason})",
            };
            var raw = record.RawRecord ?? "";
            malformed[record.LineNumber] = (reason, raw.Length > MaxRawLineKept ? raw[..MaxRawLineKept] : raw, raw.Length);
        },
    };

    static IEnumerable<StagedRow> TakeMalformedBefore(Dictionary<long, (string Reason, string Raw, int Length)> malformed, long line)
    {
        if (malformed.Count == 0)
        {
            return [];
        }
        var due = malformed.Where(m => m.Key < line).OrderBy(m => m.Key).ToList();
        foreach (var (l, _) in due)
        {
            malformed.Remove(l);
        }
        return due.Select(m => new StagedRow { Line = m.Key, RejectReason = $"row {m.Value.Reason}", RawLine = m.Value.Raw, RawLength = m.Value.Length });
    }

    /// <summary>Where the file's columns are: every column, the key's, a delta's operation and sequence, the identity document's.</summary>
    sealed record Layout(ExtractHeader.FileColumn[] Columns, int[] KeyIndexes, int OpIndex, int SeqIndex, int IdTypeColumn, int IdColumn);

    /// <summary>One row cleaned by its columns' rules and fingerprinted, or rejected with the field and reason.</summary>
    StagedRow Stage(string?[] raw, Layout layout, long line, ReadOnlySpan<byte> rawBytes, Dictionary<UInt128, (long Line, UInt128 Hash)>? seen,
        ref int lastSeq)
    {
        var problem = CheckKeyAndOperation(raw, layout, ref lastSeq, out var key, out var op, out var seq);
        if (problem is { } keyProblem)
        {
            return Reject(line, rawBytes, keyProblem.Field, keyProblem.Reason);
        }
        var row = new StagedRow { Line = line, Key = key, Op = op, Seq = seq };
        problem = CleanFields(raw, layout, row, IdTypeOf(raw, layout));
        if (problem is { } fieldProblem)
        {
            return Reject(line, rawBytes, fieldProblem.Field, fieldProblem.Reason);
        }
        var hash = row.Hash = RowFingerprint.RowHash(row);
        if (seen is not null)
        {
            // A full extract names each record once. A second row with the same key is rejected: an exact repeat
            // (a batch job that ran twice) or a conflicting one (the first row wins, and the agency is told).
            var keyHash = RowFingerprint.KeyHash(key);
            var rowHash = RowFingerprint.ToUInt128(hash);
            if (seen.TryGetValue(keyHash, out var first))
            {
                return Reject(line, rawBytes, string.Join("+", contract.Key), first.Hash == rowHash
                    ? $"repeats line {first.Line} exactly (same key, same values)"
                    : $"has the same key as line {first.Line} but different values; line {first.Line} was kept");
            }
            seen[keyHash] = (line, rowHash);
            row.Unchanged = Current is not null && Current.TryGetValue(keyHash, out var current) && current == rowHash;
        }
        return row;
    }

    /// <summary>No NUL anywhere, the key present, and a delta's operation and sequence valid.</summary>
    (string? Field, string Reason)? CheckKeyAndOperation(string?[] raw, Layout layout, ref int lastSeq, out string key, out char op, out int seq)
    {
        (op, seq) = ('I', 0);
        key = "";
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i]!.Contains('\0', StringComparison.Ordinal))
            {
                return (layout.Columns[i].Name, "contains a NUL byte");
            }
        }
        var keyIndexes = layout.KeyIndexes;
        key = keyIndexes.Length == 1 ? FieldRules.Tidy(raw[keyIndexes[0]]!) : string.Join("|", keyIndexes.Select(k => FieldRules.Tidy(raw[k]!)));
        foreach (var k in keyIndexes)
        {
            if (FieldRules.Tidy(raw[k]!).Length == 0)
            {
                return (layout.Columns[k].Name, "is a mandatory key and is empty");
            }
        }
        if (!delta)
        {
            return null;
        }
        var opText = FieldRules.Tidy(raw[layout.OpIndex]!);
        op = opText == contract.Delta.Insert ? 'I' : opText == contract.Delta.Update ? 'U' : opText == contract.Delta.Delete ? 'D' : '?';
        if (op == '?')
        {
            return (contract.Delta.Operation, $"must be {contract.Delta.Insert}, {contract.Delta.Update} or {contract.Delta.Delete}");
        }
        if (!int.TryParse(FieldRules.Tidy(raw[layout.SeqIndex]!), NumberStyles.None, CultureInfo.InvariantCulture, out seq) || seq <= lastSeq)
        {
            return (contract.Delta.Sequence, $"must be a whole number greater than the previous row's ({lastSeq})");
        }
        lastSeq = seq;
        return null;
    }

    /// <summary>The identity document type decides how the number is checked: a MyKad has structure, an army number does not.</summary>
    string? IdTypeOf(string?[] raw, Layout layout)
    {
        var idType = contract.IdType;
        if (idType is null && layout.IdTypeColumn >= 0 && FieldRules.Tidy(raw[layout.IdTypeColumn]!) is { Length: > 0 } typeText)
        {
            idType = layout.Columns[layout.IdTypeColumn].Column!.Values!.FirstOrDefault(v => string.Equals(v.Key, typeText, StringComparison.OrdinalIgnoreCase)).Value;
        }
        if (idType is null && layout.IdColumn >= 0 && FieldRules.Tidy(raw[layout.IdColumn]!) is { Length: > 0 } idText)
        {
            idType = FieldRules.InferIdType(idText);
        }
        return idType;
    }

    /// <summary>Each column's value cleaned into the row by its rule; a value its rule refuses rejects the row or becomes an issue.</summary>
    (string? Field, string Reason)? CleanFields(string?[] raw, Layout layout, StagedRow row, string? idType)
    {
        var columns = layout.Columns;
        Dictionary<string, string>? extra = null;
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i].Column;
            if (column is null)
            {
                continue;
            }
            var value = FieldRules.Tidy(raw[i]!);
            if (value.Length == 0)
            {
                if (column.Required)
                {
                    return (column.Name, "is mandatory and is empty");
                }
                continue;
            }
            if (!FieldRules.TryClean(column, value, idType, today, out var clean, out var reason))
            {
                if (column.Invalid == InvalidValue.Reject || column.Required)
                {
                    return (column.Name, reason!);
                }
                (row.Issues ??= []).Add($"{column.Name}: {reason}");
                continue;
            }
            if (columns[i].Field >= 0)
            {
                // Several columns may fill one field (address lines): join them in file order.
                var f = columns[i].Field;
                row.Values[f] = row.Values[f] is string existing && clean is string more ? $"{existing}, {more}" : clean;
            }
            else if (column.Field is { } extraField && extraField.StartsWith("extra:", StringComparison.Ordinal))
            {
                (extra ??= new Dictionary<string, string>(StringComparer.Ordinal))[extraField[6..]] = Convert.ToString(clean, CultureInfo.InvariantCulture)!;
            }
        }
        if (row.Values[CanonicalField.IdNumber] is not null)
        {
            row.Values[CanonicalField.IdType] ??= idType;
        }
        if (extra is not null)
        {
            row.ExtraJson = RowFingerprint.ExtraJson(extra);
        }
        return null;
    }

    static StagedRow Reject(long line, ReadOnlySpan<byte> rawBytes, string? field, string reason)
    {
        var text = Encoding.UTF8.GetString(rawBytes.Length > MaxRawLineKept ? rawBytes[..MaxRawLineKept] : rawBytes);
        return new StagedRow { Line = line, RejectField = field, RejectReason = reason, RawLine = text.Replace('\0', '\uFFFD'), RawLength = rawBytes.Length };
    }
}
