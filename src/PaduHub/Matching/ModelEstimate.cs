using System.Globalization;

namespace PaduHub.Matching;

/// <summary>
/// What the model itself expects of a run, for a user without labels: among the candidate pairs, how many it believes
/// are one person (the sum of their match probabilities), and, at the link and review thresholds, how many pairs pass
/// and what share of them it believes true (its precision) and of all its expected matches it keeps (its recall). These
/// are pairwise and before clustering, and no better than the model's calibration: a model that learned the wrong
/// class believes itself too, which is why <see cref="ModelSanity"/> comes first. Pairs blocking never proposed are
/// outside both counts.
/// </summary>
public sealed record ModelEstimate(long CandidatePairs, double ExpectedMatches, double LinkProbability, long PairsAtLink, double ExpectedAtLink,
    double ReviewProbability, long PairsAtReview, double ExpectedAtReview)
{
    public static readonly ModelEstimate None = new(0, 0, 0, 0, 0, 0, 0, 0);

    static readonly System.Text.Json.JsonSerializerOptions s_json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An estimate as stored in <c>match_run.estimate</c>.</summary>
    public static ModelEstimate? Parse(string json) => System.Text.Json.JsonSerializer.Deserialize<ModelEstimate>(json, s_json);

    public double PrecisionAtLink => PairsAtLink == 0 ? 1 : ExpectedAtLink / PairsAtLink;

    public double RecallAtLink => ExpectedMatches <= 0 ? 1 : ExpectedAtLink / ExpectedMatches;

    public double PrecisionAtReview => PairsAtReview == 0 ? 1 : ExpectedAtReview / PairsAtReview;

    public double RecallAtReview => ExpectedMatches <= 0 ? 1 : ExpectedAtReview / ExpectedMatches;

    /// <summary>The estimate in two sentences for the command line and the log.</summary>
    public string Describe() => string.Format(CultureInfo.InvariantCulture,
        "the model expects {0:N0} of the {1:N0} compared pairs to be one person; linked at p >= {2:0.##}: {3:N0} pairs, its estimate " +
        "precision {4:0.0000}, recall {5:0.0000}; linked or reviewed at p >= {6:0.##}: {7:N0} pairs, precision {8:0.0000}, recall {9:0.0000} " +
        "(pairwise, before clustering, among the pairs blocking found)",
        ExpectedMatches, CandidatePairs, LinkProbability, PairsAtLink, PrecisionAtLink, RecallAtLink, ReviewProbability, PairsAtReview,
        PrecisionAtReview, RecallAtReview);

    /// <summary>One scoring partition's running sums; partitions are added together at the end.</summary>
    internal struct Tally
    {
        public long Pairs, AtLink, AtReview;
        public double Expected, ExpectedAtLink, ExpectedAtReview;

        public void Add(double weight, double linkWeight, double reviewWeight)
        {
            var p = MatchModel.Probability(weight);
            Pairs++;
            Expected += p;
            if (weight >= reviewWeight)
            {
                AtReview++;
                ExpectedAtReview += p;
                if (weight >= linkWeight)
                {
                    AtLink++;
                    ExpectedAtLink += p;
                }
            }
        }

        public static ModelEstimate Sum(IEnumerable<Tally> tallies, MatchSettings settings)
        {
            var all = new Tally();
            foreach (var t in tallies)
            {
                all.Pairs += t.Pairs;
                all.AtLink += t.AtLink;
                all.AtReview += t.AtReview;
                all.Expected += t.Expected;
                all.ExpectedAtLink += t.ExpectedAtLink;
                all.ExpectedAtReview += t.ExpectedAtReview;
            }
            return new ModelEstimate(all.Pairs, Math.Round(all.Expected, 2), settings.LinkProbability, all.AtLink, Math.Round(all.ExpectedAtLink, 2),
                settings.ReviewProbability, all.AtReview, Math.Round(all.ExpectedAtReview, 2));
        }
    }
}
