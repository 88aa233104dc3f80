using System.Text;

namespace PaduHub.Samples.Agencies;

/// <summary>
/// Writes one delimited file the way one agency's system does: its encoding (with or without a BOM), its delimiter,
/// its line endings, and whether it quotes every field. Fields are quoted when they must be (delimiter, quote, line
/// break inside), so every row is one physical line and line numbers in the truth point at it.
/// </summary>
public sealed class ExtractWriter : IDisposable
{
    readonly StreamWriter _writer;
    readonly char _delimiter;
    readonly bool _quoteAll;

    public ExtractWriter(string path, string relativePath, Encoding encoding, char delimiter, string newline, bool quoteAll, IReadOnlyList<string> header)
    {
        RelativePath = relativePath;
        _delimiter = delimiter;
        _quoteAll = quoteAll;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), encoding, 1 << 16) { NewLine = newline };
        Write(header.ToArray());
    }

    /// <summary>The path inside the output folder, as the truth names it (always with '/').</summary>
    public string RelativePath { get; }

    /// <summary>The physical line of the last row written (the header is line 1).</summary>
    public long Line { get; private set; }

    public long Rows => Line - 1;

    public long Write(string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(_delimiter);
            }
            var field = fields[i] ?? "";
            if (_quoteAll || field.AsSpan().IndexOfAny(_delimiter, '"', '\n') >= 0 || field.Contains('\r', StringComparison.Ordinal))
            {
                _writer.Write('"');
                _writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                _writer.Write('"');
            }
            else
            {
                _writer.Write(field);
            }
        }
        _writer.WriteLine();
        return ++Line;
    }

    public void Dispose() => _writer.Dispose();
}
