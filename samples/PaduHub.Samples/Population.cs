namespace PaduHub.Samples;

public enum Role { Head, Spouse, Child, Parent, Other }

/// <summary>A synthetic person as they truly are; agencies see noisy copies of this.</summary>
public sealed class Person
{
    public required string Id { get; init; }
    public required string HouseholdId { get; set; }
    public required Role Role { get; init; }
    public required bool Male { get; init; }
    public required Ethnicity Ethnicity { get; init; }
    public required PersonName Name { get; init; }
    public required DateOnly DateOfBirth { get; init; }
    public required string MyKad { get; init; }
    public bool Citizen { get; init; } = true;
    public string? OldIc { get; init; }
    /// <summary>ARMY or POLICE with <see cref="ServiceNumber"/>: the numbers BUDI95 could not match in 2025.</summary>
    public string? ServiceKind { get; init; }
    public string? ServiceNumber { get; init; }
    public string? BirthCertificate { get; init; }
    public string? Passport { get; init; }
    public DateOnly? DiedOn { get; set; }
    public int MonthlyIncome { get; init; }
    public string? Employer { get; init; }
    public string? Sector { get; init; }
    public string? Phone { get; init; }
    public string? SpouseId { get; set; }
    public string? FatherId { get; set; }
    public string? MotherId { get; set; }
    /// <summary>Agency keys, given out when the person first appears in that agency.</summary>
    public string? TaxNumber { get; set; }
    public string? EpfNumber { get; set; }

    public int AgeOn(DateOnly date)
    {
        var age = date.Year - DateOfBirth.Year;
        return DateOfBirth.AddYears(age) > date ? age - 1 : age;
    }

    public bool IsAlive => DiedOn is null;
}

public sealed class UtilityAccount
{
    public required string AccountNo { get; init; }
    public required Person Holder { get; init; }
    public required Address Premises { get; set; }
    public required DateOnly OpenedOn { get; init; }
    public required string? Phone { get; init; }
    public bool Active { get; set; } = true;
}

public sealed class Household
{
    public required string Id { get; init; }
    public required Address Address { get; set; }
    /// <summary>Where the household lived before its last move; agencies that were not told still hold it.</summary>
    public Address? PreviousAddress { get; set; }
    public DateOnly? MovedOn { get; set; }
    public List<Person> Members { get; } = [];
    public string? WelfareRef { get; set; }
    public List<UtilityAccount> Accounts { get; } = [];
    public int MonthlyIncome => Members.Where(m => m.IsAlive).Sum(m => m.MonthlyIncome);
    public Person Head => Members[0];
}

/// <summary>Kinds of pairs that look like one person but are two: what a good matcher must keep apart.</summary>
public sealed record HardNegative(string PersonA, string PersonB, string Kind);
