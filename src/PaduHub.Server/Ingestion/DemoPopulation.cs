using Dapper;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Ingestion;
using PaduHub.Stewardship;

namespace PaduHub.Server.Ingestion;

/// <summary>
/// On the first start of an embedded hub, loads the committed sample population (samples/demo, shipped beside the
/// server as demo/): every agency's full extract, then its deltas in sequence, and makes one demo key per agency.
/// Returns whether it loaded anything (the caller then matches it).
/// </summary>
static class DemoPopulation
{
    public static async Task<bool> LoadIfEmptyAsync(PaduDatabase database, ExtractLoader loader, ILogger logger, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "demo");
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Workers starting together on an empty database: one loads the demo, the others then find it loaded. The lock
        // is the session's, let go when the connection closes.
        await connection.ExecuteAsync("select pg_advisory_lock(hashtext('padu.demo'))");
        if (!Directory.Exists(folder) || await connection.ExecuteScalarAsync<bool>("select exists (select 1 from extract)"))
        {
            return false;
        }
        logger.LogInformation("First start: loading the demo population from {Folder}", folder);
        foreach (var contract in loader.Contracts.All.OrderBy(c => c.Agency, StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(Path.Combine(folder, "extracts")).Concat(Directory.GetFiles(Path.Combine(folder, "deltas")))
                .Select(f => (Path: f, Kind: contract.Classify(Path.GetFileName(f))))
                .Where(f => f.Kind is not null)
                .OrderBy(f => f.Kind!.Value.Kind == ExtractKind.Full ? 0 : 1).ThenBy(f => f.Kind!.Value.Sequence);
            foreach (var (path, _) in files)
            {
                // The loader logs each receipt.
                await loader.LoadAsync(new ExtractRequest(contract.Agency, path, Path.GetFileName(path), "demo"), cancellationToken: cancellationToken);
            }
        }
        var keys = new List<string>();
        foreach (var contract in loader.Contracts.All.OrderBy(c => c.Agency, StringComparer.Ordinal))
        {
            var (_, key) = await ApiClients.CreateAsync(database.ConnectionString, $"demo-{contract.Agency.ToLowerInvariant()}",
                [ApiClient.IngestScope(contract.Agency)], cancellationToken);
            keys.Add($"{contract.Agency}\t{key}");
        }
        // A policy system that may read profiles, households and eligibility (not addresses or income), and a steward.
        var (_, policyKey) = await ApiClients.CreateAsync(database.ConnectionString, "demo-policy", ["profile:read", "household:read", "eligibility:check"],
            cancellationToken);
        keys.Add($"{PolicyKeyName}\t{policyKey}");
        var (_, stewardKey) = await ApiClients.CreateAsync(database.ConnectionString, "demo-steward",
            ["steward", "profile:read", "profile:address", "profile:income", "household:read", "eligibility:check"], cancellationToken);
        keys.Add($"steward\t{stewardKey}");
        // People sign in to the steward pages with a name and password rather than a key.
        foreach (var (name, display, role) in new[] { ("steward", "Demo Steward", StewardAccounts.Steward), ("supervisor", "Demo Supervisor", StewardAccounts.Supervisor) })
        {
            var password = StewardAccounts.NewPassword();
            await StewardAccounts.AddAsync(database.ConnectionString, name, display, role, password, cancellationToken);
            keys.Add($"{SignInPrefix}{name}\t{password}");
        }
        await File.WriteAllLinesAsync(KeyFile, ["# Demo API keys made on first start (who, key). Keep them out of version control.", .. keys],
            cancellationToken);
        logger.LogInformation("Demo API keys (one per agency, a policy system, a steward) are in {KeyFile}", KeyFile);
        return true;
    }

    const string PolicyKeyName = "policy";
    const string SignInPrefix = "sign-in:";

    static string KeyFile => Path.Combine(PaduDatabase.DefaultHome, "demo-keys.txt");

    /// <summary>
    /// Ready-made requests against the demo with the demo policy key, for the address the hub listens on; null when
    /// this is not the demo hub.
    /// </summary>
    public static async Task<Func<string, string>?> ExampleRequestAsync(PaduDatabase database, ILogger logger)
    {
        if (database.Embedded is null || !File.Exists(KeyFile))
        {
            return null;
        }
        var lines = File.ReadAllLines(KeyFile).Select(l => l.Split('\t')).Where(f => f.Length == 2).ToList();
        var key = lines.FirstOrDefault(f => f[0] == PolicyKeyName)?[1];
        var signIns = string.Join(" or ", lines.Where(f => f[0].StartsWith(SignInPrefix, StringComparison.Ordinal)).Select(f => $"{f[0][SignInPrefix.Length..]} / {f[1]}"));
        await using var connection = database.Connect();
        var person = await connection.ExecuteScalarAsync<long?>(
            "select golden_id from golden_household_member where role = 'head' order by household_id limit 1");
        if (key is null || person is null)
        {
            return null;
        }
        return address => $$"""
              curl -s {{address}}/api/v1/persons/{{person}} -H 'X-Api-Key: {{key}}' -H 'X-Purpose: trying the demo'
              curl -s -X POST {{address}}/api/v1/eligibility/STR2025/check -H 'X-Api-Key: {{key}}' -H 'X-Purpose: trying the demo' -H 'Content-Type: application/json' -d '{"person_id": {{person}}}'
              curl -s "{{address}}/api/v1/changes?after=0&limit=5" -H 'X-Api-Key: {{key}}' -H 'X-Purpose: trying the demo'
              (the demo policy key is in {{KeyFile}}; the API reference is at {{address}}/docs)

            The steward workbench is at {{address}}/steward{{(signIns.Length > 0 ? $"; sign in as {signIns}" : "")}}
            """;
    }
}
