using System.Globalization;
using System.Text;
using CsvHelper;

namespace PaduHub.Matching;

/// <summary>padu match-csv: dedupe one CSV or link two, with the same engine the hub runs on agency records.</summary>
public static class CsvLinkage
{
    public static List<MatchRecord> Read(IReadOnlyList<string> files, LinkageSchema schema, DateOnly referenceDate)
    {
        var rows = new List<(string Source, string Id, PersonFacts Facts)>();
        foreach (var file in files)
        {
            var source = Path.GetFileName(file);
            // A row the reader cannot take apart stops the run with its line and reason: every input row must come out
            // with a cluster, so none may be skipped or glued to its neighbour.
            string? malformed = null;
            using var reader = CsvReader.Create(File.OpenRead(file), OptionsFor(schema, source, why => malformed ??= why));
            var headers = reader.Headers.Select(h => h.Trim()).ToList();
            var mapped = headers.Select((h, i) => (Index: i, Role: schema.Columns.GetValueOrDefault(h))).Where(c => c.Role is not null and not "ignore")
                .Select(c => (c.Index, Role: c.Role!)).ToList();
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
                var facts = FactsOf(reader, mapped, out var id);
                id ??= row.ToString(CultureInfo.InvariantCulture);
                if (!seen.Add(id))
                {
                    throw new ArgumentException($"{source} row {row}: record id '{id}' appears twice; ids must be unique within a file");
                }
                rows.Add((source, id, facts));
            }
        }
        // Folding names and addresses is most of reading, and each row's alone: on every core.
        var records = new MatchRecord[rows.Count];
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows.Count, 4096), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                records[i] = MatchRecord.From(i, rows[i].Source, rows[i].Id, rows[i].Facts, referenceDate);
            }
        });
        return [.. records];
    }

    static CsvReaderOptions OptionsFor(LinkageSchema schema, string source, Action<string> malformed) => new CsvReaderOptions
    {
        Separator = schema.Delimiter[0],
        HasHeader = true,
        TrimWhitespace = true,
        Encoding = new UTF8Encoding(false),
        AllowLineBreaksInQuotes = false,
        MalformedData = CsvMalformedDataHandling.Skip,
        FieldCountMismatch = CsvFieldCountHandling.Skip,
        TrackLineNumbers = true,
        IncludeValuesInExceptions = false,
        OnMalformedRecord = record => malformed($"{source} line {record.LineNumber}: {record.Reason switch
        {
            CsvMalformedReason.FieldCountMismatch => "has a different number of fields from the header",
            CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "has a quoted field that is never closed on its line",
            CsvMalformedReason.StrayQuote => "has a quote inside an unquoted field",
            CsvMalformedReason.TextAfterClosingQuote => "has text after a closing quote",
            _ => $"is malformed ({record.Reason})",
        }}"),
    };

    /// <summary>One row's person, by the schema's column roles; the row's own id when it has one.</summary>
    static PersonFacts FactsOf(CsvReader reader, List<(int Index, string Role)> mapped, out string? id)
    {
        var facts = new PersonFacts();
        string? year = null, month = null, day = null;
        id = null;
        var address = new StringBuilder();
        foreach (var (index, role) in mapped)
        {
            var value = index < reader.FieldCount ? reader.GetString(index).Trim() : "";
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
                case "address": address.Append(address.Length > 0 ? " " : "").Append(value); break;
                case "postcode": facts.Postcode = value; break;
                case "city": facts.City = value; break;
                case "state": facts.State = value; break;
                case "phone": facts.Phone = value; break;
                case "email": facts.Email = value; break;
            }
        }
        if (year is not null)
        {
            facts.DateOfBirth ??= $"{year}-{month ?? "00"}-{day ?? "00"}";
        }
        facts.Address = address.Length > 0 ? address.ToString() : null;
        return facts;
    }

    static string Join(string? a, string b) => a is null ? b : a + " " + b;

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
    public static void WritePairs(string path, LinkageResult result)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        // passes: the blocking passes that proposed the pair, as bit numbers of BlockingPasses.BitNames joined by '+'.
        var comparisons = result.Model.Comparisons;
        writer.WriteLine($"record_a,record_b,passes,weight,{string.Join(',', comparisons.Select(c => c.Name))}");
        // Lines are formatted a chunk at a time on every core and written in order.
        const int chunk = 32_768;
        var chunks = new string[(result.Candidates.Count + chunk - 1) / chunk];
        Parallel.For(0, chunks.Length, c =>
        {
            Span<sbyte> levels = stackalloc sbyte[comparisons.Length];
            var lines = new StringBuilder();
            for (var k = c * chunk; k < Math.Min(result.Candidates.Count, (c + 1) * chunk); k++)
            {
                var (a, b) = result.Candidates[k];
                lines.Append(Csv(result.Records[a].Key)).Append(',').Append(Csv(result.Records[b].Key)).Append(',');
                var mask = result.CandidatePasses.Length > k ? result.CandidatePasses[k] : 0;
                var first = true;
                for (var bit = 0; bit < 16; bit++)
                {
                    if ((mask & (1 << bit)) != 0)
                    {
                        lines.Append(first ? "" : "+").Append(bit);
                        first = false;
                    }
                }
                lines.Append(',');
                if (k < result.Patterns.Length)
                {
                    LevelPatterns.Unpack(result.Patterns[k], levels);
                    AppendHundredths(lines, result.Model.Weight(result.Patterns[k], result.Records[a]));
                    foreach (var level in levels)
                    {
                        lines.Append(',').Append(level);
                    }
                }
                lines.Append(writer.NewLine);
            }
            chunks[c] = lines.ToString();
        });
        foreach (var text in chunks)
        {
            writer.Write(text);
        }
    }

    /// <summary>A weight to two decimals, as "0.00" formats it, without the general formatter's cost per call.</summary>
    static void AppendHundredths(StringBuilder text, double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e15)
        {
            text.Append(value.ToString("0.00", CultureInfo.InvariantCulture));
            return;
        }
        if (value < 0)
        {
            text.Append('-'); // a negative weight keeps its sign when it rounds to zero, as the format does
        }
        var hundredths = (long)Math.Round(Math.Abs(value) * 100, MidpointRounding.AwayFromZero);
        text.Append(hundredths / 100).Append('.').Append((char)('0' + hundredths / 10 % 10)).Append((char)('0' + hundredths % 10));
    }

    /// <summary>The run's model, its check and its own estimate of the run, as JSON beside the clusters (no term frequencies).</summary>
    public static void WriteModel(string path, LinkageResult result) =>
        File.WriteAllText(path, ModelSummary.Of(result.Model, result.Estimate).ToJson(), new UTF8Encoding(false));

    static string Csv(string s) => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
