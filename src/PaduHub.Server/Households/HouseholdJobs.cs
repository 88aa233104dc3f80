using Hangfire;
using PaduHub.Households;

namespace PaduHub.Server.Households;

/// <summary>
/// Households formed again around the people a matching run changed, on a queue of their own so the next matching run
/// need not wait for them. A job with nothing queued does nothing, so extra ones cost nothing.
/// </summary>
public sealed class HouseholdJobs(GoldenHouseholds households)
{
    [Queue(JobQueues.Households)]
    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Form households around changed people")]
    public async Task Rebuild(CancellationToken cancellationToken) => await households.RebuildAsync(cancellationToken);
}
