namespace PaduHub.Eligibility;

/// <summary>One value a rule can read, with where it came from and how fresh it is.</summary>
public sealed record Fact(object? Value, string? Source, DateTime? AsOf, bool Income = false);
