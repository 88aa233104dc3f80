using System.Text.Json;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>What both golden writes share: retiring golden ids, and how a review pair is stored.</summary>
static class GoldenWriteSql
{
    /// <summary>Golden ids merged away point at their successor, withdrawn ones end; both with a line of history.</summary>
    public const string Retire = """
        update golden_person p set status = 'retired', successor_id = r.successor, version = p.version + 1, updated_at = now()
        from unnest(@retiredIds, @successors) as r(id, successor) where p.id = r.id;
        update golden_person p set status = 'withdrawn', version = p.version + 1, updated_at = now() where p.id = any(@withdrawn);
        insert into golden_person_history (golden_id, version, change, attributes, members)
        select p.id, p.version, case when p.status = 'retired' then 'merged into ' || p.successor_id else 'withdrawn' end, p.attributes, '{}'
        from golden_person p where p.id = any(@retiredIds) or p.id = any(@withdrawn);
        -- anything that still pointed at a golden id retired now points at its successor
        update golden_person p set successor_id = r.successor from unnest(@retiredIds, @successors) as r(id, successor)
        where p.successor_id = r.id;
        """;

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string ReasonText(ReviewReason reason) => reason switch
    {
        ReviewReason.Doubtful => "doubtful",
        ReviewReason.WouldChain => "would_chain",
        ReviewReason.DifferentVerifiedMyKad => "different_verified_mykad",
        _ => "cannot_link",
    };
}
