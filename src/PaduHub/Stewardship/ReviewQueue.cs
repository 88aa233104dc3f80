using System.Text.Json;
using Dapper;
using Npgsql;

namespace PaduHub.Stewardship;

/// <summary>
/// The steward review queue over matching's doubtful pairs: listed by impact (people in households first, larger
/// households first) then by how close the pair came to linking; claimed by one steward at a time; decided as
/// same person, different people, or deferred with a note. A decision is a <c>match_decision</c>, which every later
/// run honours; the pair's two records are queued so the next incremental run applies it.
/// </summary>
public static class ReviewQueue
{
    /// <summary>How long a claim keeps other stewards off an item.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Open items by impact then closeness; <c>state</c> is open (neither claimed nor deferred), claimed, deferred, or null for all.</summary>
    public static Task<List<ReviewItem>> ListAsync(NpgsqlConnection connection, string? reason, string? agency, string? state, int limit,
        CancellationToken cancellationToken = default)
    {
        if (state is not (null or "open" or "claimed" or "deferred"))
        {
            throw new ArgumentException($"state must be open, claimed or deferred, not '{state}'", nameof(state));
        }
        return QueryAsync(connection, """
            not exists (select 1 from match_decision d where d.source_a = p.source_a and d.source_b = p.source_b)
              and (@reason::text is null or p.reason = @reason)
              and (@agency::text is null or ra.agency_code = @agency or rb.agency_code = @agency)
              and (@state::text is null
                   or (@state = 'deferred' and s.deferred_by is not null)
                   or (@state = 'claimed' and s.claimed_at > now() - @claimLifetime)
                   or (@state = 'open' and s.deferred_by is null and (s.claimed_at is null or s.claimed_at <= now() - @claimLifetime)))
            """, new { reason, agency = agency?.ToUpperInvariant(), state, limit, claimLifetime = ClaimLifetime }, cancellationToken);
    }

    /// <summary>
    /// One item, settled or not. A decided pair matching no longer queues (now linked, or kept apart) is still found,
    /// with reason "decided" and no scores, so its decision can be read and undone. Null when neither.
    /// </summary>
    public static async Task<ReviewItem?> FindAsync(NpgsqlConnection connection, long a, long b, CancellationToken cancellationToken = default) =>
        (await QueryAsync(connection, "p.source_a = @a and p.source_b = @b", new { a, b, limit = 1 }, cancellationToken)).SingleOrDefault()
        ?? (await QueryAsync(connection, "true", new { a, b, limit = 1 }, cancellationToken, """
            (select d.source_a, d.source_b, 0::float8 as weight, 0::float8 as probability, 'decided'::text as reason, '[]'::jsonb as fields,
                    d.decided_at as queued_at
             from match_decision d where d.source_a = @a and d.source_b = @b) p
            """)).SingleOrDefault();

    static async Task<List<ReviewItem>> QueryAsync(NpgsqlConnection connection, string where, object parameters, CancellationToken cancellationToken,
        string pairs = "match_pair p")
    {
        var rows = await connection.QueryAsync(new CommandDefinition($$"""
            select p.source_a, p.source_b, p.weight, p.probability, p.reason, p.fields::text as fields, p.queued_at,
                   coalesce((select max(h.size) from golden_member gm join golden_household_member hm on hm.golden_id = gm.golden_id
                             join golden_household h on h.id = hm.household_id
                             where gm.source_record_id in (p.source_a, p.source_b)), 0) as impact,
                   s.claimed_by, s.claimed_at, s.deferred_by, s.note,
                   ra.agency_code as a_agency, ra.source_key as a_key, ma.golden_id as a_golden, va.full_name as a_name, va.date_of_birth as a_dob,
                   va.id_number as a_id, va.postcode as a_postcode,
                   rb.agency_code as b_agency, rb.source_key as b_key, mb.golden_id as b_golden, vb.full_name as b_name, vb.date_of_birth as b_dob,
                   vb.id_number as b_id, vb.postcode as b_postcode,
                   ({{RegisteredApartSql}}) as registered_apart
            from {{pairs}}
            join source_record ra on ra.id = p.source_a join source_record_version va on va.id = ra.current_version_id
            join source_record rb on rb.id = p.source_b join source_record_version vb on vb.id = rb.current_version_id
            left join golden_member ma on ma.source_record_id = p.source_a
            left join golden_member mb on mb.source_record_id = p.source_b
            left join review_state s on s.source_a = p.source_a and s.source_b = p.source_b
            where p.reason <> 'cannot_link' and {{where}}
            order by impact desc, p.probability desc, p.source_a, p.source_b
            limit @limit
            """, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new ReviewItem((long)r.source_a, (long)r.source_b, (double)r.weight, (double)r.probability, (string)r.reason,
            JsonDocument.Parse((string)r.fields).RootElement.Clone(), (DateTime)r.queued_at, (int)r.impact,
            r.claimed_at is DateTime at && DateTime.UtcNow - at.ToUniversalTime() < ClaimLifetime ? (string?)r.claimed_by : null,
            (string?)r.deferred_by, (string?)r.note,
            new ReviewRecord((long)r.source_a, (string)r.a_agency, (string)r.a_key, (long?)r.a_golden, (string?)r.a_name, Date(r.a_dob), (string?)r.a_id, (string?)r.a_postcode),
            new ReviewRecord((long)r.source_b, (string)r.b_agency, (string)r.b_key, (long?)r.b_golden, (string?)r.b_name, Date(r.b_dob), (string?)r.b_id, (string?)r.b_postcode),
            (bool)r.registered_apart))
            .ToList();
    }

    /// <summary>
    /// Whether each side's person (its golden record's members, or the record alone) holds a MyKad the registration
    /// department holds, and no such MyKad is on both sides: two registered people, whom only a supervisor may merge.
    /// </summary>
    const string RegisteredApartSql = """
        with held as (
            select side, s.source_key from (values (1, p.source_a, ma.golden_id), (2, p.source_b, mb.golden_id)) as v(side, record, golden)
            join lateral (select v.record as source_record_id union select g.source_record_id from golden_member g where g.golden_id = v.golden) m on true
            join source_record s on s.id = m.source_record_id and s.agency_code = 'JPN' and s.status = 'active')
        select exists (select 1 from held where side = 1) and exists (select 1 from held where side = 2)
           and not exists (select 1 from held x join held y on x.source_key = y.source_key and x.side = 1 and y.side = 2)
        """;

    static DateOnly? Date(object? value) => value switch { DateOnly d => d, DateTime t => DateOnly.FromDateTime(t), _ => null };

    /// <summary>Takes an item for a steward; refused while another steward's claim is fresh.</summary>
    public static async Task ClaimAsync(NpgsqlConnection connection, long a, long b, string steward, CancellationToken cancellationToken = default)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await LockOpenItemAsync(connection, tx, a, b, steward, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into review_state (source_a, source_b, claimed_by, claimed_at) values (@a, @b, @steward, now())
            on conflict (source_a, source_b) do update set claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
            """, new { a, b, steward }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Records a steward's decision: "same" or "different" settle the pair for good (and queue its records for
    /// matching); "defer" keeps it in the queue with the note. A second decision on a settled pair is a conflict that
    /// says who settled it and how; nothing is overwritten. "Same" for two people the registration department holds
    /// under two different MyKads (twins, as a rule) is refused unless a supervisor decides it: matching never joins
    /// them, and a steward's click should not either.
    /// </summary>
    public static async Task DecideAsync(NpgsqlConnection connection, long a, long b, string decision, string steward, string reason,
        CancellationToken cancellationToken = default, bool supervisor = false)
    {
        if (decision is not ("same" or "different" or "defer"))
        {
            throw new ArgumentException($"decision must be same, different or defer, not '{decision}'", nameof(decision));
        }
        RequireReason(reason);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await LockOpenItemAsync(connection, tx, a, b, steward, cancellationToken);
        if (decision == "same" && !supervisor && await RegisteredMyKadsApartAsync(connection, tx, a, b, cancellationToken) is { } twoPeople)
        {
            throw new ReviewConflictException(twoPeople);
        }
        if (decision == "defer")
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into review_state (source_a, source_b, deferred_by, deferred_at, note) values (@a, @b, @steward, now(), @reason)
                on conflict (source_a, source_b) do update set deferred_by = excluded.deferred_by, deferred_at = excluded.deferred_at,
                    note = excluded.note, claimed_by = null, claimed_at = null;
                insert into steward_action (steward, action, source_a, source_b, reason) values (@steward, 'defer', @a, @b, @reason);
                """, new { a, b, steward, reason }, tx, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into match_decision (source_a, source_b, decision, decided_by, reason) values (@a, @b, @decision, @steward, @reason);
                delete from review_state where source_a = @a and source_b = @b;
                insert into match_queue (source_record_id, extract_id) values (@a, 0), (@b, 0);
                insert into steward_action (steward, action, source_a, source_b, reason) values (@steward, @decision, @a, @b, @reason);
                """, new { a, b, decision, steward, reason }, tx, cancellationToken: cancellationToken));
        }
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Why the two records' people are two registered people (each side's person holds a MyKad the registration
    /// department holds, and none is on both sides), or null: the same test the queue flags items with.
    /// </summary>
    static async Task<string?> RegisteredMyKadsApartAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long a, long b,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition($$"""
            select ({{RegisteredApartSql}}) from (select @a::bigint as source_a, @b::bigint as source_b) p
            left join golden_member ma on ma.source_record_id = p.source_a
            left join golden_member mb on mb.source_record_id = p.source_b
            """, new { a, b }, tx, cancellationToken: cancellationToken))
            ? "the registration department holds these as two people, under two different MyKads (twins and siblings, as a rule); "
              + "only a supervisor can decide they are one person, with a reason"
            : null;

    /// <summary>
    /// Takes back a decision on a pair: it stops binding matching, the pair's records are queued, and the undo is
    /// logged with its reason beside the decision it undid. Only the steward who decided, or a supervisor, may undo it:
    /// a decision is someone's judgement, and taking it back is theirs or their supervisor's.
    /// </summary>
    public static async Task UndoAsync(NpgsqlConnection connection, long a, long b, string steward, bool supervisor, string reason,
        CancellationToken cancellationToken = default)
    {
        RequireReason(reason);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await LockPairAsync(connection, tx, a, b, cancellationToken);
        var decidedBy = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select decided_by from match_decision where source_a = @a and source_b = @b", new { a, b }, tx, cancellationToken: cancellationToken));
        if (decidedBy is not null && decidedBy != steward && !supervisor)
        {
            throw new ReviewConflictException($"{decidedBy} made this decision; only they or a supervisor can undo it");
        }
        var undone = await connection.QuerySingleOrDefaultAsync<(string Decision, string By)?>(new CommandDefinition(
            "delete from match_decision where source_a = @a and source_b = @b returning decision, decided_by", new { a, b }, tx, cancellationToken: cancellationToken))
            ?? throw new ReviewNotFoundException($"no decision on source records {a} and {b} to undo");
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into match_queue (source_record_id, extract_id) values (@a, 0), (@b, 0);
            insert into steward_action (steward, action, source_a, source_b, reason, detail)
            values (@steward, 'undo', @a, @b, @reason, jsonb_build_object('undid', @decision::text, 'decided_by', @by::text));
            """, new { a, b, steward, reason, decision = undone.Decision, by = undone.By }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Splits a golden record: the source records named leave it. Recorded as decisions (each leaving record is a
    /// different person from each staying one), so every later run keeps the split; where the leaving records go is
    /// then matching's call (together, as a rule, or to another person they match better). Refused if a decision in
    /// force says a leaving and a staying record are the same person: that decision must be undone first.
    /// </summary>
    public static async Task SplitAsync(NpgsqlConnection connection, long goldenId, IReadOnlyCollection<long> leaving, string steward, string reason,
        CancellationToken cancellationToken = default)
    {
        RequireReason(reason);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.review.split'), hashtext(@goldenId::text))",
            new { goldenId }, tx, cancellationToken: cancellationToken));
        var members = (await connection.QueryAsync<long>(new CommandDefinition(
            "select source_record_id from golden_member where golden_id = @goldenId", new { goldenId }, tx, cancellationToken: cancellationToken))).ToHashSet();
        if (members.Count == 0)
        {
            throw new ReviewNotFoundException($"golden person {goldenId} has no source records (unknown, retired or withdrawn)");
        }
        var strangers = leaving.Where(l => !members.Contains(l)).ToList();
        if (strangers.Count > 0)
        {
            throw new ArgumentException($"source records {string.Join(", ", strangers)} are not in golden person {goldenId}", nameof(leaving));
        }
        var staying = members.Except(leaving).ToList();
        if (leaving.Count == 0 || staying.Count == 0)
        {
            throw new ArgumentException("name at least one source record to leave and leave at least one behind", nameof(leaving));
        }
        var apart = leaving.SelectMany(l => staying.Select(s => (A: Math.Min(l, s), B: Math.Max(l, s)))).ToList();
        var blocking = await connection.QueryAsync<(long A, long B, string By)>(new CommandDefinition("""
            select d.source_a, d.source_b, d.decided_by from match_decision d join unnest(@a, @b) as p(a, b) on d.source_a = p.a and d.source_b = p.b
            where d.decision = 'same'
            """, new { a = apart.Select(p => p.A).ToArray(), b = apart.Select(p => p.B).ToArray() }, tx, cancellationToken: cancellationToken));
        if (blocking.FirstOrDefault() is { By: not null } first)
        {
            throw new ReviewConflictException($"{first.By} decided that records {first.A} and {first.B} are the same person; undo that decision first");
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into match_decision (source_a, source_b, decision, decided_by, reason)
            select a, b, 'different', @steward, @reason from unnest(@a, @b) as p(a, b)
            on conflict (source_a, source_b) do nothing;
            insert into match_queue (source_record_id, extract_id) select unnest(@all), 0;
            insert into steward_action (steward, action, golden_id, reason, detail)
            values (@steward, 'split', @goldenId, @reason, jsonb_build_object('leaving', @leaving, 'staying', @staying));
            """, new
        {
            steward,
            reason,
            goldenId,
            a = apart.Select(p => p.A).ToArray(),
            b = apart.Select(p => p.B).ToArray(),
            all = members.ToArray(),
            leaving = leaving.ToArray(),
            staying = staying.ToArray(),
        }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    internal static void RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 2000)
        {
            throw new ArgumentException("say why (1 to 2,000 characters): the reason is kept with the decision", nameof(reason));
        }
    }

    static Task LockPairAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long a, long b, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('padu.review'), hashtext(@a || ':' || @b))",
            new { a = a.ToString(System.Globalization.CultureInfo.InvariantCulture), b = b.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tx,
            cancellationToken: cancellationToken));

    /// <summary>Locks the item and checks a steward may act on it: it exists, is not settled, and is not someone else's.</summary>
    static async Task LockOpenItemAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long a, long b, string steward, CancellationToken cancellationToken)
    {
        // Lock the pair itself, so two stewards acting at once are served one after the other.
        await LockPairAsync(connection, tx, a, b, cancellationToken);
        var decided = await connection.QuerySingleOrDefaultAsync<(string Decision, string By, DateTime At)?>(new CommandDefinition(
            "select decision, decided_by, decided_at from match_decision where source_a = @a and source_b = @b", new { a, b }, tx,
            cancellationToken: cancellationToken));
        if (decided is { } d)
        {
            throw new ReviewConflictException($"already decided: {d.By} said '{d.Decision}' at {d.At:yyyy-MM-dd HH:mm} UTC; nothing was changed");
        }
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from match_pair where source_a = @a and source_b = @b and reason <> 'cannot_link')", new { a, b }, tx,
                cancellationToken: cancellationToken)))
        {
            throw new ReviewNotFoundException($"no review item for source records {a} and {b}");
        }
        var claim = await connection.QuerySingleOrDefaultAsync<(string? By, DateTime? At)?>(new CommandDefinition(
            "select claimed_by, claimed_at from review_state where source_a = @a and source_b = @b", new { a, b }, tx, cancellationToken: cancellationToken));
        if (claim is { By: { } by, At: { } at } && by != steward && DateTime.UtcNow - at.ToUniversalTime() < ClaimLifetime)
        {
            throw new ReviewConflictException($"claimed by {by} at {at:HH:mm} UTC; it is theirs for {ClaimLifetime.TotalMinutes:0} minutes from then");
        }
    }
}
