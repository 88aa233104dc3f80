namespace PaduHub.Matching;

/// <summary>Pairwise accuracy of a clustering: of the pairs put together, how many belong together, and of those that belong together, how many were found.</summary>
public sealed record PairwiseScore(long Records, long TruePairs, long PredictedPairs, long CorrectPairs)
{
    public double Precision => PredictedPairs == 0 ? 1 : (double)CorrectPairs / PredictedPairs;
    public double Recall => TruePairs == 0 ? 1 : (double)CorrectPairs / TruePairs;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}
