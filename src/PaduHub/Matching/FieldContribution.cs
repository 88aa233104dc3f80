namespace PaduHub.Matching;

/// <summary>One field's share of a pair's score: the level it reached and the weight (log2 Bayes factor) that added.</summary>
public readonly record struct FieldContribution(string Field, int Level, string LevelName, double Weight);
