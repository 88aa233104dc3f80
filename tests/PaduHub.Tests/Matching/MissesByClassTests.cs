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
}
