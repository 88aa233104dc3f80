namespace PaduHub.Matching;

/// <summary>Why a pair above the review threshold was not linked, or why it waits for a steward.</summary>
public enum ReviewReason { Doubtful, WouldChain, DifferentVerifiedMyKad, CannotLink }
