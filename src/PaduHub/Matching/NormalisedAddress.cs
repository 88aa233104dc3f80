namespace PaduHub.Matching;

/// <summary>An address folded for comparison: canonical words, the unit pulled out, the state by its one name.</summary>
public sealed record NormalisedAddress(string? Unit, string Street, string? Postcode, string? State)
{
    /// <summary>Street words without the unit, for token comparison.</summary>
    public IReadOnlyList<string> Words => Street.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
