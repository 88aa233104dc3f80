namespace PaduHub.Access;

public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public long? ClientId { get; init; }
    public string? ClientName { get; init; }
    public string? Purpose { get; init; }
    public string Action { get; init; } = "";
    public string? Subject { get; init; }
    public string[]? Fields { get; init; }
    public int Status { get; init; }
}
