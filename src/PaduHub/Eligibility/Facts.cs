using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace PaduHub.Eligibility;

/// <summary>One value a rule can read, with where it came from and how fresh it is.</summary>
public sealed record Fact(object? Value, string? Source, DateTime? AsOf, bool Income = false);

/// <summary>
/// The facts about a person or a household that programme rules read, gathered from golden records and golden
/// households. Each carries its source agency and date, so an answer can say how fresh every value it used was.
/// </summary>
public sealed class Facts
{
    public static readonly HashSet<string> Known =
    [
        "person.age", "person.citizen", "person.alive", "person.verified_mykad", "person.marital_status", "person.monthly_income", "person.annual_income",
        "spouse.annual_income",
        "household.monthly_income", "household.per_capita_income", "household.income_group", "household.size", "household.children",
        "household.adults", "household.seniors", "household.has_spouse",
        "head.age", "head.citizen",
    ];

    readonly Dictionary<string, Fact> _facts = new(StringComparer.Ordinal);

    public long? PersonId { get; private set; }
    public long? HouseholdId { get; private set; }
    /// <summary>When the id asked for was retired: the id it was, before following its successors.</summary>
    public long? RedirectedFrom { get; private set; }

    public Fact? Get(string name) => _facts.GetValueOrDefault(name);

    public void Set(string name, Fact fact) => _facts[name] = fact;

    /// <summary>Facts for a person programme: the person, their spouse's income, and their household.</summary>
    public static async Task<Facts?> ForPersonAsync(NpgsqlConnection connection, long goldenId, DateOnly today, CancellationToken cancellationToken = default)
    {
        var (id, redirected) = await GoldenPersonFollowing(connection, goldenId, cancellationToken);
        if (id is null)
        {
            return null;
        }
        var person = await connection.QuerySingleAsync<(DateOnly? Dob, string Attributes, long? Household)>(new CommandDefinition("""
            select g.date_of_birth, g.attributes::text, m.household_id
            from golden_person g left join golden_household_member m on m.golden_id = g.id where g.id = @id
            """, new { id }, cancellationToken: cancellationToken));
        var facts = new Facts { PersonId = id, HouseholdId = person.Household, RedirectedFrom = redirected };
        var attributes = Attributes(person.Attributes);
        facts.AddPerson("person", attributes, today);
        if (person.Household is { } household)
        {
            var members = await facts.AddHouseholdAsync(connection, household, today, cancellationToken);
            var role = members.First(m => m.GoldenId == id).Role;
            var spouse = role == "head" ? members.FirstOrDefault(m => m.Role == "spouse") : role == "spouse" ? members.FirstOrDefault(m => m.Role == "head") : default;
            if (spouse.Attributes is not null)
            {
                var (annual, source, at) = AnnualIncome(Attributes(spouse.Attributes));
                facts.Set("spouse.annual_income", new Fact(annual, source, at, Income: true));
            }
        }
        return facts;
    }

    /// <summary>Facts for a household programme; a retired household id answers for its successor.</summary>
    public static async Task<Facts?> ForHouseholdAsync(NpgsqlConnection connection, long householdId, DateOnly today, CancellationToken cancellationToken = default)
    {
        var (id, redirected) = await Following(connection, "golden_household", householdId, cancellationToken);
        if (id is null)
        {
            return null;
        }
        var facts = new Facts { HouseholdId = id, RedirectedFrom = redirected };
        var members = await facts.AddHouseholdAsync(connection, id.Value, today, cancellationToken);
        return members.Count == 0 ? null : facts;
    }

    public static Task<(long? Id, long? RedirectedFrom)> GoldenPersonFollowing(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        Following(connection, "golden_person", id, cancellationToken);

    /// <summary>Follows retired ids to the record that took them over; null for an unknown or withdrawn id.</summary>
    static async Task<(long? Id, long? RedirectedFrom)> Following(NpgsqlConnection connection, string table, long id, CancellationToken cancellationToken)
    {
        var current = id;
        for (var hops = 0; hops < 50; hops++)
        {
            var row = await connection.QuerySingleOrDefaultAsync<(string Status, long? Successor)?>(new CommandDefinition(
                $"select status, successor_id from {table} where id = @current", new { current }, cancellationToken: cancellationToken));
            switch (row)
            {
                case null:
                    return (null, null);
                case { Status: "retired", Successor: { } next }:
                    current = next;
                    continue;
                case { Status: "active" }:
                    return (current, current == id ? null : id);
                default:
                    return (null, null);
            }
        }
        return (null, null);
    }

    async Task<List<(long GoldenId, string Role, string Attributes)>> AddHouseholdAsync(NpgsqlConnection connection, long householdId, DateOnly today,
        CancellationToken cancellationToken)
    {
        using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            select size, monthly_income, per_capita_income, income_group, updated_at, income_sources::text from golden_household where id = @householdId and status = 'active';
            select m.golden_id, m.role, g.attributes::text from golden_household_member m join golden_person g on g.id = m.golden_id where m.household_id = @householdId;
            """, new { householdId }, cancellationToken: cancellationToken));
        var household = await results.ReadSingleOrDefaultAsync<(int Size, decimal Monthly, decimal PerCapita, string Group, DateTime UpdatedAt, string Sources)?>();
        var members = (await results.ReadAsync<(long GoldenId, string Role, string Attributes)>()).AsList();
        if (household is not { } h)
        {
            return [];
        }
        HouseholdId = householdId;
        var agencies = JsonDocument.Parse(h.Sources).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("agency").GetString()).Where(a => a is not null).Distinct().Order(StringComparer.Ordinal).ToList();
        var incomeSource = agencies.Count == 0 ? "no tax or pension records" : "household income from " + string.Join(", ", agencies);
        var at = DateTime.SpecifyKind(h.UpdatedAt, DateTimeKind.Utc);
        Set("household.monthly_income", new Fact(h.Monthly, incomeSource, at, Income: true));
        Set("household.per_capita_income", new Fact(h.PerCapita, incomeSource, at, Income: true));
        Set("household.income_group", new Fact(h.Group, incomeSource, at, Income: true));
        Set("household.size", new Fact((decimal)h.Size, "household formation", at));
        var ages = members.Select(m => (m.Role, Age: Age(Attributes(m.Attributes), today).Value as decimal?)).ToList();
        Set("household.children", new Fact((decimal)ages.Count(a => a.Age < 18), "JPN date of birth", at));
        Set("household.adults", new Fact((decimal)ages.Count(a => a.Age >= 18), "JPN date of birth", at));
        Set("household.seniors", new Fact((decimal)ages.Count(a => a.Age >= 60), "JPN date of birth", at));
        Set("household.has_spouse", new Fact(members.Any(m => m.Role == "spouse"), "household formation", at));
        if (members.FirstOrDefault(m => m.Role == "head") is { Attributes: not null } head)
        {
            AddPerson("head", Attributes(head.Attributes), today, onlyHead: true);
        }
        return members;
    }

    void AddPerson(string prefix, Dictionary<string, JsonElement> attributes, DateOnly today, bool onlyHead = false)
    {
        Set($"{prefix}.age", Age(attributes, today));
        var citizenship = Lineage(attributes, "citizenship");
        Set($"{prefix}.citizen", citizenship is { } c ? new Fact(c.Value == "CITIZEN", c.Agency, c.At) : new Fact(null, null, null));
        if (onlyHead)
        {
            return;
        }
        var death = Lineage(attributes, "death_date");
        Set($"{prefix}.alive", death is { } d ? new Fact(false, d.Agency, d.At) : new Fact(true, "no death recorded", null));
        var mykad = Lineage(attributes, "mykad");
        Set($"{prefix}.verified_mykad", new Fact(mykad is { Verified: true }, mykad?.Agency, mykad?.At));
        var marital = Lineage(attributes, "marital_status");
        Set($"{prefix}.marital_status", new Fact(marital?.Value, marital?.Agency, marital?.At));
        var (annual, source, at) = AnnualIncome(attributes);
        Set($"{prefix}.annual_income", new Fact(annual, source, at, Income: true));
        Set($"{prefix}.monthly_income", new Fact(Math.Round(annual / 12m, 2), source, at, Income: true));
    }

    /// <summary>The tax board's assessment when there is one, else a year of pension-fund wages, else none known (zero).</summary>
    static (decimal Annual, string Source, DateTime? At) AnnualIncome(Dictionary<string, JsonElement> attributes)
    {
        if (Lineage(attributes, "annual_income") is { } tax && decimal.TryParse(tax.Value, CultureInfo.InvariantCulture, out var annual))
        {
            return (annual, tax.Agency, tax.At);
        }
        if (Lineage(attributes, "monthly_income") is { } wage && decimal.TryParse(wage.Value, CultureInfo.InvariantCulture, out var monthly))
        {
            return (monthly * 12, wage.Agency + " wage x 12", wage.At);
        }
        return (0m, "no tax or pension records", null);
    }

    static Fact Age(Dictionary<string, JsonElement> attributes, DateOnly today)
    {
        if (Lineage(attributes, "date_of_birth") is { } dob && DateOnly.TryParse(dob.Value, CultureInfo.InvariantCulture, out var born))
        {
            var age = today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);
            return new Fact((decimal)age, dob.Agency, dob.At);
        }
        return new Fact(null, null, null);
    }

    static Dictionary<string, JsonElement> Attributes(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];

    static (string Value, string Agency, DateTime At, bool Verified)? Lineage(Dictionary<string, JsonElement> attributes, string name) =>
        attributes.TryGetValue(name, out var a) && a.ValueKind == JsonValueKind.Object
            ? (a.GetProperty("value").GetString() ?? "", a.GetProperty("agency").GetString() ?? "", a.GetProperty("at").GetDateTime(),
                a.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.True)
            : null;
}
