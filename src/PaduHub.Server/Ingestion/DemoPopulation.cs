using Dapper;
using PaduHub.Access;
using PaduHub.Database;
using PaduHub.Ingestion;

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
        await using var connection = database.Connect();
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
                .OrderBy(f => f.Kind!.Value.Kind == "full" ? 0 : 1).ThenBy(f => f.Kind!.Value.Sequence);
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
        var keyFile = Path.Combine(PaduDatabase.DefaultHome, "demo-keys.txt");
        await File.WriteAllLinesAsync(keyFile, ["# Demo API keys made on first start (agency, key). Keep them out of version control.", .. keys],
            cancellationToken);
        logger.LogInformation("Demo API keys, one per agency, are in {KeyFile}", keyFile);
        return true;
    }
}
