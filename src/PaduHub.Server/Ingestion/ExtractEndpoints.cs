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
        var api = app.MapGroup("/api/v1").WithTags("Agency extracts");
        api.MapPost("/agencies/{code}/extracts", Upload).WithName("UploadExtract")
            .WithSummary("Send an extract file (the request body, as the agency's contract describes it) and get its receipt.")
            .WithDescription("""
                The body is the file's bytes (CSV, fixed width or JSON lines, per the agency's contract), streamed, up to 20 GiB.
                A new file answers 202 with its receipt, status `queued`, and loads in the background: follow the Location.
                The same bytes sent again answer 200 with the first receipt and `duplicate: true`. Needs the scope `ingest:{code}`.
                """)
            .WithMetadata(new ApiDocument.FileBody())
            .Produces<ExtractReceipt>(200).Produces<ExtractReceipt>(202)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(429);
        api.MapGet("/agencies/{code}/extracts", List).WithName("ListExtracts")
            .WithSummary("An agency's receipts, newest first; page with before_id (the last id of a page).")
            .Produces<ExtractList>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/extracts/{id:long}", Receipt).WithName("GetExtract")
            .WithSummary("An extract's receipt with its first 100 rejected rows (line, field, reason).")
            .Produces<ExtractReceiptWithRejects>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/extracts/{id:long}/rejected", Rejected).WithName("GetRejectedRows")
            .WithSummary("Every rejected row of an extract, a page at a time: after_line is the last line of the page before.")
            .Produces<RejectedPage>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        api.MapGet("/extracts/{id:long}/downstream", Downstream).WithName("GetExtractDownstream")
            .WithSummary("What a load changed downstream: its source records, those still waiting for matching, the golden persons holding them.")
            .Produces<ExtractDownstream>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }

    public sealed record ExtractList(IReadOnlyList<ExtractReceipt> Extracts, long? NextBeforeId);

    public sealed record ExtractReceiptWithRejects(ExtractReceipt Receipt, IReadOnlyList<RejectedRow> RejectedRows);

    public sealed record RejectedPage(IReadOnlyList<RejectedRow> Rows, long? NextAfterLine);

    static async Task<IResult> List(string code, [FromQuery] string? status, [FromQuery] string? kind, [FromQuery] DateTime? since,
        [FromQuery(Name = "before_id")] long? beforeId, [FromQuery] int? limit, HttpContext http, ApiGate gate, ExtractLoader loader,
        PaduDatabase database, CancellationToken cancellationToken)
    {
        const string action = "GET /api/v1/agencies/{code}/extracts";
        if (await AgencyClientAsync(http, gate, loader, action, code) is { } refusal)
        {
            return refusal;
        }
        if (status is not (null or ExtractStatus.Queued or ExtractStatus.Held or ExtractStatus.Loaded or ExtractStatus.Rejected)
            || kind is not (null or ExtractKind.Full or ExtractKind.Delta) || limit is < 1 or > 1000)
        {
            return Problem(400, "Request not understood", "status is queued, held, loaded or rejected; kind is full or delta; limit is 1 to 1000.");
        }
        await using var connection = database.Connect();
        var take = limit ?? 100;
        var extracts = await ExtractReceipt.ListAsync(connection, loader.Contracts.For(code).Agency, status, kind,
            since?.ToUniversalTime(), beforeId, take, cancellationToken);
        return Results.Ok(new ExtractList(extracts, extracts.Count == take ? extracts[^1].Id : null));
    }

    static async Task<IResult> Rejected(long id, [FromQuery(Name = "after_line")] long? afterLine, [FromQuery] int? limit, HttpContext http,
        ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000)
        {
            return Problem(400, "Request not understood", "limit is 1 to 10,000.");
        }
        var (connection, refusal) = await OwnReceiptAsync(http, gate, database, "GET /api/v1/extracts/{id}/rejected", id, cancellationToken);
        await using (connection)
        {
            if (refusal is not null)
            {
                return refusal;
            }
            var take = limit ?? 1000;
            var rows = await ExtractReceipt.RejectedRowsAsync(connection!, id, take, cancellationToken, afterLine ?? 0);
            return Results.Ok(new RejectedPage(rows, rows.Count == take ? rows[^1].LineNumber : null));
        }
    }

    static async Task<IResult> Downstream(long id, HttpContext http, ApiGate gate, PaduDatabase database, CancellationToken cancellationToken)
    {
        var (connection, refusal) = await OwnReceiptAsync(http, gate, database, "GET /api/v1/extracts/{id}/downstream", id, cancellationToken);
        await using (connection)
        {
            return refusal ?? Results.Ok(await ExtractReceipt.DownstreamAsync(connection!, id, cancellationToken));
        }
    }

    /// <summary>Null when the key may send and see this agency's extracts; otherwise the refusal, audited.</summary>
    static async Task<IResult?> AgencyClientAsync(HttpContext http, ApiGate gate, ExtractLoader loader, string action, string code)
    {
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
                $"This key may not send or see the extracts of {contract.Agency} (it needs the scope {ApiClient.IngestScope(contract.Agency)}).");
        }
        return null;
    }

    /// <summary>An open connection when the key's agency sent extract <paramref name="id"/>; otherwise the refusal, audited.</summary>
    static async Task<(Npgsql.NpgsqlConnection? Connection, IResult? Refusal)> OwnReceiptAsync(HttpContext http, ApiGate gate, PaduDatabase database,
        string action, long id, CancellationToken cancellationToken)
    {
        var subject = $"extract:{id}";
        var client = await gate.AuthenticateAsync(http);
        if (client is null)
        {
            var (title, detail) = ApiGate.KeyRefusal(http.Request, "agency's");
            return (null, await gate.RefuseAsync(http, null, action, subject, 401, title, detail));
        }
        var connection = database.Connect();
        var agency = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            new Dapper.CommandDefinition("select agency_code from extract where id = @id", new { id }, cancellationToken: cancellationToken));
        if (agency is null)
        {
            return (connection, Problem(404, "No such extract", $"There is no extract {id}."));
        }
        // Another agency's receipt (its rejected rows hold that agency's raw lines) is refused, and the attempt audited.
        return (connection, client.Has(ApiClient.IngestScope(agency)) ? null
            : await gate.RefuseAsync(http, client, action, subject, 403, "Not allowed", $"Extract {id} belongs to another agency."));
    }

    static async Task<IResult> Upload(string code, [FromQuery(Name = "file_name")] string? fileName, [FromQuery] string? kind, [FromQuery] int? sequence,
        [FromQuery(Name = "as_of")] DateOnly? asOf, HttpContext http, ApiGate gate, ExtractLoader loader, IBackgroundJobClient jobs, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        const string action = "POST /api/v1/agencies/{code}/extracts";
        if (await AgencyClientAsync(http, gate, loader, action, code) is { } refusal)
        {
            return refusal;
        }
        var contract = loader.Contracts.For(code);
        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 200 || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            return Problem(400, "file_name needed", "Say the file's name in the file_name query parameter (a plain name, no folders).");
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
            var receipt = await loader.ReceiveAsync(new ExtractRequest(contract.Agency, temp, fileName, "api") { Kind = kind, Sequence = sequence, AsOf = asOf },
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
        var (connection, refusal) = await OwnReceiptAsync(http, gate, database, "GET /api/v1/extracts/{id}", id, cancellationToken);
        await using (connection)
        {
            if (refusal is not null)
            {
                return refusal;
            }
            var receipt = (await ExtractReceipt.FindAsync(connection!, id, cancellationToken))!;
            return Results.Ok(new ExtractReceiptWithRejects(receipt, await ExtractReceipt.RejectedRowsAsync(connection!, id, 100, cancellationToken)));
        }
    }

    static IResult Problem(int status, string title, string detail) => Results.Problem(title: title, detail: detail, statusCode: status);

    public static string SpoolFolder(IConfiguration configuration) =>
        configuration["Padu:SpoolFolder"] is { Length: > 0 } configured ? configured : Path.Combine(PaduDatabase.DefaultHome, "spool");
}
