using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace PaduHub.Server.Api;

/// <summary>
/// The API's OpenAPI document (/openapi/v1.json), made from the endpoints themselves, and its browsable reference at
/// /docs. What the framework cannot see is added here: the key scheme, the purpose header on endpoints that give
/// personal data, and the problem answers every endpoint can give.
/// </summary>
static class ApiDocument
{
    /// <summary>Endpoint metadata: this endpoint gives personal data, so it needs X-Purpose.</summary>
    public sealed class NeedsPurpose;

    /// <summary>
    /// Endpoint metadata: the request body is a file of any type, streamed. Said here rather than with Accepts(), which
    /// would also make routing refuse a content type not named.
    /// </summary>
    public sealed class FileBody;

    public static RouteHandlerBuilder GivesPersonalData(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new NeedsPurpose());

    /// <summary>
    /// The problem answers of an endpoint behind the key: 401 (no key, or not a key), 403 (scope), 429 (rate), and for
    /// personal data 400 (no purpose); plus any the endpoint names.
    /// </summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] more)
    {
        foreach (var status in new[] { 400, 401, 403, 429 }.Concat(more).Distinct())
        {
            endpoint.ProducesProblem(status);
        }
        return endpoint;
    }

    public static void AddApiDocument(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "PaduHub API",
                Version = "v1",
                Description = """
                    The golden records of people and households, their eligibility, the change feed, agency uploads and steward review.

                    Every request carries a key in `X-Api-Key` (or `Authorization: Bearer`); the key's scopes decide what it may do.
                    Requests that return personal data also say why in `X-Purpose`; every such request is audited with its purpose.
                    Errors are `application/problem+json` (RFC 9457): `title` says what went wrong, `detail` what to do.
                    Ids in paths are whole numbers; a retired (merged) id answers with its successor and says so in `redirected_from`.
                    JSON is snake_case throughout; dates are `yyyy-mm-dd`, times ISO 8601 in UTC.
                    """,
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "The client's key, as `padu clients add` printed it once.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            // A body's own description (CheckRequest: "exactly one of") is the first thing a client's author reads.
            if (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>(type) is { } described)
            {
                schema.Description = described.Description;
            }
            // Every problem answer carries the request's trace id, which the hub's log names too.
            if (type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails) || type == typeof(HttpValidationProblemDetails))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, as the hub's log has it." };
            }
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<FileBody>().Any())
            {
                var file = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The extract file's bytes, as the agency's contract describes them (CSV, fixed width, JSON lines).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = file, ["text/plain"] = file, ["application/octet-stream"] = file },
                };
            }
            if (metadata.OfType<NeedsPurpose>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "X-Purpose",
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = $"Why this personal data is asked for (1 to {ApiGate.MaxPurposeLength} characters), kept in the access audit.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ApiGate.MaxPurposeLength },
                    Example = System.Text.Json.Nodes.JsonValue.Create("STR 2026 appeal 4411"),
                });
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// The reference page at /docs (Scalar, served from the hub itself). A government network may have no internet and
    /// must not leak who reads what: no web fonts, no telemetry, no AI chat, no developer bar.
    /// </summary>
    public static void MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("PaduHub API").WithOpenApiRoutePattern("/openapi/{documentName}.json").AddDocument("v1");
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.DefaultOpenAllTags = true;
        });
    }
}
