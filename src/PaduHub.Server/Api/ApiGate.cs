using PaduHub.Access;

namespace PaduHub.Server.Api;

/// <summary>
/// The one door of the read API. Every request shows a key (X-Api-Key, or Authorization: Bearer); personal-data
/// requests also say why (X-Purpose). A wrong key answers 401, a missing scope 403, a missing purpose 400, and each
/// refusal is audited like a read. Answers that carry personal data are sent only once their audit row is committed.
/// </summary>
sealed class ApiGate(ApiKeyCache keys, AccessAudit audit)
{
    public const int MaxPurposeLength = 200;

    public async Task<(Admitted? Admitted, IResult? Refusal)> AdmitAsync(HttpContext http, string action, string scope, string? subject,
        bool personalData = true)
    {
        var client = await keys.AuthenticateAsync(ApiKey(http.Request), http.RequestAborted);
        var purpose = http.Request.Headers["X-Purpose"].FirstOrDefault()?.Trim();
        if (client is null)
        {
            await audit.RecordAsync(new AuditEntry(null, null, Clip(purpose), action, subject, null, 401));
            var (title, detail) = KeyRefusal(http.Request, "client's");
            return (null, Problem(401, title, detail));
        }
        if (!client.Has(scope))
        {
            await audit.RecordAsync(new AuditEntry(client.Id, client.Name, Clip(purpose), action, subject, null, 403));
            return (null, Problem(403, "Not allowed", $"This key does not have the scope {scope}."));
        }
        if (personalData && (string.IsNullOrEmpty(purpose) || purpose.Length > MaxPurposeLength))
        {
            await audit.RecordAsync(new AuditEntry(client.Id, client.Name, Clip(purpose), action, subject, null, 400));
            return (null, Problem(400, "Purpose needed",
                $"Personal data is only given for a stated purpose: say why in the X-Purpose header (1 to {MaxPurposeLength} characters)."));
        }
        return (new Admitted(client, purpose), null);
    }

    /// <summary>For endpoints with their own order of checks (agency uploads): the client a key belongs to, or null.</summary>
    public Task<ApiClient?> AuthenticateAsync(HttpContext http) => keys.AuthenticateAsync(ApiKey(http.Request), http.RequestAborted);

    /// <summary>Audits a refusal decided by the endpoint itself and answers it.</summary>
    public async Task<IResult> RefuseAsync(HttpContext http, ApiClient? client, string action, string? subject, int status, string title, string detail)
    {
        var purpose = http.Request.Headers["X-Purpose"].FirstOrDefault()?.Trim();
        await audit.RecordAsync(new AuditEntry(client?.Id, client?.Name, Clip(purpose), action, subject, null, status));
        return Problem(status, title, detail);
    }

    /// <summary>Records what was answered; the caller sends the answer only after this completes.</summary>
    public Task AuditAsync(Admitted admitted, string action, string? subject, string[]? fields, int status) =>
        audit.RecordAsync(new AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action, subject, fields, status));

    public Task AuditManyAsync(IReadOnlyList<AuditEntry> entries) => audit.RecordAsync(entries);

    /// <summary>One row per subject an answer was about; one row without a subject when it named nobody.</summary>
    public Task AuditSubjectsAsync(Admitted admitted, string action, IEnumerable<string> subjects, string[] fields) =>
        audit.RecordAsync(subjects.DefaultIfEmpty(null).Select(subject =>
            new AuditEntry(admitted.Client.Id, admitted.Client.Name, admitted.Purpose, action, subject, fields, 200)).ToList());

    /// <summary>Why a request without a good key is refused: none was sent, or the one sent is not (or no longer) a key.</summary>
    public static (string Title, string Detail) KeyRefusal(HttpRequest request, string whose) => ApiKey(request) is null
        ? ("API key missing", $"Send the {whose} key in the X-Api-Key header (or Authorization: Bearer).")
        : ("API key not valid", "The key sent was never issued, or was revoked or replaced by a new one; ask the hub's operator for a key.");

    public static string? ApiKey(HttpRequest request) =>
        request.Headers["X-Api-Key"].FirstOrDefault()
        ?? (request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..] : null);

    public static IResult Problem(int status, string title, string detail) => Results.Problem(title: title, detail: detail, statusCode: status);

    static string? Clip(string? purpose) => purpose is { Length: > MaxPurposeLength } ? purpose[..MaxPurposeLength] : purpose;
}
