namespace PaduHub.Matching;

/// <summary>
/// An address folded for comparison: canonical words, the unit pulled out, the state by its one name; the town when
/// the address itself ended in one (a one-line address), otherwise null.
/// </summary>
public sealed record NormalisedAddress(string? Unit, string Street, string? Postcode, string? State, string? City = null)
{
    /// <summary>Street words without the unit, for token comparison.</summary>
    public IReadOnlyList<string> Words => Street.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
