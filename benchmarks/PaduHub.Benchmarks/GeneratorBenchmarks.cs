using BenchmarkDotNet.Attributes;
using PaduHub.Samples;

namespace PaduHub.Benchmarks;

/// <summary>Population generation per 10,000 people, with and without delta days (files included).</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    string _outDir = "";

    [Params(0, 5)]
    public int Days { get; set; }

    [GlobalSetup]
    public void CreateFolder() => _outDir = Path.Combine(Path.GetTempPath(), $"paduhub-bdn-{Guid.NewGuid():N}");

    [GlobalCleanup]
    public void RemoveFolder() => Directory.Delete(_outDir, recursive: true);

    [Benchmark]
    public long Generate_10k_people() =>
        PopulationGenerator.Generate(new GeneratorOptions { People = 10_000, Seed = 1, OutDir = _outDir, Days = Days }).People;
}
