namespace PaduHub.Matching;

/// <summary>
/// What a source says about a person, before normalisation: the agency's values (or a CSV's columns) in the roles
/// matching understands. Any of them may be missing.
/// </summary>
public sealed class PersonFacts
{
    public string? GivenName { get; set; }
    public string? Surname { get; set; }
    public string? FullName { get; set; }
    public string? DateOfBirth { get; set; }
    public string? Sex { get; set; }
    public List<PersonIdentifier> Identifiers { get; } = [];
    public string? Address { get; set; }
    public string? Postcode { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }

    /// <summary>Other facts a CSV's schema names (an occupation, a birth place), by the schema's attribute slot.</summary>
    public string?[] Attributes { get; set; } = [];

    /// <summary>The attribute slots' names (the schema's attribute columns), one array for every record of a run.</summary>
    public string[] AttributeNames { get; set; } = [];
}
