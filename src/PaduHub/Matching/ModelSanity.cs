using System.Globalization;

namespace PaduHub.Matching;

/// <summary>
/// Whether a trained model could be a model of "same person" at all, checked without labels after every fit. EM
/// without labels finds whatever class explains the candidate pairs best, and on some data that is "same surname" or
/// "same household": the fit converges, and every answer after it is wrong. A model that fails is not used as fitted
/// (see ModelTraining.FitAndCheck for the fallbacks), and says so wherever it is shown or stored. NoisyFields names the
/// personal fields whose disagreement weighs little because the data gets them wrong that often, as the sessions find
/// (<see cref="Noisy"/>); their weak disagreement is no collapse. PeoplesNames names the names in parts whose slips
/// outweigh their exact agreement while a sound sessions' fit finds people written as EM's class is
/// (<see cref="OutOfOrderNames"/>); their order is no collapse either.
/// </summary>
public sealed record ModelSanity(string Verdict, string[] Reasons, string[]? Notes = null, string[]? NoisyFields = null, string[]? PeoplesNames = null)
{
    /// <summary>The fitted model passed every check.</summary>
    public const string Sound = "sound";


    /// <summary>The fit failed; the model was trained again by sessions (<see cref="SessionTraining"/>), and that passed.</summary>
    public const string FellBackToSessions = "fell back: u from random pairs, m from sessions blocked on one field each";

    /// <summary>Both fits failed; m is the documented prior (docs/matching.md), u from random pairs, lambda by EM.</summary>
    public const string FellBackToPriors = "fell back: prior m";

    public static readonly ModelSanity Passed = new(Sound, []);

    public bool FellBack => Verdict != Sound;

    static readonly System.Text.Json.JsonSerializerOptions s_json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A verdict as stored in <c>match_model.model->'sanity'</c> (the stored model's own naming).</summary>
    public static ModelSanity? Parse(string json) => System.Text.Json.JsonSerializer.Deserialize<ModelSanity>(json, s_json);

    /// <summary>
    /// Above this many bits, disagreeing on a name, a birth date or an identifier says too little against a match: EM's
    /// "same family" class weighs it at next to nothing. Unless the field is merely noisy (<see cref="NoisyShare"/>).
    /// </summary>
    public const double MinDisagreementBits = -1;

    /// <summary>
    /// A weak disagreement is the data's noise, not a collapse, when the people sessions find disagree on the field at
    /// least this share as often as EM's class does (decision record 10).
    /// </summary>
    public const double NoisyShare = 0.5;

    /// <summary>A closer level may weigh this much less than a looser one before it counts as out of order (EM noise at rare levels).</summary>
    public const double OrderToleranceBits = 1;

    /// <summary>
    /// A whole name respelled may outweigh it exact where whole names are common (decision record 9), by a bit or two;
    /// by more, EM has taken "spelled alike" for the person and exact names for namesakes, as on the public sets with
    /// their names in one column.
    /// </summary>
    public const double WholeNameOrderToleranceBits = 3;

    /// <summary>
    /// Blocking chose the candidates for agreeing, so among their non-matches an exact agreement is at least as common as
    /// among random pairs (which count a person's own pairs too, hence the margin). Two orders of magnitude rarer, EM has
    /// put every pair that agrees into its match class: namesakes become one person where nothing else tells them apart.
    /// An identifier and an email are left out: agreeing on one is rare among anyone's non-matches, and their random
    /// pairs that agree are nearly all the same person. So is a file too small to have shown chance's agreements (fewer
    /// than ten expected among its candidates).
    /// </summary>
    public const double RarerThanChance = 100;

    /// <summary>More expected matches per record than this among the candidates is no set of duplicates but a class of look-alikes.</summary>
    public const double MaxMatchesPerRecord = 5;

    /// <summary>
    /// Names in parts: an exact agreement must not weigh less than a slip. Blocking chose the candidates for sharing name
    /// words, which is what turns EM's classes into "same surname" (decision record 8). A whole name out of that order
    /// is reported only: where a population's names are common, an exact whole name is common among namesakes and a
    /// respelling rare, and the fit is sound (decision record 9). So is a birth date out of order: the model's
    /// name-and-birth bits are its correction for the birth-date blocks.
    /// </summary>
    static readonly HashSet<Comparison> s_names = [Comparisons.GivenName, Comparisons.Surname];

    /// <summary>A name in parts whose exact level weighs less than a looser one (by more than the tolerance): that level's weight, else null.</summary>
    static double? OutOfOrder(Comparison comparison, double[] w) =>
        s_names.Contains(comparison) && w.Length > 2 && w[..^1].Max() is var looser && w[^1] < looser - OrderToleranceBits ? looser : null;

    /// <summary>
    /// The names in parts out of order (<see cref="OutOfOrder"/>). The order check is there for a class of namesakes, whose
    /// exact names EM learns as the strangers' and whose slips as the person's. Where a sound sessions' fit finds people
    /// writing every identity field alike as often as EM's class does (<see cref="SameWriting"/>), the class is people,
    /// and the exact name weighs little only because blocking made it common among the candidates (registers copied and
    /// miscopied many times over); it still gets its due where it meets the other identity fields
    /// (<see cref="MatchModel.CandidateShareOfStrangers"/>). ModelTraining.FitAndCheck decides; decision record 15.
    /// </summary>
    public static int[] OutOfOrderNames(MatchModel model) =>
        [.. Enumerable.Range(0, model.Comparisons.Length).Where(i => OutOfOrder(model.Comparisons[i],
            [.. model.Parameters[i].M.Zip(model.Parameters[i].U, (m, u) => Math.Log2(m / u))]) is not null)];

    /// <summary>
    /// Comparisons whose disagreement must count against a match: who someone is, not where they live. Sex among them:
    /// a class whose pairs differ in sex about as often as strangers' do is brothers and sisters, not one person.
    /// </summary>
    static readonly HashSet<Comparison> s_personal =
        [Comparisons.GivenName, Comparisons.Surname, Comparisons.FullName, Comparisons.DateOfBirth, Comparisons.NationalId, Comparisons.Sex];

    /// <summary>
    /// Whether a comparison is personal and really compared at each level. Sex read only from names (BIN, BINTI) is
    /// compared only where it differs: a pair agreeing on it is missing, so random pairs never reach "same"
    /// (<see cref="SexCompared"/>), and neither level's weight says anything about the fit.
    /// </summary>
    static bool Personal(Comparison comparison, ComparisonParameters p) =>
        s_personal.Contains(comparison) && (comparison != Comparisons.Sex || SexCompared(p));

    /// <summary>Random pairs agree on a stated sex about half the time; on one read from names, never.</summary>
    static bool SexCompared(ComparisonParameters p) => p.URandom.Length == 0 || p.URandom[^1] >= 0.05;

    /// <summary>The reasons the model fails, empty when it passes.</summary>
    /// <param name="model">the fitted model</param>
    /// <param name="candidatePairs">how many candidate pairs it was fitted on</param>
    /// <param name="records">how many records they came from</param>
    public static List<string> Problems(MatchModel model, long candidatePairs, int records)
    {
        var problems = new List<string>();
        for (var i = 0; i < model.Comparisons.Length; i++)
        {
            var comparison = model.Comparisons[i];
            var p = model.Parameters[i];
            var w = Enumerable.Range(0, p.Levels.Length).Select(l => Math.Log2(p.M[l] / p.U[l])).ToArray();
            if (comparison.IsIdentity && w[^1] <= 0 && (comparison != Comparisons.Sex || SexCompared(p)))
            {
                problems.Add($"an exact {p.Name} weighs {Bits(w[^1])} bits, against a match");
            }
            if (Personal(comparison, p) && w[0] > MinDisagreementBits && model.Sanity.NoisyFields?.Contains(p.Name) != true)
            {
                problems.Add($"a different {p.Name} weighs {Bits(w[0])} bits, too little against a match");
            }
            if (OutOfOrder(comparison, w) is var looser and not null && model.Sanity.PeoplesNames?.Contains(p.Name) != true)
            {
                problems.Add($"a looser {p.Name} level weighs {Bits(looser.Value)} bits, more than an exact one ({Bits(w[^1])})");
            }
            if (comparison.IsIdentity && comparison != Comparisons.NationalId && comparison.Shared is null && p.URandom.Length == p.U.Length
                && ByChance(p, model.Lambda * candidatePairs, records) is var chance && p.U[^1] * RarerThanChance < chance
                && candidatePairs * (1 - model.Lambda) * chance >= 10)
            {
                problems.Add($"an exact {p.Name} is {chance / p.U[^1]:0} times rarer among the candidates' non-matches than among random ones: "
                    + "EM took agreeing on it for being one person");
            }
            if (comparison == Comparisons.FullName && w.Length > 2 && w[^1] < w[^2] - WholeNameOrderToleranceBits)
            {
                problems.Add($"{p.Name} '{p.Levels[^2]}' weighs {Bits(w[^2])} bits, far more than an exact one ({Bits(w[^1])})");
            }
        }
        if (OnlyTheWholeName(model) is var whole and >= 0 && ApartShare(model.Parameters[whole]) is var apart && apart > OnlyNameApartShare)
        {
            problems.Add($"the whole name is the only personal field, and EM's class shares some of its words or none in {apart:0.00} "
                + "of its pairs: a family, not a person");
        }
        var expected = model.Lambda * candidatePairs;
        if (expected > MaxMatchesPerRecord * Math.Max(records, 1))
        {
            problems.Add($"lambda {model.Lambda.ToString("0.0000", CultureInfo.InvariantCulture)} expects {expected:N0} matches among "
                + $"{candidatePairs:N0} candidate pairs of {records:N0} records");
        }
        return problems;
    }

    /// <summary>
    /// The personal comparisons whose disagreement weighs too little against a match: EM's class is a family, or the data
    /// gets the field wrong that often (Splink's fake_1000's birth dates; decision record 10).
    /// </summary>
    public static List<int> WeakDisagreements(MatchModel model) =>
        [.. Enumerable.Range(0, model.Comparisons.Length).Where(i => Personal(model.Comparisons[i], model.Parameters[i])
            && Math.Log2(model.Parameters[i].M[0] / model.Parameters[i].U[0]) > MinDisagreementBits)];

    /// <summary>
    /// Of the weak disagreements, those the sessions' fit (which cannot learn a family) finds about as often among the
    /// people: the field is noisy, and EM weighed it honestly. The rest are a collapse.
    /// </summary>
    public static List<int> Noisy(MatchModel fitted, MatchModel bySessions, IEnumerable<int> weak) =>
        [.. weak.Where(i => bySessions.Parameters[i].M[0] >= NoisyShare * fitted.Parameters[i].M[0])];

    /// <summary>
    /// A fit is a family or namesakes where its class differs in a personal field it did not hold at least twice as often
    /// as the sessions' people do, and by more than <see cref="StillAFamilyMargin"/> of its pairs, however much that
    /// disagreement weighs. So is a collapse fitted again with its weak fields held (decision record 10) whose class
    /// still differs so in another: holding one field moved it only part of the way.
    /// </summary>
    public static List<string> StillAFamily(MatchModel fitted, MatchModel bySessions, IReadOnlyCollection<int> held) =>
        [.. Enumerable.Range(0, fitted.Comparisons.Length)
            .Where(i => Personal(fitted.Comparisons[i], fitted.Parameters[i]) && !held.Contains(i)
                && bySessions.Parameters[i].M[0] < NoisyShare * fitted.Parameters[i].M[0]
                && fitted.Parameters[i].M[0] - bySessions.Parameters[i].M[0] > StillAFamilyMargin)
            .Select(i => (held.Count > 0 ? "fitted again, " : "") + Disagreement(fitted.Parameters[i], bySessions.Parameters[i])
                + ": EM's class is a family or namesakes")];

    /// <summary>How much more often than the sessions' people a class must differ in a field to be a family.</summary>
    public const double StillAFamilyMargin = 0.05;

    /// <summary>
    /// Whether a fit's class differs in some personal field in more than <see cref="FamilyShare"/> of its pairs, so that
    /// the sessions are worth running to compare (<see cref="StillAFamily"/>). One person's records seldom do: sound fits
    /// of the public sets and of the generated populations with their ICs stay under a fifth, but for fake_1000's noisy
    /// birth dates, which the sessions' people get as wrong (decision record 10).
    /// </summary>
    public static bool MayBeAFamily(MatchModel fitted) =>
        Enumerable.Range(0, fitted.Comparisons.Length).Any(i => Personal(fitted.Comparisons[i], fitted.Parameters[i]) && fitted.Parameters[i].M[0] > FamilyShare);

    /// <summary>The share of a class's pairs differing in a personal field above which the sessions are run to compare.</summary>
    public const double FamilyShare = 0.25;

    /// <summary>
    /// With the whole name the only personal field (no birth date, no identifier; sex aside), nothing tells a person
    /// from the family whose members share a father's name or a surname, and EM may take the family: a class more than
    /// this share of whose pairs share only some words of the name, or none, is one (decision record 10 has what such
    /// fits scored).
    /// </summary>
    public const double OnlyNameApartShare = 1.0 / 3;

    /// <summary>Where the whole name is the model's only personal field (sex aside), its index; otherwise -1.</summary>
    static int OnlyTheWholeName(MatchModel model) =>
        PersonalFields(model).Where(i => model.Comparisons[i] != Comparisons.Sex).ToList() is [var only] && model.Comparisons[only] == Comparisons.FullName
            ? only : -1;

    /// <summary>The share of a whole-name comparison's m at "different" and "overlapping words".</summary>
    static double ApartShare(ComparisonParameters p) =>
        p.M[Array.IndexOf(p.Levels, "different")] + (Array.IndexOf(p.Levels, "overlapping words") is var o and >= 0 ? p.M[o] : 0);

    /// <summary>The model's personal comparisons that are really compared (<see cref="Personal"/>).</summary>
    public static List<int> PersonalFields(MatchModel model) =>
        [.. Enumerable.Range(0, model.Comparisons.Length).Where(i => Personal(model.Comparisons[i], model.Parameters[i]))];

    /// <summary>
    /// Whether the people sessions find differ in a field about as often as a fit's class does: each share at least
    /// <see cref="NoisyShare"/> of the other. Two measures that cannot share a fault agree, so the fit is believed.
    /// </summary>
    public static bool SameDisagreement(double bySessions, double byFit) => bySessions >= NoisyShare * byFit && byFit >= NoisyShare * bySessions;

    /// <summary>
    /// Whether EM's class writes a field otherwise than exactly about as often as the sessions' people do (within
    /// <see cref="NoisyShare"/>); under one pair in a hundred counts as one hundredth, "nearly always alike" either way.
    /// </summary>
    public static bool SameWriting(ComparisonParameters bySessions, ComparisonParameters fitted) =>
        SameDisagreement(Math.Max(1 - bySessions.M[^1], 0.01), Math.Max(1 - fitted.M[^1], 0.01));

    /// <summary>
    /// Whether the sessions' fit vouches for EM's class as people (decision record 15): it passes its own checks, a field
    /// EM's check found noisy counted noisy there too, and its people write every identity field as EM's class does
    /// (<see cref="SameWriting"/>).
    /// </summary>
    public static bool VouchesFor(MatchModel bySessions, MatchModel fitted, string[] noisyFields, long candidatePairs, int records) =>
        Problems(ModelFit.From(bySessions).ToModel(new ModelSanity(Sound, [], null, noisyFields)), candidatePairs, records).Count == 0
        && Enumerable.Range(0, fitted.Comparisons.Length).Where(i => fitted.Comparisons[i].IsIdentity)
            .All(i => SameWriting(bySessions.Parameters[i], fitted.Parameters[i]));

    /// <summary>A name out of order that the sessions vouch for, for the verdict's notes.</summary>
    public static string Writing(ComparisonParameters fitted, ComparisonParameters bySessions) =>
        $"a looser {fitted.Name} level outweighs an exact one; among the people sessions find "
        + $"{bySessions.M[^1].ToString("0.000", CultureInfo.InvariantCulture)} of pairs write it alike, in EM's class "
        + $"{fitted.M[^1].ToString("0.000", CultureInfo.InvariantCulture)}: people, not namesakes";

    /// <summary>How a fit's disagreement in a field compares with the sessions' measure of it, for the verdict's notes.</summary>
    public static string Disagreement(ComparisonParameters fitted, ComparisonParameters bySessions) =>
        $"a different {fitted.Name} weighs {Bits(Math.Log2(fitted.M[0] / fitted.U[0]))} bits; among the people sessions find "
        + $"{bySessions.M[0].ToString("0.000", CultureInfo.InvariantCulture)} of pairs differ in it, "
        + $"in EM's class {fitted.M[0].ToString("0.000", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Levels that weigh less than a looser level of the same comparison. Reported, not failed: u is estimated among
    /// the candidate pairs, where an exact surname is common (blocking found them by it) and a one-letter slip is rare,
    /// so a sound fit can give the slip more bits (docs/matching.md, known limits).
    /// </summary>
    public static List<string> OrderNotes(MatchModel model)
    {
        var notes = new List<string>();
        foreach (var p in model.Parameters)
        {
            var w = Enumerable.Range(0, p.Levels.Length).Select(l => Math.Log2(p.M[l] / p.U[l])).ToArray();
            for (var l = 1; l < w.Length; l++)
            {
                if (w[l] < w[l - 1] - OrderToleranceBits)
                {
                    notes.Add($"{p.Name} '{p.Levels[l]}' weighs {Bits(w[l])} bits, less than the looser '{p.Levels[l - 1]}' ({Bits(w[l - 1])})");
                }
            }
        }
        return notes;
    }

    /// <summary>
    /// How often two random records that are not one person agree exactly: random pairs agree as often as
    /// <c>URandom</c> says, but some of them are one person (the model's expected matches among all pairs of the file).
    /// </summary>
    static double ByChance(ComparisonParameters p, double expectedMatches, int records)
    {
        var matchShare = Math.Clamp(expectedMatches / Math.Max((double)records * (records - 1) / 2, 1), 0, 0.5);
        return Math.Max((p.URandom[^1] - matchShare * p.M[^1]) / (1 - matchShare), 0);
    }

    static string Bits(double w) => w.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
}
