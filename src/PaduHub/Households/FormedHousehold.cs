namespace PaduHub.Households;

/// <summary>One household as formed: its members with roles, its head, and the evidence that holds it together.</summary>
public sealed record FormedHousehold(long HeadId, IReadOnlyList<(long GoldenId, string Role)> Members, IReadOnlyList<string> Evidence);
