namespace PaduHub.Eligibility;

public sealed class Programmes(IReadOnlyDictionary<string, Programme> byCode)
{
    public IEnumerable<Programme> All => byCode.Values.OrderBy(p => p.Code, StringComparer.Ordinal);

    public Programme? Find(string code) => byCode.GetValueOrDefault(code.Trim().ToUpperInvariant());

    /// <summary>The folder named by PADU_PROGRAMMES, else the programmes/ folder shipped beside the binaries.</summary>
    public static string DefaultFolder => Environment.GetEnvironmentVariable("PADU_PROGRAMMES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "programmes");

    public static Programmes Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new ProgrammeException($"no eligibility programmes: folder {folder} does not exist (set PADU_PROGRAMMES)");
        }
        var byCode = new Dictionary<string, Programme>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.programme.json").Order(StringComparer.Ordinal))
        {
            var programme = Programme.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!byCode.TryAdd(programme.Code, programme))
            {
                throw new ProgrammeException($"{Path.GetFileName(file)}: a second programme with code {programme.Code}");
            }
        }
        return new Programmes(byCode);
    }
}
