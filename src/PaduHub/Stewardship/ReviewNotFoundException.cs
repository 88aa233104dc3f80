namespace PaduHub.Stewardship;

public sealed class ReviewNotFoundException(string message) : Exception(message);
