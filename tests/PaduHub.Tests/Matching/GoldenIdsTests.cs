using PaduHub.GoldenRecords;

namespace PaduHub.Tests.Matching;

public sealed class GoldenIdsTests
{
    static long s_next;

    static GoldenIds.Assignment Assign(int[] clusterOf, long?[] previous)
    {
        s_next = 100;
        return GoldenIds.Assign(clusterOf, previous, () => s_next++);
    }

    [Test]
    public void Unchanged_clusters_keep_their_ids()
    {
        var result = Assign([0, 0, 2], [7, 7, 9]);
        Assert.That(result.IdOfCluster, Is.EquivalentTo(new Dictionary<int, long> { [0] = 7, [2] = 9 }));
        Assert.That(result.Retired, Is.Empty);
    }

    [Test]
    public void When_two_golden_records_merge_the_older_id_survives_and_the_younger_points_to_it()
    {
        var result = Assign([0, 0, 0, 0], [9, 9, 9, 4]);
        Assert.That(result.IdOfCluster[0], Is.EqualTo(4));
        Assert.That(result.Retired, Is.EquivalentTo(new Dictionary<long, long> { [9] = 4 }));
    }

    [Test]
    public void When_a_golden_record_splits_the_larger_part_keeps_the_id()
    {
        var result = Assign([0, 1, 1, 1], [5, 5, 5, 5]);
        Assert.That(result.IdOfCluster[1], Is.EqualTo(5));
        Assert.That(result.IdOfCluster[0], Is.EqualTo(100), "the smaller part is a new golden record");
        Assert.That(result.NewClusters, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void New_records_on_their_own_get_new_ids()
    {
        var result = Assign([0, 1], [3, null]);
        Assert.That((result.IdOfCluster[0], result.IdOfCluster[1]), Is.EqualTo((3L, 100L)));
    }
}
