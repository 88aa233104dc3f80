using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using PaduHub.Access;
using PaduHub.Stewardship;

namespace PaduHub.Tests.Server;

/// <summary>Operators list, revoke and rotate keys and disable stewards; each change is audited and takes effect.</summary>
[NonParallelizable]
public sealed class KeysAndAccountsTests : DemoServerFixture
{
    protected override void Configure(IWebHostBuilder host) => host.UseSetting("Padu:KeyCacheSeconds", "0");

    [Test]
    public async Task A_revoked_key_stops_and_a_rotated_one_is_replaced_and_both_are_audited()
    {
        var (_, oldKey) = await ApiClients.CreateAsync(ConnectionString, "str-system", ["eligibility:check"]);
        var (_, otherKey) = await ApiClients.CreateAsync(ConnectionString, "budi-system", ["eligibility:check"]);
        Assert.That((await Send("GET", "/api/v1/programmes", oldKey)).Status, Is.EqualTo(HttpStatusCode.OK));

        var newKey = await ApiClients.RotateAsync(ConnectionString, "str-system", "ops-amir");
        Assert.That(newKey, Is.Not.Null.And.Not.EqualTo(oldKey));
        var (refused, body, _) = await Send("GET", "/api/v1/programmes", oldKey);
        Assert.That(refused, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("revoked or replaced"), "a key was sent: the answer says it is not valid, not that none was sent");
        Assert.That((await Send("GET", "/api/v1/programmes", newKey)).Status, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await ApiClients.RevokeAsync(ConnectionString, "budi-system", "ops-amir"), Is.True);
        Assert.That((await Send("GET", "/api/v1/programmes", otherKey)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ApiClients.RevokeAsync(ConnectionString, "budi-system", "ops-amir"), Is.False, "already revoked");
        Assert.That(await ApiClients.RotateAsync(ConnectionString, "no-such-client", "ops-amir"), Is.Null);

        var listed = await ApiClients.ListAsync(ConnectionString);
        Assert.That(listed.Single(c => c.Name == "budi-system").RevokedAt, Is.Not.Null);
        Assert.That(listed.Single(c => c.Name == "str-system").RevokedAt, Is.Null);
        await using var connection = new NpgsqlConnection(ConnectionString);
        var audited = (await connection.QueryAsync<(string Who, string Action)>(
            "select client_name, action from access_audit where client_name = 'operator:ops-amir' and action like '% API key' order by id")).ToList();
        Assert.That(audited, Is.EqualTo(new[] { ("operator:ops-amir", "rotate API key"), ("operator:ops-amir", "revoke API key") }));
        var (missing, missingBody, _) = await Send("GET", "/api/v1/programmes", null);
        Assert.That((missing, missingBody.GetProperty("title").GetString()), Is.EqualTo((HttpStatusCode.Unauthorized, "API key missing")));
    }

    [Test]
    public async Task A_disabled_steward_can_no_longer_sign_in_and_an_open_session_ends_at_its_next_page()
    {
        const string password = "correct horse battery";
        await StewardAccounts.AddAsync(ConnectionString, "farid", "Farid", StewardAccounts.Steward, password);
        using var client = Server!.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        async Task<HttpStatusCode> SignIn()
        {
            var form = await client.GetStringAsync(new Uri("/steward/signin", UriKind.Relative));
            var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "farid", ["Password"] = password, ["__RequestVerificationToken"] = token });
            using var response = await client.PostAsync(new Uri("/steward/signin", UriKind.Relative), content);
            return response.StatusCode;
        }
        Assert.That(await SignIn(), Is.EqualTo(HttpStatusCode.Redirect), "signed in");
        using (var page = await client.GetAsync(new Uri("/steward", UriKind.Relative)))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await StewardAccounts.DisableAsync(ConnectionString, "farid", "ops-amir"), Is.True);

        using (var page = await client.GetAsync(new Uri("/steward", UriKind.Relative)))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(page.Headers.Location!.ToString(), Does.Contain("/steward/signin"));
        }
        Assert.That(await SignIn(), Is.EqualTo(HttpStatusCode.OK), "the sign-in page again, refused");
        Assert.That((await StewardAccounts.ListAsync(ConnectionString)).Single(a => a.Name == "farid").DisabledAt, Is.Not.Null);
    }

    [Test]
    public async Task A_word_where_an_id_goes_is_told_so()
    {
        var (status, body, _) = await Send("GET", "/api/v1/persons/abc", null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("Ids in paths are whole numbers"));
        Assert.That(body.ValueKind, Is.EqualTo(JsonValueKind.Object));
    }
}
