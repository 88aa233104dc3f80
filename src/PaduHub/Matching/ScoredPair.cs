namespace PaduHub.Matching;

/// <summary>A scored candidate pair: the total match weight, its probability, and why.</summary>
public sealed record ScoredPair(int A, int B, double Weight, double Probability, FieldContribution[] Fields);
