using PaduHub.Samples.Agencies;

namespace PaduHub.Samples;

/// <summary>
/// What happens to a household on one day of the delta period: a birth, a death, a move, an agency correcting a
/// record, an agency withdrawing one, or a marriage. The choice is made now; the change itself is returned as an action so the
/// caller can see every agency's records before and after it.
/// </summary>
public static class DailyEvents
{
    /// <summary>
    /// A married Malay man registers a second marriage, lawful for Muslims. The registration department's record of him
    /// now names the second wife while the first wife's still names him: spouses who do not name each other, which
    /// household formation leaves to a steward (who settles it: both marriages stand). Drawn from a generator of its
    /// own, so households without such a man see the same days as before.
    /// </summary>
    static string? SecondMarriage(Household household, List<Person> living, HouseholdFactory factory, DateOnly day, out Action apply)
    {
        apply = () => { };
        var husband = living.FirstOrDefault(m => m.Male && m.Ethnicity == Ethnicity.Malay && m.AgeOn(day) is >= 25 and <= 65
            && m.SpouseId is { } wife && living.Any(w => w.Id == wife));
        // string.GetHashCode differs from run to run; the same seed must give the same files.
        var own = new Rng((ulong)day.DayNumber, household.Id.Aggregate(14695981039346656037UL, (h, c) => (h ^ c) * 1099511628211UL));
        if (husband is null)
        {
            return null;
        }
        var second = factory.ForeignSpouse(ref own, household, husband, day);
        apply = () =>
        {
            household.Members.Add(second);
            husband.SpouseId = second.Id;
            second.SpouseId = husband.Id;
        };
        return "second_marriage";
    }

    static readonly double[] s_weights = [0.18, 0.1, 0.27, 0.23, 0.14, 0.08];

    public static string? Apply(ref Rng rng, Household household, HouseholdFactory factory, DateOnly day, HouseholdStream stream, out Action apply)
    {
        apply = () => { };
        var living = household.Members.Where(m => m.IsAlive).ToList();
        if (living.Count == 0)
        {
            return null;
        }
        switch (rng.PickWeighted(s_weights))
        {
            case 0:
                var mother = living.FirstOrDefault(m => !m.Male && m.Role is Role.Head or Role.Spouse && m.AgeOn(day) is >= 18 and <= 45);
                if (mother is null)
                {
                    return null;
                }
                var baby = factory.Birth(ref rng, household, mother, day);
                apply = () => household.Members.Add(baby);
                return "birth";
            case 1:
                // The oldest are the likeliest to die.
                var dying = rng.Chance(0.7) ? living.MaxBy(m => m.AgeOn(day))! : living[rng.Next(living.Count)];
                apply = () => dying.DiedOn = day;
                return "death";
            case 2:
                var state = rng.Chance(0.8) ? Places.States.First(s => s.Name == household.Address.State) : Places.PickState(ref rng);
                var to = Places.NewAddress(ref rng, state);
                var account = factory.NextAccount();
                var holder = household.Accounts.FirstOrDefault(a => a.Active)?.Holder ?? living[0];
                apply = () =>
                {
                    household.PreviousAddress = household.Address;
                    household.Address = to;
                    household.MovedOn = day;
                    foreach (var old in household.Accounts.Where(a => a.Active && a.Premises == household.PreviousAddress))
                    {
                        old.Active = false;
                    }
                    household.Accounts.Add(new UtilityAccount { AccountNo = account, Holder = holder, Premises = to, OpenedOn = day, Phone = holder.Phone });
                };
                return "move";
            case 3:
                var noisy = stream.NoisyRecords(household).ToList();
                if (noisy.Count == 0)
                {
                    return null;
                }
                var (code, person) = noisy[rng.Next(noisy.Count)];
                var agency = Agency.All.First(a => a.Code == code);
                apply = () => stream.Correct(agency, person, household);
                return "correction";
            case 5:
                // A single adult marries; the spouse comes from abroad and is registered as a permanent resident.
                var single = living.FirstOrDefault(m => m.SpouseId is null && m.AgeOn(day) is >= 21 and <= 50);
                if (single is null)
                {
                    return SecondMarriage(household, living, factory, day, out apply);
                }
                var newcomer = factory.ForeignSpouse(ref rng, household, single, day);
                apply = () =>
                {
                    household.Members.Add(newcomer);
                    single.SpouseId = newcomer.Id;
                    newcomer.SpouseId = single.Id;
                };
                return "marriage";
            default:
                var taxpayer = living.FirstOrDefault(m => m.TaxNumber is not null);
                var member = living.FirstOrDefault(m => m.EpfNumber is not null);
                var active = household.Accounts.Where(a => a.Active).Skip(1).FirstOrDefault();
                var pick = rng.Next(3);
                if (pick == 0 && active is not null)
                {
                    apply = () => active.Active = false;
                }
                else if (pick == 1 && taxpayer is not null)
                {
                    apply = () => taxpayer.TaxNumber = null;
                }
                else if (member is not null)
                {
                    apply = () => member.EpfNumber = null;
                }
                else
                {
                    return null;
                }
                return "withdrawal";
        }
    }
}
