using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaduHub.Households;

/// <summary>A golden household as written: members, address, income and group, evidence, and a fingerprint of them.</summary>
sealed class HouseholdRow
{
    public long Id;
    public int Version;
    public string Change = "";
    public long HeadId;
    public required IReadOnlyList<(long GoldenId, string Role)> Members;
    public string? AddressJson;
    public decimal MonthlyIncome;
    public decimal PerCapita;
    public string IncomeGroup = "";
    public string SourcesJson = "[]";
    public string EvidenceJson = "[]";
    public string Fingerprint = "";
    public string SnapshotJson = "{}";

    /// <summary>The row a formed household is written as, with the fingerprint that says whether it changed.</summary>
    public static HouseholdRow Describe(long id, FormedHousehold household, Dictionary<long, IncomeEvidence> income, Dictionary<long, JsonElement> addresses,
        int thresholdYear)
    {
        var sources = household.Members.Select(m => (income.GetValueOrDefault(m.GoldenId) ?? new IncomeEvidence()).Choose(m.GoldenId)).ToList();
        var total = sources.Sum(s => s.Monthly);
        var perCapita = Math.Round(total / household.Members.Count, 2);
        var group = IncomeGroups.Of(total, thresholdYear);
        var address = addresses.TryGetValue(household.HeadId, out var a) ? a.GetRawText() : null;
        var members = household.Members.Select(m => new { golden_id = m.GoldenId, role = m.Role }).ToList();
        var fingerprint = $"m:{Short(JsonSerializer.Serialize(members))} a:{Short(address ?? "")} i:{Short($"{total}|{group}|{thresholdYear}|{JsonSerializer.Serialize(sources)}")}";
        return new HouseholdRow
        {
            Id = id,
            HeadId = household.HeadId,
            Members = household.Members,
            AddressJson = address,
            MonthlyIncome = total,
            PerCapita = perCapita,
            IncomeGroup = group,
            SourcesJson = JsonSerializer.Serialize(sources),
            EvidenceJson = JsonSerializer.Serialize(household.Evidence),
            Fingerprint = fingerprint,
            SnapshotJson = JsonSerializer.Serialize(new
            {
                head_id = household.HeadId,
                members,
                address = address is null ? (JsonElement?)null : JsonDocument.Parse(address).RootElement,
                monthly_income = total,
                per_capita_income = perCapita,
                income_group = group,
                income_year = thresholdYear,
                evidence = household.Evidence,
            }),
        };
    }

    static string Short(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>What a new fingerprint changed: members, address, income.</summary>
    public static string Changed(string before, string after)
    {
        var parts = before.Split(' ').Zip(after.Split(' ')).Where(p => p.First != p.Second).Select(p => p.Second[0] switch
        {
            'm' => "members",
            'a' => "address",
            _ => "income",
        });
        return string.Join(", ", parts);
    }
}
