using Microsoft.Extensions.Logging;

namespace PaduHub;

/// <summary>
/// Every log line the hub writes, in one place, with stable event ids. Messages carry ids, counts and
/// paths only: never an IC number, a name or an address.
/// </summary>
static partial class Log
{
    // 1xxx: embedded database
    [LoggerMessage(1001, LogLevel.Information, "Creating the embedded PostgreSQL cluster in {DataDirectory}")]
    public static partial void Initialising(ILogger logger, string dataDirectory);

    [LoggerMessage(1002, LogLevel.Information, "Embedded PostgreSQL started on 127.0.0.1:{Port} ({DataDirectory})")]
    public static partial void Started(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(1003, LogLevel.Information, "Embedded PostgreSQL was already running on 127.0.0.1:{Port} ({DataDirectory}); reusing it")]
    public static partial void Attached(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(1004, LogLevel.Warning, "Removing stale {PidFile}: its process is gone")]
    public static partial void RemovingStalePidFile(ILogger logger, string pidFile);

    [LoggerMessage(1005, LogLevel.Warning, "Discarding {DataDirectory}: a previous initdb did not finish")]
    public static partial void DiscardingUnfinishedCluster(ILogger logger, string dataDirectory);

    [LoggerMessage(1006, LogLevel.Information, "Embedded PostgreSQL stopped ({DataDirectory})")]
    public static partial void Stopped(ILogger logger, string dataDirectory);

    [LoggerMessage(1007, LogLevel.Warning, "Embedded PostgreSQL in {DataDirectory} did not stop cleanly: {Output}")]
    public static partial void StopFailed(ILogger logger, string dataDirectory, string output);

    [LoggerMessage(1008, LogLevel.Warning, "User '{OsUser}' cannot reach {Folder}; the embedded cluster lives in {Relocated} instead")]
    public static partial void ClusterRelocated(ILogger logger, string folder, string relocated, string osUser);

    [LoggerMessage(1009, LogLevel.Information, "Embedded PostgreSQL in {DataDirectory} left running: another process still uses it")]
    public static partial void LeftRunningForOthers(ILogger logger, string dataDirectory);

    // 11xx: schema migrations
    [LoggerMessage(1010, LogLevel.Warning, "Embedded PostgreSQL in {DataDirectory} trusted every loopback connection: it now asks for passwords, the superuser's kept beside it")]
    public static partial void PasswordsRequired(ILogger logger, string dataDirectory);

    [LoggerMessage(1011, LogLevel.Information, "Copying the embedded PostgreSQL on port {PrimaryPort} into {DataDirectory} for a streaming replica")]
    public static partial void CopyingPrimary(ILogger logger, int primaryPort, string dataDirectory);

    [LoggerMessage(1101, LogLevel.Information, "Applied migration {Version:0000} {Name} in {Milliseconds} ms")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, long milliseconds);

    [LoggerMessage(1102, LogLevel.Information, "Database schema is at version {Version}")]
    public static partial void SchemaAt(ILogger logger, int version);

    // 2xxx: ingestion
    [LoggerMessage(2001, LogLevel.Information,
        "{Agency} extract {ExtractId} loaded: {Rows} rows read, {Inserted} inserted, {Updated} updated, {Removed} withdrawn or deleted, {Rejected} rejected, {Milliseconds} ms")]
    public static partial void ExtractLoaded(ILogger logger, string agency, long extractId, int rows, int inserted, int updated, int removed, int rejected,
        long milliseconds);

    [LoggerMessage(2002, LogLevel.Warning, "Extract {ExtractId} rejected whole: {Reason}")]
    public static partial void ExtractRejected(ILogger logger, long extractId, string reason);

    [LoggerMessage(2003, LogLevel.Information, "{Agency} sent a file it had sent before; returning the receipt of extract {ExtractId}")]
    public static partial void DuplicateExtract(ILogger logger, string agency, long extractId);

    [LoggerMessage(2004, LogLevel.Warning, "{Agency} delta {Sequence} held: waiting for sequence {Expected}")]
    public static partial void DeltaHeld(ILogger logger, string agency, int sequence, int expected);

    [LoggerMessage(2005, LogLevel.Information, "Drop folder {Agency}: {File} moved to {Outcome}")]
    public static partial void DropFileSwept(ILogger logger, string agency, string file, string outcome);

    [LoggerMessage(2006, LogLevel.Information, "Planner statistics of the source tables gathered after a first load joined them, in {Milliseconds} ms")]
    public static partial void SourceTablesAnalyzed(ILogger logger, long milliseconds);

    // 3xxx: matching and golden records
    [LoggerMessage(3001, LogLevel.Information,
        "Matching run {RunId} ({Kind}) finished: {Records} records, {Created} golden records created, {Changed} changed, {Retired} retired or withdrawn, {Review} pairs for review")]
    public static partial void MatchRunFinished(ILogger logger, string kind, long runId, int records, int created, int changed, int retired, int review);

    [LoggerMessage(3005, LogLevel.Information, "Matching run {RunId}: {Estimate}")]
    public static partial void MatchRunEstimate(ILogger logger, long runId, string estimate);

    [LoggerMessage(3002, LogLevel.Warning,
        "Training run {RunId}: with every field voting, EM took pairs sharing an address and phone for matches (agreeing on an identity field weighed against a match, or disagreeing on one lost half its weight), so the identity fields keep their own fit")]
    public static partial void LocationVoteDropped(ILogger logger, long runId);

    [LoggerMessage(3004, LogLevel.Warning,
        "Matching run {RunId}: the trained model failed its checks and is not used as fitted ({Verdict}): {Reasons}")]
    public static partial void ModelFellBack(ILogger logger, long runId, string verdict, string reasons);

    [LoggerMessage(3006, LogLevel.Warning,
        "The stored matching model was trained with comparison levels this version no longer has; matching trains a new one over every record")]
    public static partial void StoredModelOutdated(ILogger logger);

    [LoggerMessage(3003, LogLevel.Warning, "Matching run {RunId} ({Kind}): {LeftOut}")]
    public static partial void BlockingLeftOut(ILogger logger, long runId, string kind, string leftOut);

    [LoggerMessage(3007, LogLevel.Information,
        "Standing match index caught up from run {FromRun} to run {ToRun}: {Records} records matched elsewhere in between, {Milliseconds} ms")]
    public static partial void StandingIndexCaughtUp(ILogger logger, long fromRun, long toRun, int records, long milliseconds);

    [LoggerMessage(3008, LogLevel.Information, "Standing match index rebuilt at run {ToRun} from {Records} records, because {Reason}; {Milliseconds} ms")]
    public static partial void StandingIndexRebuilt(ILogger logger, long toRun, int records, string reason, long milliseconds);

    // 4xxx: households
    [LoggerMessage(4001, LogLevel.Information,
        "Households rebuilt: {Households} households, {Created} created, {Changed} changed, {Retired} merged away, {Dissolved} dissolved, {Conflicts} new conflicts for stewards, {Milliseconds} ms")]
    public static partial void HouseholdsRebuilt(ILogger logger, int households, int created, int changed, int retired, int dissolved, int conflicts,
        long milliseconds);
}
