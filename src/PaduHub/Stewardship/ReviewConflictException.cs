namespace PaduHub.Stewardship;

/// <summary>Why a steward's action was not taken, in words the steward can act on.</summary>
public sealed class ReviewConflictException(string message) : Exception(message);
