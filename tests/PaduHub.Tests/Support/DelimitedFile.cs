using System.Text;

namespace PaduHub.Tests;

/// <summary>
/// Reads the generator's own output back for assertions: one row per physical line, RFC 4180 quoting. Deliberately
/// independent of the ingestion code, so a test of the generator does not lean on what it is meant to feed, and of
/// the generator's own reader (PaduHub.Samples.QuotedFields), so a quoting mistake there cannot check itself.
/// </summary>
public static class DelimitedFile
{
    public static List<Dictionary<string, string>> Read(string path, Encoding encoding, char delimiter)
    {
        var lines = File.ReadAllLines(path, encoding);
        var header = Split(lines[0].TrimStart('\uFEFF'), delimiter);
        return lines.Skip(1).Select(line =>
        {
            var fields = Split(line, delimiter);
            Assert.That(fields, Has.Count.EqualTo(header.Count), $"{Path.GetFileName(path)}: ragged row");
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    public static List<string> Split(string line, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}

/// <summary>Where the repository is, for tests that check committed files.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaduHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("tests must run inside the PaduHub repository");
    }
}
