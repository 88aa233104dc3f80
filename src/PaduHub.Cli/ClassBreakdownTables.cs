using System.Globalization;
using PaduHub.Samples;
using Spectre.Console;

namespace PaduHub.Cli;

/// <summary>padu evaluate against a generated population: the misses and wrong joins by class, as two tables.</summary>
static class ClassBreakdownTables
{
    public static void Print(string populationFolder, IReadOnlyDictionary<string, string> clusterOf)
    {
        var (pairs, hardNegatives) = ClassBreakdown.Of(populationFolder, clusterOf);
        var table = new Table().AddColumns("class of true pair", "true pairs", "missed", "share missed");
        foreach (var p in pairs)
        {
            table.AddRow(p.Name, N(p.TruePairs), N(p.Missed), Share(p.Missed, p.TruePairs));
        }
        AnsiConsole.Write(table);
        var hard = new Table().AddColumns("hard negative (two people)", "pairs of people", "joined", "share joined");
        foreach (var h in hardNegatives)
        {
            hard.AddRow(h.Kind, N(h.PairsOfPeople), N(h.Joined), Share(h.Joined, h.PairsOfPeople));
        }
        AnsiConsole.Write(hard);
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static string Share(long part, long whole) => (whole == 0 ? 0 : (double)part / whole).ToString("0.0000", CultureInfo.InvariantCulture);
}
