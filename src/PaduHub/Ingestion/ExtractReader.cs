using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;

namespace PaduHub.Ingestion;

/// <summary>A file that cannot be loaded at all: nothing from it is kept, and the receipt says why.</summary>
public sealed class ExtractRejectedException(string reason) : Exception(reason);

/// <summary>One row of an extract on its way to the staging table: loaded, or rejected with where and why.</summary>
public sealed class StagedRow
{
    public long Line { get; init; }
    public string? Key { get; init; }
    public char Op { get; init; }
    public int Seq { get; init; }
    public byte[]? Hash { get; set; }
    public object?[] Values { get; } = new object?[CanonicalField.All.Length];
    public string? ExtraJson { get; set; }
    public List<string>? Issues { get; set; }
    public string? RejectField { get; init; }
    public string? RejectReason { get; init; }
    public string? RawLine { get; init; }
    public int RawLength { get; init; }

    public bool Rejected => RejectReason is not null;

    /// <summary>Same key and same values as the record's current version: nothing to write but the key.</summary>
    public bool Unchanged { get; set; }
}

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

    /// <summary>The key hash used for <see cref="Current"/> and duplicate detection: XxHash128 of the key's characters.</summary>
    public static UInt128 KeyHash(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

    public static UInt128 ToUInt128(byte[] bytes) => new(BitConverter.ToUInt64(bytes, 0), BitConverter.ToUInt64(bytes, 8));

    /// <summary>Longest line accepted. Real rows are a few hundred bytes; a 100 MB field is an attack or an accident.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>How much of a rejected line is kept for the agency to see.</summary>
    public const int MaxRawLineKept = 64 * 1024;

    public long RowsRead { get; private set; }

    Dictionary<UInt128, (long Line, UInt128 Hash)>? _seen;

    /// <summary>Whether a loadable row of this full extract named the key (by <see cref="KeyHash"/>), once it is read.</summary>
    public bool Named(UInt128 keyHash) => _seen?.ContainsKey(keyHash) == true;

    public IEnumerable<StagedRow> Read(Stream stream, IProgress<long>? progress = null)
    {
        var malformed = new Dictionary<long, (string Reason, string Raw, int Length)>();
        var options = new CsvReaderOptions
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
        using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        var columns = CheckHeader(reader);
        var keyIndexes = contract.Key.Select(k => Array.FindIndex(columns, c => c.Column?.Name == k)).ToArray();
        var opIndex = delta ? Array.FindIndex(columns, c => c.Name == contract.Delta.Operation) : -1;
        var seqIndex = delta ? Array.FindIndex(columns, c => c.Name == contract.Delta.Sequence) : -1;
        var idTypeIndex = Array.FindIndex(columns, c => c.Field == CanonicalField.IdType);
        var idIndex = Array.FindIndex(columns, c => c.Field == CanonicalField.IdNumber);
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
            yield return Stage(raw, columns, keyIndexes, opIndex, seqIndex, idTypeIndex, idIndex, line, rawBytes, seen, ref lastSeq);
        }
        progress?.Report(long.MaxValue);
    }

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

    /// <summary>A column of the file: its contract column, or a delta's OP/SEQ marker.</summary>
    readonly record struct FileColumn(string Name, ContractColumn? Column, int Field);

    FileColumn[] CheckHeader(CsvReader reader)
    {
        IReadOnlyList<string> header;
        try
        {
            header = reader.Headers;
        }
        catch (CsvFormatException e)
        {
            throw new ExtractRejectedException($"the header cannot be read: {e.Message}");
        }
        var names = header.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        if (names.Length == 0 || (names.Length == 1 && names[0].Length == 0))
        {
            throw new ExtractRejectedException("the file has no header line");
        }
        var expected = (delta ? new[] { contract.Delta.Operation, contract.Delta.Sequence } : []).Concat(contract.Columns.Select(c => c.Name)).ToArray();
        var missing = expected.Except(names, StringComparer.Ordinal).ToArray();
        var unexpected = names.Except(expected, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0 || unexpected.Length > 0 || names.Length != expected.Length)
        {
            var message = new StringBuilder($"the header does not match {contract.Agency}'s {(delta ? "delta" : "full")} extract layout");
            if (missing.Length > 0)
            {
                message.Append(CultureInfo.InvariantCulture, $"; missing columns: {string.Join(", ", missing.Take(10))}");
            }
            if (unexpected.Length > 0)
            {
                message.Append(CultureInfo.InvariantCulture, $"; unexpected columns: {string.Join(", ", unexpected.Take(10).Select(u => u.Length > 40 ? u[..40] + "..." : u))}");
            }
            if (names.Length == 1 && ",;|\t".Any(d => d != contract.Separator && names[0].Contains(d, StringComparison.Ordinal)))
            {
                var seen = ",;|\t".First(d => d != contract.Separator && names[0].Contains(d, StringComparison.Ordinal));
                message.Append(CultureInfo.InvariantCulture,
                    $"; the file looks {Describe(seen)}-separated but the contract says {Describe(contract.Separator)}");
            }
            throw new ExtractRejectedException(message.ToString());
        }
        return names.Select(n =>
        {
            var column = contract.Columns.FirstOrDefault(c => c.Name == n);
            return new FileColumn(n, column, column?.Field is { } f ? CanonicalField.IndexOf(f) : -1);
        }).ToArray();
    }

    static string Describe(char separator) => separator switch { '\t' => "tab", ',' => "comma", ';' => "semicolon", '|' => "pipe", _ => $"'{separator}'" };

    StagedRow Stage(string?[] raw, FileColumn[] columns, int[] keyIndexes, int opIndex, int seqIndex, int idTypeColumn, int idColumn, long line,
        ReadOnlySpan<byte> rawBytes, Dictionary<UInt128, (long Line, UInt128 Hash)>? seen, ref int lastSeq)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i]!.Contains('\0', StringComparison.Ordinal))
            {
                return Reject(line, rawBytes, columns[i].Name, "contains a NUL byte");
            }
        }
        string key;
        if (keyIndexes.Length == 1)
        {
            key = FieldRules.Tidy(raw[keyIndexes[0]]!);
        }
        else
        {
            key = string.Join("|", keyIndexes.Select(k => FieldRules.Tidy(raw[k]!)));
        }
        foreach (var k in keyIndexes)
        {
            if (FieldRules.Tidy(raw[k]!).Length == 0)
            {
                return Reject(line, rawBytes, columns[k].Name, "is a mandatory key and is empty");
            }
        }

        var op = 'I';
        var seq = 0;
        if (delta)
        {
            var opText = FieldRules.Tidy(raw[opIndex]!);
            op = opText == contract.Delta.Insert ? 'I' : opText == contract.Delta.Update ? 'U' : opText == contract.Delta.Delete ? 'D' : '?';
            if (op == '?')
            {
                return Reject(line, rawBytes, contract.Delta.Operation, $"must be {contract.Delta.Insert}, {contract.Delta.Update} or {contract.Delta.Delete}");
            }
            if (!int.TryParse(FieldRules.Tidy(raw[seqIndex]!), NumberStyles.None, CultureInfo.InvariantCulture, out seq) || seq <= lastSeq)
            {
                return Reject(line, rawBytes, contract.Delta.Sequence, $"must be a whole number greater than the previous row's ({lastSeq})");
            }
            lastSeq = seq;
        }

        // The identity document type decides how the number is checked: a MyKad has structure, an army number does not.
        string? idType = contract.IdType;
        var row = new StagedRow { Line = line, Key = key, Op = op, Seq = seq };
        if (idType is null && idTypeColumn >= 0 && FieldRules.Tidy(raw[idTypeColumn]!) is { Length: > 0 } typeText)
        {
            idType = columns[idTypeColumn].Column!.Values!.FirstOrDefault(v => string.Equals(v.Key, typeText, StringComparison.OrdinalIgnoreCase)).Value;
        }
        if (idType is null && idColumn >= 0 && FieldRules.Tidy(raw[idColumn]!) is { Length: > 0 } idText)
        {
            idType = FieldRules.InferIdType(idText);
        }

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
                    return Reject(line, rawBytes, column.Name, "is mandatory and is empty");
                }
                continue;
            }
            if (!FieldRules.TryClean(column, value, idType, today, out var clean, out var reason))
            {
                if (column.Invalid == InvalidValue.Reject || column.Required)
                {
                    return Reject(line, rawBytes, column.Name, reason!);
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
            row.ExtraJson = ExtraJson(extra);
        }
        var hash = row.Hash = RowHash(row);
        if (seen is not null)
        {
            // A full extract names each record once. A second row with the same key is rejected: an exact repeat
            // (a batch job that ran twice) or a conflicting one (the first row wins, and the agency is told).
            var keyHash = KeyHash(key);
            var rowHash = ToUInt128(hash);
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

    static StagedRow Reject(long line, ReadOnlySpan<byte> rawBytes, string? field, string reason)
    {
        var text = Encoding.UTF8.GetString(rawBytes.Length > MaxRawLineKept ? rawBytes[..MaxRawLineKept] : rawBytes);
        return new StagedRow { Line = line, RejectField = field, RejectReason = reason, RawLine = text.Replace('\0', '\uFFFD'), RawLength = rawBytes.Length };
    }

    /// <summary>{"a":"1","b":"2"} in key order, written by hand: this runs once per row of a million-row file.</summary>
    static string ExtraJson(Dictionary<string, string> extra)
    {
        var json = new StringBuilder("{");
        foreach (var (key, value) in extra.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }
            json.Append('"').Append(JsonText(key)).Append("\":\"").Append(JsonText(value)).Append('"');
        }
        return json.Append('}').ToString();
    }

    /// <summary>
    /// What <see cref="JsonEncodedText.Encode(string, System.Text.Encodings.Web.JavaScriptEncoder?)"/> makes of a value, without
    /// calling it for the plain ASCII nearly every value is (it costs more than the rest of the JSON): the text must
    /// stay exactly the same, because it is part of the row's fingerprint.
    /// </summary>
    internal static string JsonText(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`')
            {
                return JsonEncodedText.Encode(value).Value;
            }
        }
        return value;
    }

    /// <summary>
    /// What the row says, fingerprinted: a full extract that repeats a record unchanged writes no new version. The
    /// values go straight into the hash, each behind a type tag, with no text built in between (this runs for every
    /// row of a million-row file, and building the text was most of the parse).
    /// </summary>
    internal static byte[] RowHash(StagedRow row)
    {
        // The bytes are laid out in one buffer and hashed once: the same bytes as appending them one by one, so the
        // same fingerprint as every version stored before, at less than half the cost.
        var length = 1 + 2 * (row.ExtraJson?.Length ?? 0);
        foreach (var value in row.Values)
        {
            length += value switch { string text => 5 + 2 * text.Length, DateOnly => 5, decimal => 17, _ => 1 };
        }
        foreach (var issue in row.Issues ?? [])
        {
            length += 1 + 2 * issue.Length;
        }
        byte[]? rented = null;
        var buffer = length <= 2048 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        var at = 0;
        foreach (var value in row.Values)
        {
            switch (value)
            {
                case null:
                    buffer[at++] = 0;
                    break;
                case string text:
                    buffer[at++] = 1;
                    MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(buffer[at..]);
                    at += 2 * text.Length;
                    BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], text.Length);
                    at += 4;
                    break;
                case DateOnly date:
                    buffer[at++] = 2;
                    BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], date.DayNumber);
                    at += 4;
                    break;
                case decimal money:
                    buffer[at++] = 3;
                    decimal.GetBits(decimal.Round(money, 2), MemoryMarshal.Cast<byte, int>(buffer.Slice(at, 16)));
                    at += 16;
                    break;
            }
        }
        buffer[at++] = 4;
        MemoryMarshal.AsBytes((row.ExtraJson ?? "").AsSpan()).CopyTo(buffer[at..]);
        at += 2 * (row.ExtraJson?.Length ?? 0);
        foreach (var issue in row.Issues ?? [])
        {
            buffer[at++] = 4;
            MemoryMarshal.AsBytes(issue.AsSpan()).CopyTo(buffer[at..]);
            at += 2 * issue.Length;
        }
        var hash = XxHash128.Hash(buffer[..at]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return hash;
    }
}
