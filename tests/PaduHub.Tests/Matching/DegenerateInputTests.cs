using System.Globalization;
using PaduHub.Matching;

namespace PaduHub.Tests.Matching;

/// <summary>
/// The inputs that break naive matchers, mixed into a run of ordinary people: records with nothing to match on, records
/// with only an IC, one record repeated a thousand times, and ten thousand records in one block (an office phone and a
/// default date of birth). Each must be handled in bounded work, said in one line, and clustered sensibly.
/// </summary>
public sealed class DegenerateInputTests
{
    static readonly DateOnly s_today = new(2026, 11, 27);
    static readonly string[] s_given =
    [
        "AHMAD", "SITI", "NUR", "MOHD", "FARID", "AISYAH", "HAFIZ", "AMIRAH", "ZULKIFLI", "ROSLAN", "NORAINI", "AZMAN", "FAIZAL", "HIDAYAH",
        "IZZAT", "KAMAL", "LATIFAH", "MAZLAN", "NABILAH", "RAHIM", "SUHAILA", "TAUFIK", "WAHIDA", "YUSRI", "ZAINAB", "MEI LING", "WEI JIE",
        "SIEW LAN", "KAH WAI", "CHEE KEONG", "LI NA", "JIA HUI", "KUMAR", "PRIYA", "RAVI", "DEVI", "GANESH", "LAKSHMI", "SURESH", "ANITHA",
    ];
    static readonly string[] s_surname =
    [
        "ISMAIL", "HASSAN", "OTHMAN", "YUSOF", "IBRAHIM", "ABDULLAH", "RAHMAN", "HAMID", "SALLEH", "JAAFAR", "TAN", "LIM", "WONG", "LEE",
        "CHONG", "NG", "ONG", "TEO", "GOH", "CHAN", "KRISHNAN", "MUTHU", "RAJ", "NAIR", "PILLAI", "SUBRAMANIAM", "VELU", "RAMASAMY",
        "ARUMUGAM", "PERUMAL", "BAKAR", "DAUD", "AZIZ", "KADIR", "MANSOR", "NOR", "RASHID", "SAMAD", "TALIB", "WAHAB",
    ];
    static readonly string[] s_street = ["JALAN MAWAR", "JALAN MELATI", "JALAN KENANGA", "LORONG CEMPAKA", "JALAN SEROJA", "JALAN TERATAI"];

    sealed record Built(List<MatchRecord> Records, int[] Copies, int[] Crowd, int[] Blank, int[] OnlyIc, int[] OnlyIcPerson);

    static Built Records()
    {
        var rng = new Random(7);
        var records = new List<MatchRecord>();
        MatchRecord Add(PersonFacts facts)
        {
            var r = MatchRecord.From(records.Count, "test", records.Count.ToString(CultureInfo.InvariantCulture), facts, s_today);
            records.Add(r);
            return r;
        }
        string MyKad(DateOnly dob, int serial) => $"{dob:yyMMdd}-14-{serial % 10_000:0000}";

        // 600 ordinary people, each seen by two agencies, the second with the usual slips.
        var people = new List<PersonFacts>();
        for (var p = 0; p < 600; p++)
        {
            var dob = new DateOnly(1950, 1, 1).AddDays(rng.Next(0, 365 * 55));
            var name = $"{s_given[rng.Next(s_given.Length)]} {s_surname[rng.Next(s_surname.Length)]}";
            var facts = new PersonFacts
            {
                FullName = name,
                DateOfBirth = dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Sex = p % 2 == 0 ? "M" : "F",
                Address = $"NO {rng.Next(1, 300)}, {s_street[rng.Next(s_street.Length)]} {rng.Next(1, 20)}",
                Postcode = $"{rng.Next(10, 99)}000",
                Phone = $"01{rng.Next(0, 10)}{rng.Next(1_000_000, 9_999_999)}",
            };
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", MyKad(dob, 1_000 + p)));
            people.Add(facts);
            Add(facts);
            var slipped = new PersonFacts
            {
                FullName = p % 3 == 0 ? name[..^1] + "H" : name,
                DateOfBirth = facts.DateOfBirth,
                Sex = facts.Sex,
                Address = p % 4 == 0 ? null : facts.Address,
                Postcode = facts.Postcode,
                Phone = p % 5 == 0 ? null : facts.Phone,
            };
            slipped.Identifiers.Add(facts.Identifiers[0]);
            Add(slipped);
        }

        // One person's record sent a thousand times over.
        var copies = Enumerable.Range(0, 1_000).Select(_ => Add(people[0]).Index).ToArray();

        // Ten thousand different people behind one office phone, which an agency put on every record it had no phone
        // for: a 10,000-record block.
        var crowd = new List<int>();
        for (var i = 0; i < 10_000; i++)
        {
            var dob = new DateOnly(1940, 1, 1).AddDays(rng.Next(0, 365 * 65));
            var facts = new PersonFacts
            {
                FullName = $"{s_given[i % s_given.Length]} {s_surname[i / s_given.Length % s_surname.Length]} {s_given[i / 1_600 % s_given.Length]}",
                DateOfBirth = dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Phone = "0321234567",
                Postcode = $"{rng.Next(10, 99)}000",
            };
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", MyKad(dob, 2_000 + i)));
            crowd.Add(Add(facts).Index);
        }

        // Records with nothing to match on: placeholders everywhere.
        var blank = Enumerable.Range(0, 50).Select(i =>
        {
            var facts = new PersonFacts { FullName = i % 2 == 0 ? "-" : "", DateOfBirth = "", Address = "TIADA" };
            facts.Identifiers.Add(new PersonIdentifier("MYKAD", "000000-00-0000"));
            return Add(facts).Index;
        }).ToArray();

        // Records with only an IC, each of an ordinary person's.
        var onlyIcPerson = Enumerable.Range(0, 50).Select(i => i * 7 + 3).ToArray();
        var onlyIc = onlyIcPerson.Select(p =>
        {
            var facts = new PersonFacts();
            facts.Identifiers.Add(people[p].Identifiers[0]);
            return Add(facts).Index;
        }).ToArray();

        return new Built(records, copies, [.. crowd], blank, onlyIc, onlyIcPerson);
    }

    [Test]
    public void A_phone_shared_by_a_crowd_weighs_nothing_while_a_persons_phone_still_counts()
    {
        var built = Records();
        var model = Linkage.Run(built.Records, new MatchSettings()).Model;

        double PhoneWeight(int a, int b) => model.Score(built.Records[a], built.Records[b]).Fields.Single(f => f.Field == "phone").Weight;
        var stored = StoredModel.Parse(StoredModel.ToJson(model));
        double StoredPhoneWeight(int a, int b) => stored.Score(built.Records[a], built.Records[b]).Fields.Single(f => f.Field == "phone").Weight;
        Assert.Multiple(() =>
        {
            Assert.That(PhoneWeight(built.Crowd[0], built.Crowd[1]), Is.Zero, "the office phone agrees and says nothing");
            Assert.That(StoredPhoneWeight(built.Crowd[0], built.Crowd[1]), Is.Zero, "and the stored model, which incremental runs score with, agrees");
            Assert.That(PhoneWeight(2, 3), Is.GreaterThan(0), "one person's own phone on two records still counts");
        });
    }

    [Test]
    public void Each_is_handled_in_bounded_work_said_in_a_line_and_clustered_sensibly()
    {
        var built = Records();
        var settings = new MatchSettings();

        var result = Linkage.Run(built.Records, settings);

        var blocking = result.Blocking;
        TestContext.Out.WriteLine(blocking.LeftOut(settings));
        Assert.Multiple(() =>
        {
            // No block is ever compared all against all: at most each record's top-k and its capped exact-key blocks.
            Assert.That(blocking.PairsCompared, Is.LessThanOrEqualTo((long)built.Records.Count * (settings.TopK + settings.MaxBlock)));
            Assert.That(blocking.OversizedBlocks, Is.GreaterThan(0), "the office phone's block is too big to pair");
            Assert.That(blocking.SkippedCommonTerms, Is.GreaterThan(0), "the phone and the default date of birth are not searched on");
            Assert.That(blocking.NothingToMatchOn, Is.EqualTo(built.Blank.Length));
            Assert.That(blocking.LeftOut(settings), Does.Contain("exact-key blocks").And.Contain("more than 1,000 records")
                .And.Contain($"{built.Blank.Length} records with nothing to match on"));
        });

        var clusterOf = result.ClusterOf;
        var sizes = clusterOf.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            Assert.That(built.Copies.Select(i => clusterOf[i]).Distinct().Count(), Is.EqualTo(1), "a record repeated is one person");
            Assert.That(clusterOf[built.Copies[0]], Is.EqualTo(clusterOf[0]), "and the person it repeats");
            Assert.That(built.Crowd.Select(i => sizes[clusterOf[i]]), Is.All.EqualTo(1), "a crowd behind one phone, each with their own IC, is not one person");
            Assert.That(built.Blank.Select(i => sizes[clusterOf[i]]), Is.All.EqualTo(1), "placeholders link nobody");
            for (var k = 0; k < built.OnlyIc.Length; k++)
            {
                var person = built.OnlyIcPerson[k];
                Assert.That(clusterOf[built.OnlyIc[k]], Is.EqualTo(clusterOf[2 * person]), $"a record with only person {person}'s IC joins them");
            }
        });
    }
}
