using System.Text.Json;
using PaduHub.Ingestion;
using PaduHub.Matching;

namespace PaduHub.GoldenRecords;

/// <summary>
/// What a clustering changes in the golden records: the rows to write (survived as they are asked for, so a full run's
/// COPY streams them while PostgreSQL parses the last), and, once every row is out, the members, crosswalk and
/// counts they make. Those are read only after <see cref="Rows"/> has run to its end; reading them sooner throws.
/// </summary>
sealed class GoldenChangeSet(
    List<SourcePerson> people, LinkageResult result, GoldenIds.Assignment assignment, HashSet<long>? mayChange,
    Dictionary<long, (long Id, int Version, string Attributes)> existing, Dictionary<long, long[]> oldMembers,
    Dictionary<long, List<GoldenCorrection>> correctionsOf, List<(GoldenCorrection Correction, string Why)> endedCorrections,
    AgencyContracts contracts, HashSet<long>? restored = null)
{
    readonly List<long> _changedIds = [];
    readonly List<(long Source, long Golden)> _memberRows = [];
    readonly List<(string Kind, string Value, long Golden, string Agency)> _identifierRows = [];
    int _created, _changed;
    bool _complete;

    /// <summary>
    /// Every golden record that comes out of the clustering new or different, with its version and change. Golden
    /// records that may not change (an incremental run's quiet neighbours) and those that came out as they went in
    /// are not yielded; their members and identifiers are, when they may change.
    /// </summary>
    public IEnumerable<GoldenRow> Rows()
    {
        if (_complete)
        {
            throw new InvalidOperationException("a change set's rows are made once");
        }
        foreach (var cluster in Enumerable.Range(0, people.Count).GroupBy(i => result.ClusterOf[i]))
        {
            var goldenId = assignment.IdOfCluster[cluster.Key];
            if (mayChange is not null && !mayChange.Contains(goldenId))
            {
                continue;
            }
            if (RowOf(goldenId, cluster) is { } row)
            {
                yield return row;
            }
        }
        _complete = true;
    }

    GoldenRow? RowOf(long goldenId, IEnumerable<int> cluster)
    {
        var memberPeople = cluster.Select(i => people[i]).ToList();
        var memberIds = memberPeople.Select(p => p.Id).Order().ToArray();
        _memberRows.AddRange(memberIds.Select(id => (id, goldenId)));
        foreach (var i in cluster)
        {
            _identifierRows.AddRange(result.Records[i].Identifiers.Select(x => (x.Kind, x.Value, goldenId, people[i].AgencyCode)));
        }

        var attributes = Survivorship.Survive(memberPeople, contracts);
        if (correctionsOf.TryGetValue(goldenId, out var standing))
        {
            endedCorrections.AddRange(GoldenCorrections.Apply(attributes, standing));
        }
        string change;
        int version;
        if (existing.TryGetValue(goldenId, out var before))
        {
            var sameAttributes = JsonSerializer.Deserialize<SortedDictionary<string, AttributeLineage>>(before.Attributes) is { } old
                && old.Count == attributes.Count && old.All(kv => attributes.TryGetValue(kv.Key, out var v) && v == kv.Value);
            var sameMembers = oldMembers.TryGetValue(goldenId, out var om) && om.SequenceEqual(memberIds);
            if (sameAttributes && sameMembers)
            {
                return null;
            }
            change = restored?.Contains(goldenId) == true ? "restored"
                : sameMembers ? "attributes" : sameAttributes ? "members" : "members and attributes";
            version = before.Version + 1;
            _changed++;
        }
        else
        {
            change = "created";
            version = 1;
            _created++;
        }
        _changedIds.Add(goldenId);
        return new GoldenRow(goldenId, version, change, attributes, memberIds);
    }

    /// <summary>The golden records written, new or changed.</summary>
    public IReadOnlyList<long> ChangedIds => Complete(_changedIds);

    /// <summary>Every source record of the golden records that may change, with its golden id.</summary>
    public List<(long Source, long Golden)> MemberRows => Complete(_memberRows);

    public int Created => Complete(_created);
    public int Changed => Complete(_changed);

    /// <summary>Steward corrections that end: their person was withdrawn, or the agency now sends another value.</summary>
    public List<(GoldenCorrection Correction, string Why)> EndedCorrections => Complete(endedCorrections);

    /// <summary>
    /// An identifier once per person, with every agency that holds it, in the primary key's order, so its index grows
    /// at its right edge instead of taking a million inserts at random places. One sort and a walk over it (grouping
    /// then ordering with LINQ cost far more).
    /// </summary>
    public IEnumerable<(string Kind, string Value, long Golden, string[] Agencies)> Crosswalk()
    {
        var rows = Complete(_identifierRows);
        rows.Sort((x, y) =>
        {
            var c = string.CompareOrdinal(x.Kind, y.Kind);
            c = c != 0 ? c : string.CompareOrdinal(x.Value, y.Value);
            c = c != 0 ? c : x.Golden.CompareTo(y.Golden);
            return c != 0 ? c : string.CompareOrdinal(x.Agency, y.Agency);
        });
        var agencies = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (kind, value, golden, agency) = rows[i];
            if (agencies.Count == 0 || agencies[^1] != agency)
            {
                agencies.Add(agency);
            }
            if (i + 1 == rows.Count || rows[i + 1] is var next && (next.Golden != golden || next.Value != value || next.Kind != kind))
            {
                yield return (kind, value, golden, agencies.ToArray());
                agencies.Clear();
            }
        }
    }

    T Complete<T>(T value) => _complete ? value
        : throw new InvalidOperationException("the change set's members, crosswalk and counts are known only once every row has been made");
}
