using Dapper;
using Npgsql;
using PaduHub.Ingestion;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Writes a clustering: golden ids settled against the previous ones in scope, survived attributes, members, the
/// identifier crosswalk, history for every golden record that changed, the pairs for review, steward corrections
/// carried to where their person went, and the households to form again.
/// </summary>
static class GoldenSettlement
{
    /// <remarks><c>scope</c>: the golden records this run may change: every active one in a full run, the neighbourhood's in an incremental one; <c>arrived</c>: an incremental run's queued source records, whose golden records change even where no record moves; <c>seconds</c>: a full run's phase timings, which the write adds to.</remarks>
    public static async Task<SettlementCounts> SettleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, AgencyContracts contracts,
        List<SourcePerson> people, LinkageResult result, HashSet<long> scope, bool full, CancellationToken cancellationToken,
        long[]? arrived = null, Dictionary<string, double>? seconds = null)
    {
        arrived ??= [];
        if (!full)
        {
            await connection.ExecuteAsync("set local plan_cache_mode = force_custom_plan", transaction: tx);
        }
        var previous = (await connection.QueryAsync<(long Source, long Golden)>(
                full ? "select source_record_id, golden_id from golden_member" : "select source_record_id, golden_id from golden_member where golden_id = any(@scope)",
                new { scope = scope.ToArray() }, tx, commandTimeout: 0))
            .ToDictionary(x => x.Source, x => x.Golden);
        var previousGolden = people.Select(p => previous.TryGetValue(p.Id, out var g) && scope.Contains(g) ? g : (long?)null).ToArray();

        // Golden ids come from one sequence; only matching draws on it and it holds the lock, so a block is reserved at once.
        var clusterCount = result.ClusterOf.Distinct().Count();
        var first = await connection.ExecuteScalarAsync<long>(
            "select setval('golden_person_id_seq', nextval('golden_person_id_seq') + @n - 1)", new { n = clusterCount }, tx) - clusterCount + 1;
        var assignment = GoldenIds.Assign(result.ClusterOf, previousGolden, () => first++);
        var restored = await RestoredIds.FindAsync(connection, tx, people, result.ClusterOf, assignment, previousGolden);
        foreach (var (cluster, id) in restored)
        {
            assignment.IdOfCluster[cluster] = id;
            assignment.NewClusters.Remove(cluster);
        }
        var mayChange = full ? null : MayChange(people, result, assignment, previousGolden, previous, arrived);
        // Only what may have changed is read back, survived and written: a one-record run's neighbourhood is some
        // fifty golden records, nearly all of which come out of it as they went in. A restored id is read back too.
        var readBack = (full ? scope.ToArray() : scope.Where(mayChange!.Contains).ToArray()).Concat(restored.Values).ToArray();

        var existing = (await connection.QueryAsync<(long Id, int Version, string Attributes)>(
                "select id, version, attributes::text from golden_person where id = any(@readBack)", new { readBack }, tx, commandTimeout: 0))
            .ToDictionary(x => x.Id);
        var oldMembers = previous.Where(p => scope.Contains(p.Value)).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(x => x.Key).Order().ToArray());

        var keptIds = assignment.IdOfCluster.Values.ToHashSet();
        var corrections = await CarryCorrectionsAsync(connection, tx, full ? null : readBack, keptIds, assignment.Retired);
        var changes = new GoldenChangeSet(people, result, assignment, mayChange, existing, oldMembers, corrections.Of, corrections.Ended, contracts,
            [.. restored.Values]);

        // Golden ids in scope that no cluster kept: merged away (retired, pointing on) or left with no records (withdrawn).
        var retired = assignment.Retired;
        var withdrawn = scope.Where(id => !keptIds.Contains(id) && !retired.ContainsKey(id)).ToArray();
        if (full)
        {
            await GoldenCopyWrite.WriteAsync(connection, tx, changes, retired, withdrawn, people, result, seconds ?? [], cancellationToken);
        }
        else
        {
            var rows = changes.Rows().ToList();
            await GoldenArrayWrite.WriteAsync(connection, tx, rows, changes, retired, withdrawn, mayChange!, arrived, people, result,
                QueuedForHouseholds(changes, retired, withdrawn, arrived));
        }
        await EndOrMoveCorrectionsAsync(connection, tx, changes.EndedCorrections, corrections.Moved);
        if (full)
        {
            await connection.ExecuteAsync("insert into household_queue (golden_id) values (null)", transaction: tx);
        }
        return new SettlementCounts(changes.Created, changes.Changed, retired.Count + withdrawn.Length);
    }

    /// <summary>
    /// Households are formed again around the golden records that changed and the people whose source records arrived
    /// (a new welfare reference or wage changes a household without changing its person), in this transaction.
    /// </summary>
    static long[] QueuedForHouseholds(GoldenChangeSet changes, Dictionary<long, long> retired, long[] withdrawn, long[] arrived)
    {
        var arrivedSet = arrived.ToHashSet();
        return changes.ChangedIds.Concat(retired.Keys).Concat(retired.Values).Concat(withdrawn)
            .Concat(changes.MemberRows.Where(m => arrivedSet.Contains(m.Source)).Select(m => m.Golden)).Distinct().ToArray();
    }

    sealed record CarriedCorrections(
        Dictionary<long, List<GoldenCorrection>> Of, List<(GoldenCorrection Correction, string Why)> Ended, List<(long Id, long To)> Moved);

    /// <summary>
    /// Steward corrections of the golden records in scope, each carried to where its person went: the same id, or the
    /// successor of a merged id. A withdrawn person's corrections end with it.
    /// </summary>
    static async Task<CarriedCorrections> CarryCorrectionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[]? among,
        HashSet<long> keptIds, Dictionary<long, long> retired)
    {
        var carried = new CarriedCorrections([], [], []);
        foreach (var c in await GoldenCorrections.InForceAsync(connection, tx, among))
        {
            var target = keptIds.Contains(c.GoldenId) ? c.GoldenId : retired.TryGetValue(c.GoldenId, out var successor) ? successor : (long?)null;
            if (target is not { } t)
            {
                carried.Ended.Add((c, "the person's records were all withdrawn"));
                continue;
            }
            if (t != c.GoldenId)
            {
                carried.Moved.Add((c.Id, t));
            }
            (carried.Of.TryGetValue(t, out var list) ? list : carried.Of[t] = []).Add(c with { GoldenId = t });
        }
        return carried;
    }

    static async Task EndOrMoveCorrectionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<(GoldenCorrection Correction, string Why)> ended, List<(long Id, long To)> moved)
    {
        if (moved.Count == 0 && ended.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync("""
            update golden_correction c set ended_at = now(), ended_why = e.why from unnest(@endedIds, @endedWhy) as e(id, why) where c.id = e.id;
            update golden_correction c set golden_id = m.golden_id from unnest(@movedIds, @movedTo) as m(id, golden_id)
            where c.id = m.id and c.ended_at is null;
            """, new
        {
            endedIds = ended.Select(e => e.Correction.Id).ToArray(),
            endedWhy = ended.Select(e => e.Why).ToArray(),
            movedIds = moved.Select(m => m.Id).ToArray(),
            movedTo = moved.Select(m => m.To).ToArray(),
        }, tx);
    }

    /// <summary>
    /// The golden records an incremental run can change: those a record joins or leaves (a merge, a split, a new
    /// person, a withdrawn record), and those holding a record that arrived, whose identifiers or values may be new.
    /// Every other golden record in the neighbourhood keeps the same source records, unchanged since the last run, so
    /// its members, crosswalk and survived attributes are those already stored.
    /// </summary>
    static HashSet<long> MayChange(List<SourcePerson> people, LinkageResult result, GoldenIds.Assignment assignment, long?[] previousGolden,
        Dictionary<long, long> previous, long[] arrived)
    {
        var mayChange = new HashSet<long>();
        for (var i = 0; i < people.Count; i++)
        {
            var goldenId = assignment.IdOfCluster[result.ClusterOf[i]];
            if (previousGolden[i] != goldenId)
            {
                mayChange.Add(goldenId);
                if (previousGolden[i] is { } before)
                {
                    mayChange.Add(before);
                }
            }
        }
        // A record that arrived may carry new values or identifiers, or have been withdrawn at its agency: the golden
        // record it was in changes even where no record joins or leaves it.
        foreach (var id in arrived)
        {
            if (previous.TryGetValue(id, out var before))
            {
                mayChange.Add(before);
            }
        }
        return mayChange;
    }
}
