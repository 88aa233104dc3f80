using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>A model fit from m and u written out by hand, for tests of what is measured after EM.</summary>
static class FittedTable
{
    public static ModelFit Of(Comparison[] comparisons, (double[] M, double[] U)[] parameters, double lambda) => new()
    {
        Comparisons = comparisons,
        Parameters = [.. parameters.Select((p, i) => new ComparisonParameters
        {
            Name = comparisons[i].Name,
            Levels = comparisons[i].Levels,
            M = p.M,
            U = p.U,
            URandom = p.U,
        })],
        Lambda = lambda,
        TotalRecords = 10_000,
    };
}
