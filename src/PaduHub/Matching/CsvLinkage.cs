using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CsvHelper;

namespace PaduHub.Matching;

/// <summary>padu match-csv: dedupe one CSV or link two, with the same engine the hub runs on agency records.</summary>
public static class CsvLinkage
{
    public static List<MatchRecord> Read(IReadOnlyList<string> files, LinkageSchema schema, DateOnly referenceDate)
    {
        // Folding names and addresses is most of reading, and each row's alone: a block of rows is folded on another core
        // while the next is parsed.
        const int block = 2048;
        var folds = new List<Task<MatchRecord[]>>();
        var rows = new List<(string Source, string Id, PersonFacts Facts)>(block);
        var read = 0;
        string[] attributes = [.. schema.Attributes];
        foreach (var file in files)
        {
            var source = Path.GetFileName(file);
            // A row the reader cannot take apart stops the run with its line and reason: every input row must come out
            // with a cluster, so none may be skipped or glued to its neighbour.
            string? malformed = null;
            var (stream, skipped) = OpenPastSeparatorLine(file);
            using var reader = CsvReader.Create(stream, OptionsFor(schema, file, skipped, why => malformed ??= why));
            var headers = reader.Headers.Select(h => h.Trim()).ToList();
            var mapped = headers.Select((h, i) => (Index: i, Column: schema.ColumnOf(h))).Where(c => c.Column is not null && schema.Columns[c.Column] != "ignore")
                .Select(c => (c.Index, Role: schema.Columns[c.Column!], Slot: Array.IndexOf(attributes, c.Column!))).ToList();
            if (mapped.Count == 0)
            {
                throw new ArgumentException($"{source}: none of its columns ({string.Join(", ", headers)}) is in the schema");
            }
            var row = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() | malformed is not null)
            {
                if (malformed is not null)
                {
                    throw new ArgumentException(malformed);
                }
                row++;
                var facts = FactsOf(reader, mapped, attributes, out var id);
                id ??= row.ToString(CultureInfo.InvariantCulture);
                if (!seen.Add(id))
                {
                    throw new ArgumentException($"{source} row {row}: record id '{id}' appears twice; ids must be unique within a file");
                }
                rows.Add((source, id, facts));
                if (rows.Count == block)
                {
                    folds.Add(Fold(read, rows));
                    (read, rows) = (read + block, new(block));
                }
            }
        }
        folds.Add(Fold(read, rows));
        return [.. Task.WhenAll(folds).GetAwaiter().GetResult().SelectMany(records => records)];

        Task<MatchRecord[]> Fold(int first, List<(string Source, string Id, PersonFacts Facts)> parsed) =>
            Task.Run(() => parsed.Select((r, i) => MatchRecord.From(first + i, r.Source, r.Id, r.Facts, referenceDate)).ToArray());
    }

    /// <summary>
    /// The schema's columns (other than those it ignores) that no file's header names: a misspelt column is otherwise
    /// skipped as one another file carries, and the run goes on without it.
    /// </summary>
    public static List<string> SchemaColumnsInNoFile(IReadOnlyList<string> files, LinkageSchema schema)
    {
        var headers = new List<string>();
        foreach (var file in files)
        {
            // Only the header is read, and only to warn: the whole file is not scanned for its encoding here.
            using var reader = CsvReader.Create(OpenPastSeparatorLine(file).Stream, OptionsFor(schema.DelimiterOf(file), new UTF8Encoding(false), Path.GetFileName(file), 0, _ => { }));
            headers.AddRange(reader.Headers.Select(h => h.Trim()));
        }
        return [.. schema.Columns.Where(c => c.Value != "ignore" && !headers.Any(h => string.Equals(h, c.Key, StringComparison.OrdinalIgnoreCase)))
            .Select(c => c.Key)];
    }

    /// <summary>
    /// How one file is read. A file that is not UTF-8 throughout is read as Latin-1 (a spreadsheet's export: JÜRGEN
    /// stays JÜRGEN, not J?RGEN). A quoted field may hold a line break (a spreadsheet's address cell); a quote never
    /// closed still stops the run.
    /// </summary>
    static CsvReaderOptions OptionsFor(LinkageSchema schema, string file, int skipped, Action<string> malformed) => OptionsFor(schema.DelimiterOf(file),
        IsUtf8(file) ? new UTF8Encoding(false) : Encoding.Latin1, Path.GetFileName(file), skipped, malformed);

    /// <summary>
    /// A file opened at its header: past a first line such as Excel's <c>sep=;</c> (<see cref="LinkageSchema.DelimiterOf"/>
    /// takes the separator from it), with how many lines were passed, so that errors still count lines from the file's first.
    /// </summary>
    static (Stream Stream, int Skipped) OpenPastSeparatorLine(string file)
    {
        var stream = File.OpenRead(file);
        Span<byte> start = stackalloc byte[12];
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        var bom = start[..read].StartsWith("\uFEFF"u8) ? 3 : 0;
        var end = start[bom..read].IndexOf((byte)'\n');
        if (end > 0 && LinkageSchema.SeparatorLine(Encoding.ASCII.GetString(start.Slice(bom, end))) is not null)
        {
            stream.Position = bom + end + 1;
            return (stream, 1);
        }
        stream.Position = 0;
        return (stream, 0);
    }

    static bool IsUtf8(string file)
    {
        using var stream = File.OpenRead(file);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var carried = 0;
            int read;
            while ((read = stream.Read(buffer, carried, buffer.Length - carried)) > 0)
            {
                var span = buffer.AsSpan(0, carried + read);
                // A character cut at the buffer's end is carried to the next read, up to three bytes of it.
                var cut = IncompleteTail(span);
                if (!System.Text.Unicode.Utf8.IsValid(span[..^cut]))
                {
                    return false;
                }
                span[^cut..].CopyTo(buffer);
                carried = cut;
            }
            return carried == 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How many bytes at the end of a block begin a UTF-8 character the block does not finish (0 to 3).</summary>
    static int IncompleteTail(ReadOnlySpan<byte> span)
    {
        for (var back = 1; back <= Math.Min(3, span.Length); back++)
        {
            var b = span[^back];
            if ((b & 0xC0) != 0x80)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? back : 0;
            }
        }
        return 0;
    }

    static CsvReaderOptions OptionsFor(char separator, Encoding encoding, string source, int skipped, Action<string> malformed) => new CsvReaderOptions
    {
        Separator = separator,
        HasHeader = true,
        TrimWhitespace = true,
        Encoding = encoding,
        AllowLineBreaksInQuotes = true,
        MalformedData = CsvMalformedDataHandling.Skip,
        FieldCountMismatch = CsvFieldCountHandling.Skip,
        TrackLineNumbers = true,
        IncludeValuesInExceptions = false,
        OnMalformedRecord = record => malformed($"{source} line {record.LineNumber + skipped}: {record.Reason switch
        {
            CsvMalformedReason.FieldCountMismatch => "has a different number of fields from the header",
            CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "has a quoted field that is never closed",
            CsvMalformedReason.StrayQuote => "has a quote inside an unquoted field",
            CsvMalformedReason.TextAfterClosingQuote => "has text after a closing quote",
            _ => $"is malformed ({record.Reason})",
        }}"),
    };

    /// <summary>One row's person, by the schema's column roles; the row's own id when it has one.</summary>
    static PersonFacts FactsOf(CsvReader reader, List<(int Index, string Role, int Slot)> mapped, string[] attributes, out string? id)
    {
        var facts = new PersonFacts { Attributes = attributes.Length == 0 ? [] : new string?[attributes.Length], AttributeNames = attributes };
        string? year = null, month = null, day = null;
        id = null;
        string? address = null;
        foreach (var (index, role, slot) in mapped)
        {
            var value = index < reader.FieldCount ? reader.GetString(index).Trim() : "";
            if (role != "id")
            {
                value = value.Length <= 4 && s_notKnown.Contains(value) ? "" : WithoutPointZero(value);
            }
            if (value.Length == 0)
            {
                continue;
            }
            switch (role)
            {
                case "id": id = value; break;
                case "given_name": facts.GivenName = Join(facts.GivenName, value); break;
                case "surname": facts.Surname = Join(facts.Surname, value); break;
                case "full_name": facts.FullName = Join(facts.FullName, value); break;
                case "date_of_birth": facts.DateOfBirth = value; break;
                case "birth_year": year = value; break;
                case "birth_month": month = value; break;
                case "birth_day": day = value; break;
                case "sex": facts.Sex = value; break;
                case "national_id": facts.Identifiers.Add(new PersonIdentifier("NATIONAL_ID", value)); break;
                case "mykad": facts.Identifiers.Add(new PersonIdentifier("MYKAD", value)); break;
                case "old_ic": facts.Identifiers.Add(new PersonIdentifier("OLD_IC", value)); break;
                case "address": address = Join(address, value); break;
                case "postcode": facts.Postcode = value; break;
                case "city": facts.City = value; break;
                case "state": facts.State = value; break;
                case "phone": facts.Phone = value; break;
                case "email": facts.Email = value; break;
                case "attribute": facts.Attributes[slot] = value; break;
            }
        }
        if (year is not null)
        {
            facts.DateOfBirth ??= $"{year}-{month ?? "00"}-{day ?? "00"}";
        }
        facts.Address = address;
        return facts;
    }

    static string Join(string? a, string b) => a is null ? b : a + " " + b;

    /// <summary>
    /// A whole number as a data frame or a spreadsheet writes one from a column of numbers with gaps (4510.0 for 4510,
    /// 19560409.0, 1956.0): its digits before the point. Read as written, the point's zero became a digit of the
    /// postcode, identifier or street number and the birth year no year at all; and two files of one population differ
    /// in it where only one had gaps. The record's own id is left as written: it names the row.
    /// </summary>
    static string WithoutPointZero(string value)
    {
        var point = value.IndexOf('.');
        return point > 0 && point < value.Length - 1 && value.AsSpan(0, point).ContainsAnyExcept(s_digits) is false
            && value.AsSpan(point + 1).ContainsAnyExcept('0') is false ? value[..point] : value;
    }

    /// <summary>
    /// What exporters write for a missing value (R's NA, a data frame's NaN or None, a database's NULL, a spreadsheet's
    /// #N/A): taken as a value, every record that lacks one would agree with every other on it.
    /// </summary>
    static readonly HashSet<string> s_notKnown = new(["NA", "N/A", "#N/A", "NaN", "NULL", "None", "nil"], StringComparer.OrdinalIgnoreCase);

    static readonly System.Buffers.SearchValues<char> s_digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>
    /// file,record_id,cluster_id for every input row; a cluster is named after its first record (with that record's
    /// file when there are two, whose row numbers may repeat).
    /// </summary>
    public static void WriteClusters(string path, LinkageResult result)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("file,record_id,cluster_id");
        var manySources = result.Records.Select(r => r.Source).Distinct(StringComparer.Ordinal).Skip(1).Any();
        foreach (var r in result.Records)
        {
            var root = result.Records[result.ClusterOf[r.Index]];
            writer.WriteLine($"{Csv(r.Source)},{Csv(r.Key)},{Csv(manySources ? $"{root.Source}:{root.Key}" : root.Key)}");
        }
    }

    /// <summary>
    /// The pairs blocking handed to scoring, with the passes that found each (evaluate reads it for blocking recall), the
    /// pair's weight, and each comparison's level (its index in the model's levels, 0 = different; -1 when a side has
    /// nothing): why a pair did or did not match, without a hub to ask.
    /// </summary>
    public static void WritePairs(string path, ComparedPairs pairs)
    {
        var (records, candidates, model) = (pairs.Records, pairs.Candidates, pairs.Model);
        var newLine = Encoding.UTF8.GetBytes(Environment.NewLine);
        // passes: the blocking passes that proposed the pair, as bit numbers of BlockingPasses.BitNames joined by '+'.
        var header = $"record_a,record_b,passes,weight,{string.Join(',', model.Comparisons.Select(c => c.Name))}{Environment.NewLine}";
        var keys = records.Select(r => Encoding.UTF8.GetBytes(Csv(r.Key))).ToArray();
        var passNames = new byte[]?[ushort.MaxValue + 1];
        // Lines are formatted as UTF-8 a chunk at a time, a chunk on each core, and written in order; each core's buffer
        // is used again for its next chunk, since a buffer per chunk is a large object and the collector's every
        // collection of those sweeps the whole heap.
        const int chunk = 32_768;
        var chunks = (candidates.Count + chunk - 1) / chunk;
        var buffers = new ArrayBufferWriter<byte>[Environment.ProcessorCount];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(Encoding.UTF8.GetBytes(header));
        for (var first = 0; first < chunks; first += buffers.Length)
        {
            var round = Math.Min(buffers.Length, chunks - first);
            Parallel.For(0, round, i => Format(first + i, buffers[i] ??= new ArrayBufferWriter<byte>(chunk * 64)));
            foreach (var lines in buffers.AsSpan(0, round))
            {
                file.Write(lines.WrittenSpan);
            }
        }

        void Format(int c, ArrayBufferWriter<byte> lines)
        {
            lines.ResetWrittenCount();
            Span<sbyte> levels = stackalloc sbyte[model.Comparisons.Length];
            for (var k = c * chunk; k < Math.Min(candidates.Count, (c + 1) * chunk); k++)
            {
                var (a, b) = candidates[k];
                lines.Write(keys[a]);
                lines.Write(","u8);
                lines.Write(keys[b]);
                lines.Write(","u8);
                var mask = pairs.Passes.Length > k ? pairs.Passes[k] : 0;
                lines.Write(passNames[mask] ??= PassNames(mask)); // two threads may name one mask at once, alike
                lines.Write(","u8);
                if (k < pairs.Patterns.Length)
                {
                    LevelPatterns.Unpack(pairs.Patterns[k], levels);
                    WriteHundredths(lines, pairs.WeightOf(k));
                    foreach (var level in levels)
                    {
                        lines.Write(","u8);
                        WriteNumber(lines, level);
                    }
                }
                lines.Write(newLine);
            }
        }

        static byte[] PassNames(int mask) =>
            Encoding.ASCII.GetBytes(string.Join('+', Enumerable.Range(0, 16).Where(bit => (mask & (1 << bit)) != 0)));
    }

    static void WriteNumber(ArrayBufferWriter<byte> text, long value)
    {
        Utf8Formatter.TryFormat(value, text.GetSpan(20), out var written);
        text.Advance(written);
    }

    /// <summary>A weight to two decimals, as "0.00" formats it, without the general formatter's cost per call.</summary>
    static void WriteHundredths(ArrayBufferWriter<byte> text, double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e15)
        {
            text.Write(Encoding.ASCII.GetBytes(value.ToString("0.00", CultureInfo.InvariantCulture)));
            return;
        }
        if (value < 0)
        {
            text.Write("-"u8); // a negative weight keeps its sign when it rounds to zero, as the format does
        }
        var hundredths = (long)Math.Round(Math.Abs(value) * 100, MidpointRounding.AwayFromZero);
        WriteNumber(text, hundredths / 100);
        var span = text.GetSpan(3);
        (span[0], span[1], span[2]) = ((byte)'.', (byte)('0' + hundredths / 10 % 10), (byte)('0' + hundredths % 10));
        text.Advance(3);
    }

    /// <summary>The run's model, its check and its own estimate of the run, as JSON beside the clusters (no term frequencies).</summary>
    public static void WriteModel(string path, LinkageResult result) =>
        File.WriteAllText(path, ModelSummary.Of(result.Model, result.Estimate).ToJson(), new UTF8Encoding(false));

    static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
