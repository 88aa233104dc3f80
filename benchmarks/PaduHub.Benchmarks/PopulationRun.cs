using System.Diagnostics;
using System.Globalization;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>
/// padu generate at full size, timed once: wall time, CPU time, peak resident memory and bytes written.
/// Usage: population [--people N] [--days K] [--keep DIR]
/// </summary>
static class PopulationRun
{
    public static int Run(string[] args)
    {
        var people = 1_000_000L;
        var days = 0;
        string? keep = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--people": people = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--days": days = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--keep": keep = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var outDir = keep ?? Path.Combine(Path.GetTempPath(), $"paduhub-population-bench-{Environment.ProcessId}");
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var summary = PopulationGenerator.Generate(new GeneratorOptions { People = people, Seed = 1, OutDir = outDir, Days = days });
        watch.Stop();
        process.Refresh();
        var bytes = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"| people | households | days | wall | CPU | peak memory (RSS) | written |");
        Console.WriteLine($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {summary.People:N0} | {summary.Households:N0} | {days} | {watch.Elapsed.TotalSeconds:0.0} s | {(process.TotalProcessorTime - cpuBefore).TotalSeconds:0.0} s | {process.PeakWorkingSet64 / (1024.0 * 1024):0} MiB | {bytes / (1024.0 * 1024):0} MiB |"));
        if (keep is null)
        {
            Directory.Delete(outDir, recursive: true);
        }
        return 0;
    }
}
