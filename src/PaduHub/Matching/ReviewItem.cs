namespace PaduHub.Matching;

public sealed record ReviewItem(ScoredPair Pair, ReviewReason Reason);
