using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>
/// Lists as a person or a script wants them: a table on a terminal; tab-separated lines, header first, when the output
/// goes to a pipe or a file, where a table would be cut to 80 columns.
/// </summary>
static class ListOutput
{
    public static void Write(string[] columns, IEnumerable<string[]> rows)
    {
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(string.Join('\t', columns));
            foreach (var row in rows)
            {
                Console.WriteLine(string.Join('\t', row.Select(v => v.Replace('\t', ' '))));
            }
            return;
        }
        var table = new Table().AddColumns(columns);
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Who made a change, for the audit: the machine user running the command.</summary>
    public static string Operator => Environment.UserName;

    public static string When(DateTime? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "";
}
