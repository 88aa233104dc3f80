using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PaduHub.GoldenRecords;

namespace PaduHub.Households;

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
        var (nothingQueued, scope) = await TakeQueueAsync(connection, tx, everything, cancellationToken);
        if (nothingQueued)
        {
            return new HouseholdRunReport(0, 0, 0, 0, 0, 0, watch.ElapsedMilliseconds);
        }

        var (people, income, addresses) = await HouseholdPeople.LoadAsync(connection, tx, scope, cancellationToken);
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
        var (idOf, assignment) = await StableIdsAsync(connection, tx, formed, scope, cancellationToken);

        var stored = (await connection.QueryAsync<(long Id, int Version, string Fingerprint, string Status)>(new CommandDefinition("""
            select id, version, fingerprint, status from golden_household
            where @scope::bigint[] is null or id in (select household_id from golden_household_member where golden_id = any(@scope))
            """, new { scope }, tx, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Id);
        var rows = new List<HouseholdRow>();
        for (var h = 0; h < formed.Count; h++)
        {
            var row = HouseholdRow.Describe(idOf[h], formed[h], income, addresses, thresholdYear);
            if (stored.TryGetValue(row.Id, out var was) && was.Status == "active" && was.Fingerprint == row.Fingerprint)
            {
                continue;
            }
            row.Version = stored.TryGetValue(row.Id, out was) ? was.Version + 1 : 1;
            row.Change = !stored.TryGetValue(row.Id, out was) ? "created" : was.Status != "active" ? "revived" : HouseholdRow.Changed(was.Fingerprint, row.Fingerprint);
            rows.Add(row);
        }
        var kept = idOf.Values.ToHashSet();
        var dissolved = stored.Values.Where(s => s.Status == "active" && !kept.Contains(s.Id) && !assignment.Retired.ContainsKey(s.Id)).Select(s => s.Id).ToArray();
        var retired = assignment.Retired.Where(r => stored.TryGetValue(r.Key, out var s) && s.Status == "active").ToDictionary();

        await HouseholdWrites.WriteAsync(connection, tx, rows, retired, dissolved, thresholdYear, cancellationToken);
        // Remember the quarters each person was formed with, so a later run finds who moved in next door.
        var living = people.Where(p => !p.Deceased).ToList();
        await connection.ExecuteAsync(new CommandDefinition("""
            update golden_household_member m set address_key = k.key from unnest(@ids, @keys) as k(id, key)
            where m.golden_id = k.id and m.address_key is distinct from k.key
            """, new { ids = living.Select(p => p.GoldenId).ToArray(), keys = living.Select(p => p.AddressKey).ToArray() }, tx,
            cancellationToken: cancellationToken));
        var raised = await HouseholdWrites.WriteConflictsAsync(connection, tx, conflicts, scope, cancellationToken);
        await tx.CommitAsync(cancellationToken);

        var report = new HouseholdRunReport(formed.Count, rows.Count(r => r.Version == 1), rows.Count(r => r.Version > 1), retired.Count,
            dissolved.Length, raised, watch.ElapsedMilliseconds);
        Log.HouseholdsRebuilt(_logger, report.Households, report.Created, report.Changed, report.Retired, report.Dissolved, report.Conflicts,
            report.Milliseconds);
        return report;
    }

    /// <summary>
    /// Takes the people matching queued: the run's scope (null for every household: asked to, or queued by a full
    /// re-match), or nothing queued at all.
    /// </summary>
    static async Task<(bool NothingQueued, long[]? Scope)> TakeQueueAsync(NpgsqlConnection connection, NpgsqlTransaction tx, bool everything,
        CancellationToken cancellationToken)
    {
        var queued = (await connection.QueryAsync<(long Id, long? GoldenId)>(new CommandDefinition(
            "select id, golden_id from household_queue order by id", transaction: tx, cancellationToken: cancellationToken))).AsList();
        long[]? scope = null;
        if (!everything && !queued.Any(q => q.GoldenId is null))
        {
            if (queued.Count == 0)
            {
                return (true, null);
            }
            scope = await HouseholdScope.WidenAsync(connection, tx, queued.Select(q => q.GoldenId!.Value).Distinct().ToArray(), cancellationToken);
        }
        if (queued.Count > 0)
        {
            // Exactly the rows read: a matching run committing meanwhile may have queued a lower id this run never saw.
            await connection.ExecuteAsync(new CommandDefinition("delete from household_queue where id = any(@ids)", new { ids = queued.Select(q => q.Id).ToArray() },
                tx, cancellationToken: cancellationToken));
        }
        return (false, scope);
    }

    /// <summary>
    /// Stable ids: every member votes with the household it was in before, and the older household id survives a merge.
    /// </summary>
    static async Task<(Dictionary<int, long> IdOf, GoldenIds.Assignment Assignment)> StableIdsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<FormedHousehold> formed, long[]? scope, CancellationToken cancellationToken)
    {
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
        return (idOf, assignment);
    }
}
