using System.Text.Json;

namespace PaduHub.Eligibility;

/// <summary>
/// Evaluates a programme against facts. Every applicant must meet all of 'requires'; the first tier whose
/// conditions all pass gives the tier and amount. A rule whose fact the hub lacks is "missing": the answer is then
/// "undetermined" rather than a refusal built on data the hub never had, unless some rule already failed outright.
/// </summary>
public static class EligibilityCheck
{
    public static EligibilityAnswer Evaluate(Programme programme, Facts facts, DateTime now)
    {
        var rules = new List<RuleOutcome>();
        var required = programme.Requires.Select(c => Check(c, facts, "requires", rules)).ToList();
        string? tier = null;
        decimal? amount = null;
        var tierResults = new List<string>();
        foreach (var t in programme.Tiers)
        {
            var results = t.All.Select(c => Check(c, facts, $"tier: {t.Name}", rules)).ToList();
            var result = Combine(results, all: true);
            tierResults.Add(result);
            if (result == "pass" && tier is null)
            {
                tier = t.Name;
                amount = t.Amount;
            }
        }
        var requirement = Combine(required, all: true);
        var decision = requirement == "fail" ? "not_eligible"
            : requirement == "missing" ? "undetermined"
            : tier is not null ? "eligible"
            : tierResults.Contains("missing") ? "undetermined"
            : "not_eligible";
        return new EligibilityAnswer(programme.Code, programme.Subject, facts.PersonId, facts.HouseholdId, facts.RedirectedFrom, decision,
            decision == "eligible" ? tier : null, decision == "eligible" ? amount : null, programme.Unit, rules, now);
    }

    static string Combine(IReadOnlyCollection<string> results, bool all) =>
        all
            ? results.Contains("fail") ? "fail" : results.Contains("missing") ? "missing" : "pass"
            : results.Contains("pass") || results.Count == 0 ? "pass" : results.Contains("missing") ? "missing" : "fail";

    static string Check(Condition condition, Facts facts, string part, List<RuleOutcome> rules)
    {
        if (condition.All is { } all)
        {
            return Combine(all.Select(c => Check(c, facts, part, rules)).ToList(), all: true);
        }
        if (condition.Any is { } any)
        {
            return Combine(any.Select(c => Check(c, facts, part, rules)).ToList(), all: false);
        }
        var fact = facts.Get(condition.Fact!) ?? new Fact(null, null, null);
        var result = fact.Value is null
            ? condition.Missing ?? "missing"
            : Compare(fact.Value, condition.Op!, condition.Value) ? "pass" : "fail";
        rules.Add(new RuleOutcome(condition.Id ?? condition.Text, condition.Description ?? condition.Words, part, result, condition.Fact, fact.Value,
            fact.Source, fact.AsOf, fact.Income));
        return result;
    }

    static bool Compare(object actual, string op, JsonElement expected)
    {
        if (op == "in")
        {
            return expected.ValueKind == JsonValueKind.Array && expected.EnumerateArray().Any(e => Compare(actual, "==", e));
        }
        int? order = (actual, expected.ValueKind) switch
        {
            (decimal d, JsonValueKind.Number) => d.CompareTo(expected.GetDecimal()),
            (bool b, JsonValueKind.True or JsonValueKind.False) => b.CompareTo(expected.GetBoolean()),
            (string s, JsonValueKind.String) => string.CompareOrdinal(s, expected.GetString()),
            _ => null,
        };
        if (order is not { } o)
        {
            // A fact of another type than the file says never passes.
            return op == "!=";
        }
        return op switch
        {
            "==" => o == 0,
            "!=" => o != 0,
            "<" => o < 0,
            "<=" => o <= 0,
            ">" => o > 0,
            ">=" => o >= 0,
            _ => false,
        };
    }
}
