using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using PaduHub.GoldenRecords;

namespace PaduHub.Eligibility;

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
    public static async Task<Facts?> ForPersonAsync(NpgsqlConnection connection, long goldenId, DateOnly today, CancellationToken cancellationToken = default) =>
        (await ForPersonsAsync(connection, [goldenId], today, cancellationToken)).GetValueOrDefault(goldenId);

    /// <summary>Facts for a household programme; a retired household id answers for its successor.</summary>
    public static async Task<Facts?> ForHouseholdAsync(NpgsqlConnection connection, long householdId, DateOnly today, CancellationToken cancellationToken = default) =>
        (await ForHouseholdsAsync(connection, [householdId], today, cancellationToken)).GetValueOrDefault(householdId);

    /// <summary>
    /// Facts for many people at once (batch checks read a thousand ids per round trip, not one). Keyed by the id
    /// asked for; ids unknown or withdrawn are absent; retired ids answer for their successor.
    /// </summary>
    public static async Task<Dictionary<long, Facts>> ForPersonsAsync(NpgsqlConnection connection, IReadOnlyCollection<long> ids, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        // One round trip for the usual case (every id active); retired ids are followed to their successors after.
        var (people, households) = await PersonRowsAsync(connection, ids.Distinct().ToArray(), cancellationToken);
        var current = await CurrentAsync(connection, "golden_person", ids, people.ContainsKey, cancellationToken);
        var more = current.Values.Where(id => !people.ContainsKey(id)).Distinct().ToArray();
        if (more.Length > 0)
        {
            var (morePeople, moreHouseholds) = await PersonRowsAsync(connection, more, cancellationToken);
            foreach (var (id, row) in morePeople)
            {
                people[id] = row;
            }
            foreach (var (id, row) in moreHouseholds)
            {
                households[id] = row;
            }
        }
        var result = new Dictionary<long, Facts>();
        foreach (var (asked, id) in current)
        {
            if (!people.TryGetValue(id, out var person))
            {
                continue;
            }
            var facts = new Facts { PersonId = id, RedirectedFrom = asked == id ? null : asked };
            facts.AddPerson("person", Attributes(person.Attributes), today);
            if (person.Household is { } household && households.TryGetValue(household, out var h))
            {
                facts.AddHousehold(h.Row, h.Members, today);
                var role = h.Members.FirstOrDefault(m => m.GoldenId == id).Role;
                var spouse = role == "head" ? h.Members.FirstOrDefault(m => m.Role == "spouse") : role == "spouse" ? h.Members.FirstOrDefault(m => m.Role == "head") : default;
                if (spouse.Attributes is not null)
                {
                    var (annual, source, at) = AnnualIncome(Attributes(spouse.Attributes));
                    facts.Set("spouse.annual_income", new Fact(annual, source, at, Income: true));
                }
            }
            result[asked] = facts;
        }
        return result;
    }

    public static async Task<Dictionary<long, Facts>> ForHouseholdsAsync(NpgsqlConnection connection, IReadOnlyCollection<long> ids, DateOnly today,
        CancellationToken cancellationToken = default)
    {
        var households = await HouseholdRowsAsync(connection, ids.Distinct().ToArray(), cancellationToken);
        var current = await CurrentAsync(connection, "golden_household", ids, households.ContainsKey, cancellationToken);
        var more = current.Values.Where(id => !households.ContainsKey(id)).Distinct().ToArray();
        if (more.Length > 0)
        {
            foreach (var (id, row) in await HouseholdRowsAsync(connection, more, cancellationToken))
            {
                households[id] = row;
            }
        }
        var result = new Dictionary<long, Facts>();
        foreach (var (asked, id) in current)
        {
            if (households.TryGetValue(id, out var h) && h.Members.Count > 0)
            {
                var facts = new Facts { RedirectedFrom = asked == id ? null : asked };
                facts.AddHousehold(h.Row, h.Members, today);
                result[asked] = facts;
            }
        }
        return result;
    }

    /// <summary>Asked id to the active record answering for it: itself when it was found active, else its successor.</summary>
    static async Task<Dictionary<long, long>> CurrentAsync(NpgsqlConnection connection, string table, IReadOnlyCollection<long> ids, Func<long, bool> found,
        CancellationToken cancellationToken)
    {
        var current = ids.Where(found).Distinct().ToDictionary(id => id, id => id);
        var missing = ids.Where(id => !found(id)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            foreach (var (asked, now) in await FollowAllAsync(connection, table, missing, cancellationToken))
            {
                current[asked] = now;
            }
        }
        return current;
    }

    sealed record PersonRow(long Id, string Attributes, long? Household);

    /// <summary>Active persons, their households and those households' members, in one round trip.</summary>
    static async Task<(Dictionary<long, PersonRow> People, Dictionary<long, (HouseholdRow Row, List<(long GoldenId, string Role, string Attributes)> Members)> Households)>
        PersonRowsAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            select g.id, g.attributes::text as Attributes, m.household_id as Household
            from golden_person g left join golden_household_member m on m.golden_id = g.id where g.id = any(@ids) and g.status = 'active';
            select id, size, monthly_income as Monthly, per_capita_income as PerCapita, income_group as "Group", updated_at as UpdatedAt, income_sources::text as Sources
            from golden_household where status = 'active' and id in (select household_id from golden_household_member where golden_id = any(@ids));
            select m.household_id, m.golden_id, m.role, g.attributes::text
            from golden_household_member m join golden_person g on g.id = m.golden_id
            where m.household_id in (select household_id from golden_household_member where golden_id = any(@ids));
            """, new { ids }, cancellationToken: cancellationToken));
        var people = (await results.ReadAsync<PersonRow>()).ToDictionary(p => p.Id);
        return (people, await ReadHouseholdsAsync(results));
    }

    /// <summary>The active golden person an id is now (itself or its successor), and the id asked for when it was retired.</summary>
    public static async Task<(long? Id, long? RedirectedFrom)> GoldenPersonFollowing(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        var current = await FollowAllAsync(connection, "golden_person", [id], cancellationToken);
        return current.TryGetValue(id, out var now) ? (now, now == id ? null : id) : (null, null);
    }

    /// <summary>Each id asked for, mapped to the active record it is now (itself, or its successor); unknown and withdrawn ids left out.</summary>
    static async Task<Dictionary<long, long>> FollowAllAsync(NpgsqlConnection connection, string table, IReadOnlyCollection<long> ids,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, long>();
        var pending = ids.Distinct().ToDictionary(id => id, id => id);   // asked -> where we are now
        for (var hops = 0; hops < 50 && pending.Count > 0; hops++)
        {
            var at = pending.Values.Distinct().ToArray();
            var rows = (await connection.QueryAsync<(long Id, string Status, long? Successor)>(new CommandDefinition(
                $"select id, status, successor_id from {table} where id = any(@at)", new { at }, cancellationToken: cancellationToken))).ToDictionary(r => r.Id);
            var next = new Dictionary<long, long>();
            foreach (var (asked, now) in pending)
            {
                if (rows.TryGetValue(now, out var row))
                {
                    if (row.Status == "active")
                    {
                        result[asked] = now;
                    }
                    else if (row is { Status: "retired", Successor: { } successor })
                    {
                        next[asked] = successor;
                    }
                }
            }
            pending = next;
        }
        return result;
    }

    sealed record HouseholdRow(long Id, int Size, decimal Monthly, decimal PerCapita, string Group, DateTime UpdatedAt, string Sources);

    static async Task<Dictionary<long, (HouseholdRow Row, List<(long GoldenId, string Role, string Attributes)> Members)>> HouseholdRowsAsync(
        NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return [];
        }
        using var results = await connection.QueryMultipleAsync(new CommandDefinition("""
            select id, size, monthly_income as Monthly, per_capita_income as PerCapita, income_group as "Group", updated_at as UpdatedAt, income_sources::text as Sources
            from golden_household where id = any(@ids) and status = 'active';
            select m.household_id, m.golden_id, m.role, g.attributes::text
            from golden_household_member m join golden_person g on g.id = m.golden_id where m.household_id = any(@ids);
            """, new { ids }, cancellationToken: cancellationToken));
        return await ReadHouseholdsAsync(results);
    }

    static async Task<Dictionary<long, (HouseholdRow Row, List<(long GoldenId, string Role, string Attributes)> Members)>> ReadHouseholdsAsync(
        SqlMapper.GridReader results)
    {
        var rows = (await results.ReadAsync<HouseholdRow>()).ToDictionary(r => r.Id, r => (Row: r, Members: new List<(long, string, string)>()));
        foreach (var (household, golden, role, attributes) in await results.ReadAsync<(long, long, string, string)>())
        {
            if (rows.TryGetValue(household, out var h))
            {
                h.Members.Add((golden, role, attributes));
            }
        }
        return rows;
    }

    void AddHousehold(HouseholdRow h, List<(long GoldenId, string Role, string Attributes)> members, DateOnly today)
    {
        HouseholdId = h.Id;
        // Which agencies' figures the income adds up, and for which period each: how fresh the income really is.
        using var sources = JsonDocument.Parse(h.Sources);
        var used = sources.RootElement.EnumerateArray()
            .Where(s => s.TryGetProperty("agency", out var a) && a.ValueKind == JsonValueKind.String)
            .Select(s => s.GetProperty("agency").GetString() + (s.TryGetProperty("period", out var p) && p.GetString() is { Length: > 0 } period ? " " + period : ""))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var incomeSource = used.Count == 0 ? "no tax or pension records" : "household income from " + string.Join(", ", used);
        var at = DateTime.SpecifyKind(h.UpdatedAt, DateTimeKind.Utc);
        Set("household.monthly_income", new Fact(h.Monthly, incomeSource, at, Income: true));
        Set("household.per_capita_income", new Fact(h.PerCapita, incomeSource, at, Income: true));
        Set("household.income_group", new Fact(h.Group, incomeSource, at, Income: true));
        Set("household.size", new Fact((decimal)h.Size, "household formation", at));
        var ages = members.Select(m => Age(Attributes(m.Attributes), today).Value as decimal?).ToList();
        Set("household.children", new Fact((decimal)ages.Count(a => a < 18), "JPN date of birth", at));
        Set("household.adults", new Fact((decimal)ages.Count(a => a >= 18), "JPN date of birth", at));
        Set("household.seniors", new Fact((decimal)ages.Count(a => a >= 60), "JPN date of birth", at));
        Set("household.has_spouse", new Fact(members.Any(m => m.Role == "spouse"), "household formation", at));
        if (members.FirstOrDefault(m => m.Role == "head") is { Attributes: not null } head)
        {
            AddPerson("head", Attributes(head.Attributes), today, onlyHead: true);
        }
    }

    void AddPerson(string prefix, Dictionary<string, AttributeLineage> attributes, DateOnly today, bool onlyHead = false)
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
    static (decimal Annual, string Source, DateTime? At) AnnualIncome(Dictionary<string, AttributeLineage> attributes)
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

    static Fact Age(Dictionary<string, AttributeLineage> attributes, DateOnly today)
    {
        if (Lineage(attributes, "date_of_birth") is { } dob && DateOnly.TryParse(dob.Value, CultureInfo.InvariantCulture, out var born))
        {
            var age = today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);
            return new Fact((decimal)age, dob.Agency, dob.At);
        }
        return new Fact(null, null, null);
    }

    static Dictionary<string, AttributeLineage> Attributes(string json) =>
        JsonSerializer.Deserialize(json, ProfileJson.Default.DictionaryStringAttributeLineage) ?? [];

    static AttributeLineage? Lineage(Dictionary<string, AttributeLineage> attributes, string name) => attributes.GetValueOrDefault(name);
}
