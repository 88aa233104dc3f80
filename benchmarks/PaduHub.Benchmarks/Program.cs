using BenchmarkDotNet.Running;
using PaduHub.Benchmarks;

// End-to-end runs measure one big job once (wall time, peak memory); BenchmarkDotNet measures small hot paths.
return args switch
{
    ["population", .. var rest] => PopulationRun.Run(rest),
    ["ingest", .. var rest] => await IngestRun.Run(rest),
    ["parse", .. var rest] => ParseRun.Run(rest),
    ["match", .. var rest] => await MatchRun.Run(rest),
    ["linkage", .. var rest] => LinkageRun.Run(rest),
    ["robustness", .. var rest] => RobustnessRun.Run(rest),
    ["api", .. var rest] => await ApiRun.Run(rest),
    _ => Micro(args),
};

static int Micro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(PopulationRun).Assembly).Run(args);
    return 0;
}
