using Hangfire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Ingestion;
using PaduHub.Server.Api;

namespace PaduHub.Server.Ingestion;

/// <summary>
/// POST /api/v1/agencies/{code}/extracts streams an agency's file to the spool (never whole in memory), gives it a
/// receipt and queues its load; GET /api/v1/extracts/{id} shows the receipt. Both need a key with ingest:{code}.
/// </summary>
static class ExtractEndpoints
{
    /// <summary>Largest upload accepted; agencies' nightly files run to several gigabytes.</summary>
    public const long MaxUploadBytes = 20L * 1024 * 1024 * 1024;

    public static void MapExtracts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/agencies/{code}/extracts", Upload);
        api.MapGet("/extracts/{id:long}", Receipt);
    }

    static async Task<IResult> Upload(string code, [FromQuery] string? fileName, [FromQuery] string? kind, [FromQuery] int? sequence,
        HttpContext http, ApiGate gate, ExtractLoader loader, IBackgroundJobClient jobs, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/agencies/{code}/extracts";
        var client = await gate.AuthenticateAsync(http);
        if (client is null)
        {
            var (title, detail) = ApiGate.KeyRefusal(http.Request, "agency's");
            return await gate.RefuseAsync(http, null, action, $"agency:{code}", 401, title, detail);
        }
        AgencyContract contract;
        try
        {
            contract = loader.Contracts.For(code);
        }
        catch (UnknownAgencyException e)
        {
            return Problem(404, "Unknown agency", e.Message);
        }
        if (!client.Has(ApiClient.IngestScope(contract.Agency)))
        {
            return await gate.RefuseAsync(http, client, action, $"agency:{contract.Agency}", 403, "Not allowed",
                $"This key may not send extracts for {contract.Agency} (it needs the scope {ApiClient.IngestScope(contract.Agency)}).");
        }
        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 200 || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return Problem(400, "fileName needed", "Say the file's name in the fileName query parameter (a plain name, no folders).");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBytes;
        }
        var incoming = Path.Combine(SpoolFolder(configuration), "incoming");
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, $"{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                await http.Request.Body.CopyToAsync(file, 1 << 20, cancellationToken);
            }
            var receipt = await loader.ReceiveAsync(new ExtractRequest(contract.Agency, temp, fileName, "api") { Kind = kind, Sequence = sequence },
                moveFile: true, cancellationToken);
            if (receipt is { Duplicate: true, Status: not ExtractStatus.Queued })
            {
                return Results.Ok(receipt);
            }
            // A new file, or one received before whose load never finished (the hub was killed): load it now. A load
            // already running for it makes this one wait and then find the file loaded.
            IngestionJobs.EnqueueLoad(jobs, receipt.Id);
            return Results.Accepted($"/api/v1/extracts/{receipt.Id}", receipt);
        }
        catch (ExtractRequestException e)
        {
            return Problem(400, "Extract not accepted", e.Message);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    static async Task<IResult> Receipt(long id, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/extracts/{id}";
        var subject = $"extract:{id}";
        var client = await gate.AuthenticateAsync(http);
        if (client is null)
        {
            var (title, detail) = ApiGate.KeyRefusal(http.Request, "agency's");
            return await gate.RefuseAsync(http, null, action, subject, 401, title, detail);
        }
        await using var connection = database.Connect();
        var receipt = await ExtractReceipt.FindAsync(connection, id, cancellationToken);
        if (receipt is null)
        {
            return Problem(404, "No such extract", $"There is no extract {id}.");
        }
        // Another agency's receipt (its rejected rows hold that agency's raw lines) is refused, and the attempt audited.
        if (!client.Has(ApiClient.IngestScope(receipt.AgencyCode)))
        {
            return await gate.RefuseAsync(http, client, action, subject, 403, "Not allowed", $"Extract {id} belongs to another agency.");
        }
        var rejected = await ExtractReceipt.RejectedRowsAsync(connection, id, 100, cancellationToken);
        return Results.Ok(new { receipt, rejectedRows = rejected });
    }

    static IResult Problem(int status, string title, string detail) => Results.Problem(title: title, detail: detail, statusCode: status);

    public static string SpoolFolder(IConfiguration configuration) =>
        configuration["Padu:SpoolFolder"] is { Length: > 0 } configured ? configured : Path.Combine(PaduDatabase.DefaultHome, "spool");
}
