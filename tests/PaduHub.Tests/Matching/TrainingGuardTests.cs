using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// Training's last step lets every field vote on which pairs match. At a million generated records the vote once
/// learned "same household" (an exact date of birth weighed against a match); the model keeps the identity fields'
/// own fit when that happens, and keeps the vote when it is sound, as on the public datasets.
/// </summary>
public sealed class TrainingGuardTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);

    static MatchModel Model(params (double[] M, double[] U)[] parameters) => new()
    {
        Comparisons = [Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.Street],
        Parameters = parameters.Select((p, i) => new ComparisonParameters
        {
            Name = $"c{i}",
            Levels = p.M.Select((_, l) => $"l{l}").ToArray(),
            M = p.M,
            U = p.U,
            URandom = p.U,
        }).ToArray(),
    };

    [Test]
    public void Agreement_must_weigh_more_than_disagreement_on_every_identity_field()
    {
        var name = (new[] { 0.03, 0.07, 0.06, 0.84 }, new[] { 0.91, 0.03, 0.02, 0.04 });
        var soundBirth = (new[] { 0.01, 0.001, 0.005, 0.984 }, new[] { 0.62, 0.001, 0.05, 0.329 });
        // The household model measured at a million records: exact birth date m 0.84, u 0.97.
        var householdBirth = (new[] { 0.159, 0.0003, 0.003, 0.837 }, new[] { 0.031, 0.00002, 0.0001, 0.969 });
        // An address that is no evidence at all does not matter: it is not an identity field.
        var address = (new[] { 0.5, 0.1, 0.1, 0.3 }, new[] { 0.2, 0.1, 0.1, 0.6 });
        bool[] identity = [true, true, false];

        Assert.That(Model(name, soundBirth, address).AgreementIsEvidence(identity), Is.True);
        Assert.That(Model(name, householdBirth, address).AgreementIsEvidence(identity), Is.False);
    }

    [TestCase("febrl/dataset1.csv", "febrl-no-id.json")]
    [TestCase("splink/fake_1000.csv", "splink-fake-1000.json")]
    public void A_sound_vote_is_kept(string dataset, string schema)
    {
        var records = CsvLinkage.Read([Datasets.File(dataset)], LinkageSchema.Load(Path.Combine(Repository.Root, "samples", "schemas", schema)), s_today);
        var model = Linkage.Run(records, new MatchSettings()).Model;
        Assert.That(model.LocationVoteDropped, Is.False);
        Assert.That(model.AgreementIsEvidence(model.Comparisons.Select(c => !c.IsLocation).ToArray()), Is.True);
    }
}
