using System.Globalization;
using System.Text;
using CsvHelper;

namespace PaduHub.Ingestion;

/// <summary>An extract's header checked against its agency's contract: every column named, none unknown, none twice.</summary>
static class ExtractHeader
{
    /// <summary>A column of the file: its contract column, or a delta's OP/SEQ marker.</summary>
    public readonly record struct FileColumn(string Name, ContractColumn? Column, int Field);

    /// <summary>The file's columns in its order, or the whole file refused naming what is missing or unexpected.</summary>
    public static FileColumn[] Check(CsvReader reader, AgencyContract contract, bool delta)
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
}
