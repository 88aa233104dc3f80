namespace PaduHub.Ingestion;

/// <summary>The contracts in a folder, by agency code.</summary>
public sealed class AgencyContracts
{
    readonly Dictionary<string, AgencyContract> _byCode;

    AgencyContracts(Dictionary<string, AgencyContract> byCode) => _byCode = byCode;

    public IReadOnlyCollection<AgencyContract> All => _byCode.Values;

    /// <summary>The folder named by PADU_CONTRACTS, else the agencies/ folder shipped beside the binaries.</summary>
    public static string DefaultFolder => Environment.GetEnvironmentVariable("PADU_CONTRACTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "agencies");

    public static AgencyContracts Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new ContractException($"no agency contracts: folder {folder} does not exist (set PADU_CONTRACTS)");
        }
        var byCode = new Dictionary<string, AgencyContract>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.contract.json").Order(StringComparer.Ordinal))
        {
            var contract = AgencyContract.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!byCode.TryAdd(contract.Agency, contract))
            {
                throw new ContractException($"{Path.GetFileName(file)}: a second contract for agency {contract.Agency}");
            }
        }
        return new AgencyContracts(byCode);
    }

    /// <summary>The contract for an agency code, or an error that lists the agencies there are.</summary>
    public AgencyContract For(string agencyCode) =>
        _byCode.TryGetValue(agencyCode.Trim().ToUpperInvariant(), out var contract)
            ? contract
            : throw new UnknownAgencyException(
                $"unknown agency '{agencyCode}': there is no contract for it. Known agencies: {string.Join(", ", _byCode.Keys.Order(StringComparer.Ordinal))}");
}
