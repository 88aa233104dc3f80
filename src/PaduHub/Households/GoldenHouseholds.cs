using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using PaduHub.GoldenRecords;
using PaduHub.Matching;

namespace PaduHub.Households;

public sealed record HouseholdRunReport(int Households, int Created, int Changed, int Retired, int Dissolved, int Conflicts, long Milliseconds);

/// <summary>
/// Forms golden households from the golden persons and writes them with stable ids. After a matching run only the
/// households around the people it touched are formed again: matching queues those people (<c>household_queue</c>),
/// and the run widens them to everyone the evidence could join them to (their households, welfare references, family
/// links either way, the same quarters) until nothing more joins, so the households it forms are the ones a run over
/// the whole country would form there. After a full re-match, or asked to, it forms every household. Either way only
/// households whose members, address or income moved get a new version and a history row.
/// </summary>
public sealed class GoldenHouseholds(string connectionString, int thresholdYear = IncomeGroups.DefaultYear, ILogger? logger = null)
{
    readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Households around the people matching queued since the last run (every household after a full re-match).</summary>
    public Task<HouseholdRunReport> RebuildAsync(CancellationToken cancellationToken = default) => RunAsync(everything: false, cancellationToken);

    /// <summary>Every household, whatever was queued.</summary>
    public Task<HouseholdRunReport> RebuildAllAsync(CancellationToken cancellationToken = default) => RunAsync(everything: true, cancellationToken);

    async Task<HouseholdRunReport> RunAsync(bool everything, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        _ = IncomeGroups.Of(0, thresholdYear);   // an unknown threshold year fails before any work
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.households'))", transaction: tx,
            cancellationToken: cancellationToken));

        var queued = (await connection.QueryAsync<(long Id, long? GoldenId)>(new CommandDefinition(
            "select id, golden_id from household_queue order by id", transaction: tx, cancellationToken: cancellationToken))).AsList();
        long[]? scope = null;
        if (!everything && !queued.Any(q => q.GoldenId is null))
        {
            if (queued.Count == 0)
            {
                return new HouseholdRunReport(0, 0, 0, 0, 0, 0, watch.ElapsedMilliseconds);
            }
            scope = await ScopeAsync(connection, tx, queued.Select(q => q.GoldenId!.Value).Distinct().ToArray(), cancellationToken);
        }
        if (queued.Count > 0)
        {
            // Exactly the rows read: a matching run committing meanwhile may have queued a lower id this run never saw.
            await connection.ExecuteAsync(new CommandDefinition("delete from household_queue where id = any(@ids)", new { ids = queued.Select(q => q.Id).ToArray() },
                tx, cancellationToken: cancellationToken));
        }

        var (people, income, addresses) = await LoadPeopleAsync(connection, tx, scope, cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (formed, conflicts) = HouseholdFormation.Form(people, today);
        foreach (var (id, evidence) in income)
        {
            if (evidence.Disagrees)
            {
                conflicts.Add(new("income_disagrees", $"income:{id}", [id],
                    $"tax assessment RM{evidence.TaxAssessed!.Value.Annual:0.00} a year ({evidence.TaxAssessed.Value.Year}) against pension-fund wage RM{evidence.PensionWage!.Value.Monthly:0.00} a month ({evidence.PensionWage.Value.Month})"));
            }
        }

        // Stable ids: every member votes with the household it was in before.
        var previous = (await connection.QueryAsync<(long GoldenId, long HouseholdId)>(new CommandDefinition(
            "select golden_id, household_id from golden_household_member where @scope::bigint[] is null or golden_id = any(@scope)", new { scope }, tx,
            cancellationToken: cancellationToken)))
            .ToDictionary(r => r.GoldenId, r => r.HouseholdId);
        var clusterOf = new List<int>();
        var previousOf = new List<long?>();
        for (var h = 0; h < formed.Count; h++)
        {
            foreach (var (goldenId, _) in formed[h].Members)
            {
                clusterOf.Add(h);
                previousOf.Add(previous.TryGetValue(goldenId, out var old) ? old : null);
            }
        }
        // A person merged into another brings their old household's vote along: when two people turn out to be one,
        // their two households become one and the older household id survives, as for golden persons.
        var clusterOfPerson = new Dictionary<long, int>();
        for (var h = 0; h < formed.Count; h++)
        {
            foreach (var (goldenId, _) in formed[h].Members)
            {
                clusterOfPerson[goldenId] = h;
            }
        }
        var successorOf = (await connection.QueryAsync<(long Id, long Successor)>(new CommandDefinition(
            """
            select id, successor_id from golden_person
            where status = 'retired' and id in (select golden_id from golden_household_member where @scope::bigint[] is null or golden_id = any(@scope))
            """, new { scope }, tx, cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.Successor);
        foreach (var (retiredPerson, household) in previous.Where(p => successorOf.ContainsKey(p.Key)))
        {
            var now = retiredPerson;
            for (var hops = 0; hops < 50 && successorOf.TryGetValue(now, out var next); hops++)
            {
                now = next;
            }
            if (clusterOfPerson.TryGetValue(now, out var cluster))
            {
                clusterOf.Add(cluster);
                previousOf.Add(household);
            }
        }
        long provisional = 0;
        var assignment = GoldenIds.Assign(clusterOf, previousOf, () => --provisional);
        var fresh = new Queue<long>(await connection.QueryAsync<long>(new CommandDefinition(
            "select nextval('golden_household_id_seq') from generate_series(1, @n)", new { n = assignment.NewClusters.Count }, tx,
            cancellationToken: cancellationToken)));
        var idOf = assignment.IdOfCluster.ToDictionary(kv => kv.Key, kv => kv.Value < 0 ? fresh.Dequeue() : kv.Value);

        var stored = (await connection.QueryAsync<(long Id, int Version, string Fingerprint, string Status)>(new CommandDefinition("""
            select id, version, fingerprint, status from golden_household
            where @scope::bigint[] is null or id in (select household_id from golden_household_member where golden_id = any(@scope))
            """, new { scope }, tx, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Id);

        var rows = new List<HouseholdRow>();
        for (var h = 0; h < formed.Count; h++)
        {
            var row = Describe(idOf[h], formed[h], income, addresses);
            if (stored.TryGetValue(row.Id, out var was) && was.Status == "active" && was.Fingerprint == row.Fingerprint)
            {
                continue;
            }
            row.Version = stored.TryGetValue(row.Id, out was) ? was.Version + 1 : 1;
            row.Change = !stored.TryGetValue(row.Id, out was) ? "created" : was.Status != "active" ? "revived" : Changed(was.Fingerprint, row.Fingerprint);
            rows.Add(row);
        }
        var kept = idOf.Values.ToHashSet();
        var dissolved = stored.Values.Where(s => s.Status == "active" && !kept.Contains(s.Id) && !assignment.Retired.ContainsKey(s.Id)).Select(s => s.Id).ToArray();
        var retired = assignment.Retired.Where(r => stored.TryGetValue(r.Key, out var s) && s.Status == "active").ToDictionary();

        await WriteAsync(connection, tx, rows, retired, dissolved, thresholdYear, cancellationToken);
        // Remember the quarters each person was formed with, so a later run finds who moved in next door.
        var living = people.Where(p => !p.Deceased).ToList();
        await connection.ExecuteAsync(new CommandDefinition("""
            update golden_household_member m set address_key = k.key from unnest(@ids, @keys) as k(id, key)
            where m.golden_id = k.id and m.address_key is distinct from k.key
            """, new { ids = living.Select(p => p.GoldenId).ToArray(), keys = living.Select(p => p.AddressKey).ToArray() }, tx,
            cancellationToken: cancellationToken));
        var raised = await WriteConflictsAsync(connection, tx, conflicts, scope, cancellationToken);
        await tx.CommitAsync(cancellationToken);

        var report = new HouseholdRunReport(formed.Count, rows.Count(r => r.Version == 1), rows.Count(r => r.Version > 1), retired.Count,
            dissolved.Length, raised, watch.ElapsedMilliseconds);
        Log.HouseholdsRebuilt(_logger, report.Households, report.Created, report.Changed, report.Retired, report.Dissolved, report.Conflicts,
            report.Milliseconds);
        return report;
    }

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
    }

    HouseholdRow Describe(long id, FormedHousehold household, Dictionary<long, IncomeEvidence> income, Dictionary<long, JsonElement> addresses)
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

    static string Changed(string before, string after)
    {
        var parts = before.Split(' ').Zip(after.Split(' ')).Where(p => p.First != p.Second).Select(p => p.Second[0] switch
        {
            'm' => "members",
            'a' => "address",
            _ => "income",
        });
        return string.Join(", ", parts);
    }

    /// <summary>Living golden persons with their family links, welfare memberships, incomes and golden addresses.</summary>
    static async Task<(List<HouseholdPerson> People, Dictionary<long, IncomeEvidence> Income, Dictionary<long, JsonElement> Addresses)> LoadPeopleAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, long[]? scope, CancellationToken cancellationToken)
    {
        var people = new Dictionary<long, HouseholdPerson>();
        var addresses = new Dictionary<long, JsonElement>();
        await using (var command = new NpgsqlCommand("""
            select id, mykad, date_of_birth, attributes ? 'death_date', coalesce((attributes->'mykad'->>'verified')::bool, false),
                   jsonb_build_object('address', attributes->'address', 'postcode', attributes->'postcode', 'town', attributes->'town',
                                      'district', attributes->'district', 'state', attributes->'state')::text
            from golden_person where status = 'active' and (@scope::bigint[] is null or id = any(@scope))
            """, connection, tx) { Parameters = { new NpgsqlParameter<long[]?>("scope", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = scope } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                using var document = JsonDocument.Parse(reader.GetString(5));
                var address = document.RootElement.Clone();
                string? Value(string name) => address.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Object ? p.GetProperty("value").GetString() : null;
                people[id] = new HouseholdPerson
                {
                    GoldenId = id,
                    MyKad = reader.IsDBNull(1) ? null : reader.GetString(1),
                    DateOfBirth = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2),
                    Deceased = reader.GetBoolean(3),
                    MyKadVerified = reader.GetBoolean(4),
                    AddressKey = AddressKey(Value("address"), Value("postcode")),
                };
                if (Value("address") is not null)
                {
                    addresses[id] = address;
                }
            }
        }

        var income = new Dictionary<long, IncomeEvidence>();
        await using (var command = new NpgsqlCommand("""
            select m.golden_id, r.id, r.agency_code, r.changed_at, v.household_ref, v.relationship,
                   v.spouse_id_number, v.father_id_number, v.mother_id_number,
                   v.monthly_income, v.extra->>'last_contribution_month',
                   coalesce(v.annual_income, 0) + coalesce(v.other_income, 0), v.annual_income is not null or v.other_income is not null,
                   v.extra->>'assessment_year', v.extra->>'declared_monthly_income'
            from golden_member m
            join source_record r on r.id = m.source_record_id
            join source_record_version v on v.id = r.current_version_id
            where r.status = 'active' and (@scope::bigint[] is null or m.golden_id = any(@scope))
              and (v.household_ref is not null or v.spouse_id_number is not null or v.father_id_number is not null or v.mother_id_number is not null
                   or v.monthly_income is not null or v.annual_income is not null or v.other_income is not null or v.extra ? 'declared_monthly_income')
            order by r.agency_code = 'JPN', r.changed_at, r.id
            """, connection, tx) { Parameters = { new NpgsqlParameter<long[]?>("scope", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = scope } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!people.TryGetValue(reader.GetInt64(0), out var person))
                {
                    continue;
                }
                var sourceId = reader.GetInt64(1);
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                if (Text(4) is { } reference)
                {
                    person.Welfare.Add((reference, Text(5)));
                }
                // Later rows win; the registration department's rows come last.
                person.SpouseMyKad = Text(6) ?? person.SpouseMyKad;
                person.FatherMyKad = Text(7) ?? person.FatherMyKad;
                person.MotherMyKad = Text(8) ?? person.MotherMyKad;
                var evidence = income.TryGetValue(person.GoldenId, out var e) ? e : income[person.GoldenId] = new IncomeEvidence();
                if (!reader.IsDBNull(9))
                {
                    evidence.PensionWage = (reader.GetDecimal(9), Text(10) ?? "", sourceId);
                }
                if (reader.GetBoolean(12))
                {
                    evidence.TaxAssessed = (reader.GetDecimal(11), Text(13) ?? "", sourceId);
                }
                if (Text(14) is { } declared && decimal.TryParse(declared, System.Globalization.CultureInfo.InvariantCulture, out var monthly))
                {
                    evidence.Declared = (monthly, reader.GetDateTime(3), sourceId);
                }
            }
        }
        foreach (var (id, evidence) in income)
        {
            people[id].MonthlyIncome = evidence.Choose(id).Monthly;
        }
        return (people.Values.OrderBy(p => p.GoldenId).ToList(), income, addresses);
    }

    /// <summary>Only a numbered unit is one set of living quarters; a bare village or street name holds many.</summary>
    static string? AddressKey(string? address, string? postcode)
    {
        var normalised = AddressNormaliser.Normalise(address, postcode);
        return normalised.Unit is { Length: > 0 } unit && normalised.Postcode is { } p ? $"{unit}|{normalised.Street}|{p}" : null;
    }

    /// <summary>
    /// The people whose households must be formed again with <paramref name="seeds"/>: everyone the evidence could join
    /// to them, widened round by round until nothing more joins. Null (form everything) if it has not settled after
    /// a dozen rounds, which only a chain of links through a whole town would cause.
    /// </summary>
    static async Task<long[]?> ScopeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] seeds, CancellationToken cancellationToken)
    {
        var scope = seeds.ToHashSet();
        var frontier = seeds;
        for (var round = 0; frontier.Length > 0; round++)
        {
            if (round == 12)
            {
                return null;
            }
            var keys = (await connection.QueryAsync<(string? Address, string? Postcode)>(new CommandDefinition("""
                select attributes->'address'->>'value', attributes->'postcode'->>'value' from golden_person where id = any(@frontier) and status = 'active'
                """, new { frontier }, tx, cancellationToken: cancellationToken)))
                .Select(a => AddressKey(a.Address, a.Postcode)).OfType<string>().Distinct().ToArray();
            var joined = await connection.QueryAsync<long>(new CommandDefinition("""
                -- everyone in their households now
                select m2.golden_id from golden_household_member m1 join golden_household_member m2 on m2.household_id = m1.household_id
                where m1.golden_id = any(@frontier)
                union
                -- everyone on the same welfare household reference
                select m2.golden_id from golden_member m1
                join source_record r1 on r1.id = m1.source_record_id join source_record_version v1 on v1.id = r1.current_version_id
                join source_record_version v2 on v2.household_ref = v1.household_ref
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active'
                join golden_member m2 on m2.source_record_id = r2.id
                where m1.golden_id = any(@frontier) and r1.status = 'active' and v1.household_ref is not null
                union
                -- everyone whose registration record names one of them as spouse or parent
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.spouse_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.father_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                select m2.golden_id from golden_person g
                join source_record_version v2 on v2.mother_id_number = g.mykad
                join source_record r2 on r2.id = v2.source_record_id and r2.current_version_id = v2.id and r2.status = 'active' join golden_member m2 on m2.source_record_id = r2.id
                where g.id = any(@frontier) and g.mykad is not null
                union
                -- everyone their own records name
                select g2.id from golden_member m1
                join source_record r1 on r1.id = m1.source_record_id join source_record_version v1 on v1.id = r1.current_version_id
                join golden_person g2 on g2.mykad in (v1.spouse_id_number, v1.father_id_number, v1.mother_id_number) and g2.status = 'active'
                where m1.golden_id = any(@frontier) and r1.status = 'active'
                union
                -- everyone formed at the same quarters
                select golden_id from golden_household_member where address_key = any(@keys)
                """, new { frontier, keys }, tx, cancellationToken: cancellationToken));
            frontier = joined.Where(scope.Add).ToArray();
        }
        return scope.Order().ToArray();
    }

    static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<HouseholdRow> rows, Dictionary<long, long> retired, long[] dissolved,
        int year, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            create temp table household_next (
                id bigint, version int, change text, head_id bigint, size int, address jsonb, monthly_income numeric(14,2), per_capita_income numeric(14,2),
                income_group text, income_sources jsonb, evidence jsonb, fingerprint text, snapshot jsonb) on commit drop;
            create temp table household_member_next (golden_id bigint, household_id bigint, role text) on commit drop;
            """, transaction: tx, cancellationToken: cancellationToken));
        await using (var importer = await connection.BeginBinaryImportAsync("copy household_next from stdin (format binary)", cancellationToken))
        {
            foreach (var r in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(r.Version, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(r.Change, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.HeadId, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(r.Members.Count, NpgsqlDbType.Integer, cancellationToken);
                if (r.AddressJson is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(r.AddressJson, NpgsqlDbType.Jsonb, cancellationToken);
                }
                await importer.WriteAsync(r.MonthlyIncome, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(r.PerCapita, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(r.IncomeGroup, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.SourcesJson, NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(r.EvidenceJson, NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(r.Fingerprint, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.SnapshotJson, NpgsqlDbType.Jsonb, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await using (var importer = await connection.BeginBinaryImportAsync("copy household_member_next from stdin (format binary)", cancellationToken))
        {
            foreach (var r in rows)
            {
                foreach (var (goldenId, role) in r.Members)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(goldenId, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(role, NpgsqlDbType.Text, cancellationToken);
                }
            }
            await importer.CompleteAsync(cancellationToken);
        }
        var retiredIds = retired.Keys.ToArray();
        var successors = retiredIds.Select(id => retired[id]).ToArray();
        await connection.ExecuteAsync(new CommandDefinition("""
            -- Members leave every household that changed, merged away or dissolved, then join where they are now.
            delete from golden_household_member m
            where m.household_id in (select id from household_next) or m.household_id = any(@retiredIds) or m.household_id = any(@dissolved)
               or m.golden_id in (select golden_id from household_member_next);
            insert into golden_household_member (golden_id, household_id, role) select golden_id, household_id, role from household_member_next;

            insert into golden_household (id, status, version, head_id, size, address, monthly_income, per_capita_income, income_group, income_year,
                                          income_sources, evidence, fingerprint)
            select id, 'active', version, head_id, size, address, monthly_income, per_capita_income, income_group, @year, income_sources, evidence, fingerprint
            from household_next
            on conflict (id) do update set status = 'active', successor_id = null, version = excluded.version, head_id = excluded.head_id,
                size = excluded.size, address = excluded.address, monthly_income = excluded.monthly_income,
                per_capita_income = excluded.per_capita_income, income_group = excluded.income_group, income_year = excluded.income_year,
                income_sources = excluded.income_sources, evidence = excluded.evidence, fingerprint = excluded.fingerprint, updated_at = now();
            insert into golden_household_history (household_id, version, change, snapshot) select id, version, change, snapshot from household_next;

            with gone as (
                update golden_household h set status = 'retired', successor_id = s.successor, version = h.version + 1, size = 0, fingerprint = '', updated_at = now()
                from unnest(@retiredIds, @successors) as s(id, successor) where h.id = s.id
                returning h.id, h.version, s.successor
            )
            insert into golden_household_history (household_id, version, change, snapshot)
            select id, version, 'merged into ' || successor, jsonb_build_object('successor_id', successor) from gone;

            with gone as (
                update golden_household h set status = 'dissolved', version = h.version + 1, size = 0, fingerprint = '', updated_at = now()
                where h.id = any(@dissolved) returning h.id, h.version
            )
            insert into golden_household_history (household_id, version, change, snapshot)
            select id, version, 'dissolved', '{}'::jsonb from gone;
            """, new { retiredIds, successors, dissolved, year }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>Raises conflicts not yet known; ones formation no longer finds are closed as settled by the data (in a
    /// scoped run, only those about people in its scope).</summary>
    static async Task<int> WriteConflictsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<HouseholdConflictFound> conflicts, long[]? scope,
        CancellationToken cancellationToken)
    {
        var distinct = conflicts.DistinctBy(c => (c.Kind, c.SubjectKey)).ToList();
        var kinds = distinct.Select(c => c.Kind).ToArray();
        var keys = distinct.Select(c => c.SubjectKey).ToArray();
        var ids = distinct.Select(c => string.Join(',', c.GoldenIds)).ToArray();
        var details = distinct.Select(c => JsonSerializer.Serialize(new { reason = c.Detail })).ToArray();
        var raised = await connection.ExecuteAsync(new CommandDefinition("""
            insert into household_conflict (kind, subject_key, golden_ids, detail)
            select k, s, string_to_array(g, ',')::bigint[], d::jsonb from unnest(@kinds, @keys, @ids, @details) as c(k, s, g, d)
            on conflict (kind, subject_key) do nothing
            """, new { kinds, keys, ids, details }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            update household_conflict c set resolved_at = now(), resolved_by = 'household formation: no longer found'
            where c.resolved_at is null and not exists (select 1 from unnest(@kinds, @keys) as f(k, s) where f.k = c.kind and f.s = c.subject_key)
              and (@scope::bigint[] is null or c.golden_ids && @scope)
            """, new { kinds, keys, scope }, tx, cancellationToken: cancellationToken));
        return raised;
    }
}
