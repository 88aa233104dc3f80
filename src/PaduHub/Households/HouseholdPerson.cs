namespace PaduHub.Households;

/// <summary>What household formation knows about one living golden person.</summary>
public sealed class HouseholdPerson
{
    public long GoldenId { get; init; }
    public string? MyKad { get; init; }
    /// <summary>The registration department holds this MyKad for this person (a fragment split off may carry it too, unverified).</summary>
    public bool MyKadVerified { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public bool Deceased { get; init; }
    /// <summary>The golden address and postcode, normalised: people at the same one live in the same quarters.</summary>
    public string? AddressKey { get; init; }
    /// <summary>Welfare household references (JKM) and the relationship to that household's head.</summary>
    public List<(string Reference, string? Relationship)> Welfare { get; } = [];
    /// <summary>MyKads the registration department links this person to.</summary>
    public string? SpouseMyKad { get; set; }
    public string? FatherMyKad { get; set; }
    public string? MotherMyKad { get; set; }
    public decimal MonthlyIncome { get; set; }

    public int? AgeOn(DateOnly day) => DateOfBirth is { } dob ? day.Year - dob.Year - (day < dob.AddYears(day.Year - dob.Year) ? 1 : 0) : null;
}
