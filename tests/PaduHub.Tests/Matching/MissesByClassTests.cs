using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

public sealed class MissesByClassTests
{
    [Test]
    public void A_true_pair_counts_in_every_class_either_record_carries_and_clean_when_neither_does()
    {
        var truth = new Dictionary<string, string> { ["a1"] = "A", ["a2"] = "A", ["a3"] = "A", ["b1"] = "B", ["b2"] = "B" };
        var predicted = new Dictionary<string, string> { ["a1"] = "x", ["a2"] = "x", ["a3"] = "y", ["b1"] = "z", ["b2"] = "z" };
        var classes = new Dictionary<string, string[]> { ["a3"] = ["ic_missing", "married_name"], ["a2"] = ["ic_missing"] };

        var byClass = MissesByClass.Of(predicted, truth, classes).ToDictionary(c => c.Class, c => (c.TruePairs, c.Missed));

        Assert.That(byClass["ic_missing"], Is.EqualTo((3L, 2L)), "a1-a2 found, a1-a3 and a2-a3 missed");
        Assert.That(byClass["married_name"], Is.EqualTo((2L, 2L)));
        Assert.That(byClass["clean"], Is.EqualTo((1L, 0L)), "b1-b2");
    }

    [Test]
    public void A_miss_whose_records_share_only_a_name_is_told_apart_from_the_rest_of_its_class()
    {
        var truth = new Dictionary<string, string> { ["a1"] = "A", ["a2"] = "A", ["b1"] = "B", ["b2"] = "B" };
        var predicted = new Dictionary<string, string> { ["a1"] = "w", ["a2"] = "x", ["b1"] = "y", ["b2"] = "z" };
        var classes = new Dictionary<string, string[]> { ["a1"] = ["married_name"], ["b1"] = ["married_name"] };

        var married = MissesByClass.Of(predicted, truth, classes, (x, y) => (x, y) is ("a2", "a1") or ("a1", "a2")).Single();

        Assert.That((married.Missed, married.MissedSharingOnlyAName), Is.EqualTo((2L, 1L)));
        Assert.That((married.MissedShare, married.MissedOtherwiseShare), Is.EqualTo((1.0, 0.5)), "b1-b2 shared more than a name");
    }

    [Test]
    public void A_class_gets_its_own_F1_from_its_pairs_found_missed_and_joined_wrongly()
    {
        var truth = new Dictionary<string, string> { ["a1"] = "A", ["a2"] = "A", ["b1"] = "B", ["c1"] = "C" };
        var predicted = new Dictionary<string, string> { ["a1"] = "x", ["a2"] = "x", ["b1"] = "x", ["c1"] = "y" };
        var classes = new Dictionary<string, string[]> { ["b1"] = ["twin"] };

        var byClass = MissesByClass.Of(predicted, truth, classes).ToDictionary(c => c.Class);

        Assert.That(byClass["twin"].WronglyJoined, Is.EqualTo(2), "b1 joined to a1 and to a2");
        Assert.That(byClass["twin"].F1, Is.Zero);
        Assert.That((byClass["clean"].TruePairs, byClass["clean"].WronglyJoined, byClass["clean"].F1), Is.EqualTo((1L, 0L, 1.0)), "a1-a2");
    }

    [Test]
    public void Evaluate_breaks_misses_and_wrong_joins_down_by_class_and_tells_apart_misses_sharing_only_a_name()
    {
        var folder = Directory.CreateTempSubdirectory("padu-misses-").FullName;
        try
        {
            var (clusters, truthFile) = (Path.Combine(folder, "clusters.csv"), Path.Combine(folder, "truth.csv"));
            File.WriteAllLines(truthFile, ["record_id,entity_id,noise", "a1,A,married_name", "a2,A,", "b1,B,ic_missing", "b2,B,", "c1,C,ic_missing", "c2,C,", "d1,D,married_name"]);
            File.WriteAllLines(clusters, ["record_id,cluster_id", "a1,1", "a2,2", "b1,3", "b2,4", "c1,5", "c2,5", "d1,5"]);
            // a1-a2 agree on the name and sex alone; b1-b2 on the name and the birth date.
            File.WriteAllLines(Path.ChangeExtension(clusters, ".pairs.csv"), ["record_a,record_b,passes,weight,full_name,sex,date_of_birth,postcode",
                "a1,a2,0,-3.00,2,1,0,-1", "b1,b2,0,-1.00,5,1,4,-1", "c1,c2,0,9.00,5,1,4,2"]);

            var output = PaduCommand.Run("evaluate", "--clusters", clusters, "--truth", truthFile);

            // class, true pairs, missed, share missed, missed sharing only a name, share missed otherwise, wrongly joined, F1
            var rows = output.Split('\n').Select(l => l.Split('│', StringSplitOptions.TrimEntries)).Where(c => c.Length == 10 && c[1] is "married_name" or "ic_missing")
                .ToDictionary(c => c[1], c => c[2..9]);
            Assert.That(rows["married_name"], Is.EqualTo(new[] { "1", "1", "1.000", "1", "0.000", "2", "0.0000" }), output);
            Assert.That(rows["ic_missing"], Is.EqualTo(new[] { "2", "1", "0.500", "0", "0.500", "1", "0.5000" }), output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
