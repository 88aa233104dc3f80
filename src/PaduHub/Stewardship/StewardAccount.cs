namespace PaduHub.Stewardship;

/// <summary>Someone who signs in to the steward pages: a steward, or a supervisor who may also see the access audit,
/// undo other stewards' decisions and open the job dashboard.</summary>
public sealed record StewardAccount(string Name, string DisplayName, string Role)
{
    public bool IsSupervisor => Role == StewardAccounts.Supervisor;
}
