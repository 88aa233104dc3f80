using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.OpenApi;
using Npgsql;
using PaduHub.Access;

namespace PaduHub.Tests.Server;

/// <summary>
/// The API document a policy-system developer writes a client from: it validates, it says how to authenticate and
/// why to say a purpose, every operation names its answers and problems, and real answers have the shape it gives.
/// </summary>
[NonParallelizable]
public sealed partial class ApiDocumentTests : DemoServerFixture
{
    string _key = "";
    JsonElement _document;

    [OneTimeSetUp]
    public async Task ReadDocument()
    {
        _key = (await ApiClients.CreateAsync(ConnectionString, "everything", ["profile:read", "profile:address", "profile:income", "household:read",
            "eligibility:check"])).Key;
        var (status, body, _) = await Send("GET", "/openapi/v1.json", null, purpose: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        _document = body;
    }

    [Test]
    public async Task The_document_reads_and_validates_as_openapi()
    {
        var (_, _, text) = await Send("GET", "/openapi/v1.json", null, purpose: null);
        var read = OpenApiDocument.Parse(text, "json");
        Assert.That(read.Diagnostic?.Errors ?? [], Is.Empty, "read without errors");
        Assert.That(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()), Is.Empty, "validates");
    }

    [Test]
    public void It_says_how_to_authenticate_and_where_a_purpose_is_needed()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("api_key");
        Assert.That((scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()),
            Is.EqualTo(("apiKey", "header", "X-Api-Key")));
        Assert.That(_document.GetProperty("security")[0].TryGetProperty("api_key", out _), Is.True);

        var person = Operation("/api/v1/persons/{id}", "get");
        var purpose = person.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "X-Purpose");
        Assert.That((purpose.GetProperty("in").GetString(), purpose.GetProperty("required").GetBoolean()), Is.EqualTo(("header", true)));
        Assert.That(Operation("/api/v1/programmes", "get").TryGetProperty("parameters", out var none)
            && none.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "X-Purpose"), Is.False, "no personal data, no purpose");
    }

    [TestCase("/api/v1/persons/{id}", "get", new[] { 200, 400, 401, 403, 404, 429 })]
    [TestCase("/api/v1/persons/lookup", "post", new[] { 200, 400, 401, 403, 404, 429 })]
    [TestCase("/api/v1/households/{id}", "get", new[] { 200, 400, 401, 403, 404, 429 })]
    [TestCase("/api/v1/eligibility/{programme}/check", "post", new[] { 200, 400, 401, 403, 404, 429 })]
    [TestCase("/api/v1/changes", "get", new[] { 200, 400, 401, 403, 429 })]
    [TestCase("/api/v1/agencies/{code}/extracts", "post", new[] { 200, 202, 400, 401, 403, 404, 429 })]
    [TestCase("/api/v1/extracts/{id}/rejected", "get", new[] { 200, 400, 401, 403, 404 })]
    public void Every_operation_names_its_answer_and_its_problems(string path, string method, int[] statuses)
    {
        var responses = Operation(path, method).GetProperty("responses");
        Assert.That(responses.EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)), Is.SupersetOf(statuses));
        foreach (var response in responses.EnumerateObject())
        {
            var content = response.Value.GetProperty("content");
            if (response.Name.StartsWith('2'))
            {
                Assert.That(content.EnumerateObject().First().Value.TryGetProperty("schema", out _), Is.True, $"{method} {path} {response.Name} has a schema");
            }
            else
            {
                Assert.That(content.TryGetProperty("application/problem+json", out _), Is.True, $"{method} {path} {response.Name} is a problem");
            }
        }
    }

    [Test]
    public void Bodies_say_what_they_hold()
    {
        var body = Operation("/api/v1/eligibility/{programme}/check", "post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema");
        // A body the endpoint also takes missing (to answer 400 in words) is "null or the request".
        var check = Schema(body.TryGetProperty("oneOf", out var options) ? options.EnumerateArray().Single(o => o.TryGetProperty("$ref", out _)) : body);
        Assert.That(check.TryGetProperty("required", out var required) ? required.GetArrayLength() : 0, Is.Zero, "exactly one of them is sent, not all four");
        Assert.That(check.GetProperty("description").GetString(), Does.Contain("Exactly one"));
        var upload = Operation("/api/v1/agencies/{code}/extracts", "post");
        Assert.That(upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name), Does.Contain("text/csv"));
        Assert.That(upload.GetProperty("summary").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Real_answers_have_the_shape_the_document_gives()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var (person, household) = await connection.QueryFirstAsync<(long, long)>(
            "select golden_id, household_id from golden_household_member where role = 'head' order by golden_id limit 1");
        var mykad = await connection.QueryFirstAsync<string>("select mykad from golden_person where id = @person", new { person });
        foreach (var (method, path, templated, body) in new (string, string, string, object?)[]
        {
            ("GET", $"/api/v1/persons/{person}", "/api/v1/persons/{id}", null),
            ("POST", "/api/v1/persons/lookup", "/api/v1/persons/lookup", new { identifier = mykad }),
            ("GET", $"/api/v1/households/{household}", "/api/v1/households/{id}", null),
            ("POST", "/api/v1/eligibility/STR2025/check", "/api/v1/eligibility/{programme}/check", new { household_id = household }),
            ("GET", "/api/v1/programmes", "/api/v1/programmes", null),
            ("GET", "/api/v1/changes?limit=50", "/api/v1/changes", null),
        })
        {
            var (status, answer, text) = await Send(method, path, _key, body: body);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{method} {path}: {text}");
            var schema = Operation(templated, method.ToLowerInvariant()).GetProperty("responses").GetProperty("200").GetProperty("content")
                .GetProperty("application/json").GetProperty("schema");
            var unknown = new List<string>();
            Conform(answer, schema, "$", unknown);
            Assert.That(unknown, Is.Empty, $"{method} {path}: fields the document does not give");
        }
        var (notFound, problem, _) = await Send("GET", "/api/v1/persons/999999999", _key);
        Assert.That(notFound, Is.EqualTo(HttpStatusCode.NotFound));
        var problemSchema = Operation("/api/v1/persons/{id}", "get").GetProperty("responses").GetProperty("404").GetProperty("content")
            .GetProperty("application/problem+json").GetProperty("schema");
        var problemUnknown = new List<string>();
        Conform(problem, problemSchema, "$", problemUnknown);
        Assert.That(problemUnknown, Is.Empty);
    }

    [Test]
    public async Task The_reference_is_browsable_at_docs_from_the_hub_itself()
    {
        using var client = Server!.CreateClient();
        using var page = await client.GetAsync(new Uri("/docs/v1", UriKind.Relative));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("openapi/v1.json"));
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).Where(s => !s.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.That(scripts, Is.Not.Empty, "the reference's script comes from the hub, not a CDN");
        foreach (var script in scripts)
        {
            using var asset = await client.GetAsync(new Uri(new Uri("http://localhost/docs/v1"), script));
            Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK), script);
        }
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    JsonElement Operation(string path, string method) => _document.GetProperty("paths").GetProperty(path).GetProperty(method);

    JsonElement Schema(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? _document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    /// <summary>Collects the paths of values the schema does not declare (a property it has no name for).</summary>
    void Conform(JsonElement value, JsonElement schema, string at, List<string> unknown)
    {
        schema = Schema(schema);
        foreach (var alternative in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(alternative, out var options))
            {
                foreach (var option in options.EnumerateArray().Select(Schema).Where(o => o.TryGetProperty("properties", out _) || o.TryGetProperty("items", out _)))
                {
                    Conform(value, option, at, unknown);
                    return;
                }
            }
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when schema.TryGetProperty("properties", out var properties):
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.TryGetProperty(property.Name, out var inner))
                    {
                        Conform(property.Value, inner, $"{at}.{property.Name}", unknown);
                    }
                    else if (!schema.TryGetProperty("additionalProperties", out _))
                    {
                        unknown.Add($"{at}.{property.Name}");
                    }
                }
                break;
            case JsonValueKind.Object when schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Conform(property.Value, values, $"{at}.{property.Name}", unknown);
                }
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                foreach (var item in value.EnumerateArray().Take(20))
                {
                    Conform(item, items, $"{at}[]", unknown);
                }
                break;
        }
    }
}
