using Dapper;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;

namespace PaduHub.Server.Pages.Steward;

/// <summary>The audit trail: every steward action with who, when and why; for supervisors also every read of personal
/// data, by policy systems through the API and by stewards through these pages.</summary>
public sealed class AuditModel(PaduDatabase database, AccessAudit audit) : StewardPage(database, audit)
{
    public sealed record ActionRow(long Id, DateTime At, string Steward, string Action, long? SourceA, long? SourceB, long? GoldenId, string Reason, string Detail);
    public sealed record ReadRow(long Id, DateTime At, string? ClientName, string? Purpose, string Action, string? Subject, string? Fields, int Status);

    [BindProperty(SupportsGet = true)]
    public string? Steward { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Subject { get; set; }

    /// <summary>Paging: actions and reads older than these ids (the last of the page before).</summary>
    [BindProperty(SupportsGet = true, Name = "actions_before")]
    public long? ActionsBefore { get; set; }

    [BindProperty(SupportsGet = true, Name = "reads_before")]
    public long? ReadsBefore { get; set; }

    public const int PageSize = 100;

    public List<ActionRow> Actions { get; private set; } = [];
    public List<ReadRow> Reads { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await using var connection = Connect();
        var steward = string.IsNullOrWhiteSpace(Steward) ? null : Steward.Trim();
        Actions = (await connection.QueryAsync<ActionRow>("""
            select id, at, steward, action, source_a as SourceA, source_b as SourceB, golden_id as GoldenId, reason, detail::text as detail from steward_action
            where (@steward::text is null or steward = @steward) and (@before::bigint is null or id < @before) order by id desc limit @size
            """, new { steward, before = ActionsBefore, size = PageSize })).AsList();
        if (IsSupervisor)
        {
            var subject = string.IsNullOrWhiteSpace(Subject) ? null : Subject.Trim();
            Reads = (await connection.QueryAsync<ReadRow>("""
                select id, at, client_name as ClientName, purpose, action, subject, array_to_string(fields, ', ') as fields, status from access_audit
                where (@subject::text is null or subject = @subject) and (@before::bigint is null or id < @before) order by id desc limit @size
                """, new { subject, before = ReadsBefore, size = PageSize })).AsList();
        }
        await AuditAsync("GET /steward/audit", string.IsNullOrWhiteSpace(Subject) ? null : Subject.Trim(), IsSupervisor ? ["steward_action", "access_audit"] : ["steward_action"]);
    }
}
