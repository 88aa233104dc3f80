using System.Diagnostics;
using System.Globalization;
using PaduHub.Ingestion;

namespace PaduHub.Benchmarks;

/// <summary>Parsing and validation of one extract, no database, repeated: for profiling the loader's own share.
/// Usage: parse --file F [--agency JPN] [--repeat N]</summary>
static class ParseRun
{
    public static int Run(string[] args)
    {
        string? file = null;
        var agency = "JPN";
        var repeat = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--file": file = args[i + 1]; break;
                case "--agency": agency = args[i + 1]; break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (file is null)
        {
            Console.Error.WriteLine("parse needs --file");
            return 2;
        }
        var contract = AgencyContracts.Load().For(agency);
        for (var run = 1; run <= repeat; run++)
        {
            var watch = Stopwatch.StartNew();
            long rows = 0;
            using (var stream = File.OpenRead(file))
            {
                var reader = new ExtractReader(contract, delta: false, DateOnly.FromDateTime(DateTime.UtcNow));
                foreach (var _ in reader.Read(stream))
                {
                    rows++;
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {rows:N0} rows in {watch.Elapsed.TotalSeconds:0.00} s, {rows / watch.Elapsed.TotalSeconds:N0} rows/s"));
        }
        return 0;
    }
}
